"""Reading the monitor's `status` output, for the tests and the lab checks."""
import re

# One AP's row: APIC ID, state, SIPIs, six times ('-' when not reached), detail.
ROW = re.compile(r"^\s*(\d+)  (\S+)\s+(\d+)((?:\s+(?:-?\d+|-)){6})(.*)$")


def status_rows(text):
    """{apic: (state, sipis, [microseconds or None] * 6, detail)}."""
    rows = {}
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            times = [None if t == "-" else int(t) for t in m.group(4).split()]
            rows[int(m.group(1))] = (m.group(2), int(m.group(3)), times, m.group(5).strip())
    return rows
