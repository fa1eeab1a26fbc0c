"""What `make bench` measures: each function boots what it needs, takes one sample per run
and returns the samples; tools/bench.py makes the tables. Nothing here judges a time.

Host clock (time.monotonic), for the boot: from spawning the launcher (tools/launch.py, the
same for smplab and the reference) to smplab's prompt or ref_byte's byte.
Guest TSC, for AP start-up: smplab's `status` (microseconds after the first SIPI, per stage,
read with smplab.status) and `trace` (the start-up steps after the INIT); ref_smp's own
line (smplab.refs).
Each machine first does one round that is not counted (WARM_UP): under TCG the first run of
any code pays for its translation, which is not what is measured.
"""
import re
import time

from smplab import layout, refs
from smplab.machine import Machine
from smplab.status import status_rows

BOOT_TIMEOUT = 120          # seconds; 64 CPUs under TCG on a busy host take a few
COMMAND_TIMEOUT = 120
WARM_UP = 1                 # rounds per machine before the counted ones
# The stage ref_smp's APs stop at: smplab's time to it is the like-for-like figure.
REF_END_STAGE = "long"
TRACE_EVENT = re.compile(r"^\s*(\d+) us  (\S+)(.*)$", re.M)
DELAY = re.compile(r"^ (\d+) us")
COMMAND_TOTAL = re.compile(r", (\d+) us in all$", re.M)
BANNER_TSC = re.compile(r"^TSC\s+(\d+) MHz \((.*)\)\r?$", re.M)


def stage_index(name):
    """The column of a timed stage in status_rows' times."""
    names = [s["name"] for s in layout.load().timed]
    if name not in names:
        raise LookupError("the build's stage table has no timed stage %r (it has %s)"
                          % (name, ", ".join(names)))
    return names.index(name)


def boot_seconds(accel, runs, smp=4):
    """Seconds from QEMU's start to smplab's prompt and to ref_byte's byte: two lists, one
    sample per run, the two kernels taking turns."""
    prompt, byte = [], []
    for run in range(WARM_UP + runs):
        p, b = seconds_to_prompt(accel, smp), seconds_to_byte(accel, smp)
        if run >= WARM_UP:
            prompt.append(p)
            byte.append(b)
    return prompt, byte


def seconds_to_prompt(accel, smp=4):
    start = time.monotonic()
    with Machine(smp=str(smp), accel=accel, boot_path={}) as m:
        m.wait_prompt(timeout=BOOT_TIMEOUT)
        return time.monotonic() - start


def seconds_to_byte(accel, smp=4):
    start = time.monotonic()
    with Machine(smp=str(smp), accel=accel, kernel=refs.REF_BYTE_ELF) as m:
        refs.wait_byte(m, timeout=BOOT_TIMEOUT)
        return time.monotonic() - start


def ref_smp_samples(accel, aps, runs):
    """ref_smp with aps+1 CPUs: (microseconds from the SIPI to the last AP in long mode, one
    per round; the TSC frequency it measured and how)."""
    with refs.RefSmp(smp=aps + 1, accel=accel) as ref:
        if ref.expected != aps:
            raise RuntimeError("ref_smp counts %d APs, not %d" % (ref.expected, aps))
        samples = []
        for run in range(WARM_UP + runs):
            arrived, us = ref.round()
            if arrived != aps:
                raise RuntimeError("ref_smp: only %d of %d APs reached long mode"
                                   % (arrived, aps))
            if run >= WARM_UP:
                samples.append(us)
        return samples, "%d MHz (%s)" % (ref.tsc_mhz, ref.tsc_source)


class SmplabSamples:
    """One smplab with aps+1 CPUs and its samples, one per run of each:
        fast        `boot all fast`: the `status` rows ({apic: row}, smplab.status)
        spec        `boot all`: microseconds from the INIT to the last AP idle
        spec_delay  the spec's two waits: INIT to SIPI and SIPI to SIPI (from `trace`)
        one_by_one  `boot all fast one-by-one` (each AP's own INIT-SIPI-SIPI, in turn):
                    (sum of each AP's SIPI to idle, the command's own total)
        tsc         the TSC frequency the banner states"""

    def __init__(self, accel, aps, runs):
        self.aps = aps
        self.final = len(layout.load().timed) - 1
        self.fast, self.spec, self.one_by_one = [], [], []
        with Machine(smp=str(aps + 1), accel=accel, boot_path={}) as m:
            self.machine = m
            banner = m.wait_prompt(timeout=BOOT_TIMEOUT)
            tsc = BANNER_TSC.search(banner)
            self.tsc = "%s MHz (%s)" % tsc.groups() if tsc else "not stated"
            for _ in range(WARM_UP):
                self._boot_all("boot all fast")
            for _ in range(runs):
                self.fast.append(self._boot_all("boot all fast"))
            for _ in range(runs):
                rows = self._boot_all("boot all")
                events = TRACE_EVENT.findall(self._cmd("trace"))
                sipis = [int(us) for us, kind, _ in events if kind == "SIPI"]
                delays = [int(DELAY.match(rest).group(1)) for _, kind, rest in events
                          if kind == "delay"]
                self.spec_delay = sum(delays[:2])
                self.spec.append(sipis[0] + self.last(rows))
            for _ in range(runs):
                self.one_by_one.append(self._one_by_one())

    def last(self, rows, stage=None):
        """Microseconds from the SIPI to the last AP at `stage` (default: the final one)."""
        column = self.final if stage is None else stage_index(stage)
        return max(times[column] for _, _, times, _ in rows.values())

    def _cmd(self, line):
        return self.machine.cmd(line, timeout=COMMAND_TIMEOUT)

    def _status(self):
        rows = status_rows(self._cmd("status full"))
        late = [apic for apic, (_, _, times, _) in rows.items() if times[self.final] is None]
        if len(rows) != self.aps or late:
            raise RuntimeError("%d APs listed, not at the end: %s" % (len(rows), late))
        return rows

    def _boot_all(self, line):
        out = self._cmd(line)
        if not COMMAND_TOTAL.search(out):
            raise RuntimeError("%r ended without its total:\n%s" % (line, out))
        return self._status()

    def _one_by_one(self):
        """Each AP alone, in turn; `status` keeps each row's times from its own SIPI."""
        out = self._cmd("boot all fast one-by-one")
        total = COMMAND_TOTAL.search(out)
        if not total:
            raise RuntimeError("one-by-one ended without its total:\n%s" % out)
        rows = self._status()
        return sum(times[self.final] for _, _, times, _ in rows.values()), int(total.group(1))
