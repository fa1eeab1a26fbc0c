"""Reading the monitor's `status` output (its table and its timeline, or with many APs its
compact form), for the tests, the lab checks and the README replay. The number of time columns and the timeline's letters
come from the build's stage table (smplab.layout)."""
import functools
import re

from smplab import layout


@functools.lru_cache(maxsize=None)
def table_row():
    """One AP's row: APIC ID, state, SIPIs, one time per timed stage ('-' when not
    reached), then the detail."""
    times = len(layout.load().timed)
    return re.compile(r"^\s*(\d+)  (\S+)\s+(\d+)((?:\s+(?:-?\d+|-)){%d})(.*)$" % times)


@functools.lru_cache(maxsize=None)
def timeline_row():
    """One AP's timeline bar: '  APIC |--R-P-L-C-H-I   |' (groups: the indent with the
    APIC ID, the APIC ID, the bar)."""
    return re.compile(r"^(\s*(\d+) )\|([-%s ]*)\|$" % layout.load().letters)


@functools.lru_cache(maxsize=None)
def compact_row():
    """One AP's line in the compact form: APIC ID, state, SIPIs, the time of its latest
    stage ('-' when none), its timeline bar, then the detail."""
    return re.compile(r"^\s*(\d+)  (\S+)\s+(\d+)\s+(-?\d+|-) \|([-%s ]*)\|(.*)$"
                      % layout.load().letters)


SUMMARY = re.compile(r"^(\d+) APs?: (.*?)(?:; the last (\S+) (\d+) us after the first SIPI)?$",
                     re.M)


def compact_rows(text):
    """{apic: (state, sipis, microseconds of the latest stage or None, bar, detail)}."""
    rows = {}
    for line in text.splitlines():
        m = compact_row().match(line)
        if m:
            latest = None if m.group(4) == "-" else int(m.group(4))
            rows[int(m.group(1))] = (m.group(2), int(m.group(3)), latest, m.group(5),
                                     m.group(6).strip())
    return rows


def status_summary(text):
    """The compact form's first line: (APs, {state: count}, microseconds to the last AP in
    the final timed stage or None)."""
    m = SUMMARY.search(text)
    if not m:
        return None
    counts = {state: int(n) for n, state in (part.split(" ", 1) for part in
                                             m.group(2).split(", "))}
    return int(m.group(1)), counts, int(m.group(4)) if m.group(4) else None


def status_rows(text):
    """{apic: (state, sipis, [microseconds or None per timed stage], detail)}."""
    rows = {}
    for line in text.splitlines():
        m = table_row().match(line)
        if m:
            times = [None if t == "-" else int(t) for t in m.group(4).split()]
            rows[int(m.group(1))] = (m.group(2), int(m.group(3)), times, m.group(5).strip())
    return rows


def timeline_bars(text):
    """[(apic, bar)] in the order the timeline lists them."""
    return [(int(m.group(2)), m.group(3)) for m in
            (timeline_row().match(line) for line in text.splitlines()) if m]
