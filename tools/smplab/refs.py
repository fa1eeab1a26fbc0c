"""The reference kernels `make bench` measures smplab against: their images, what they print,
and how to drive them (for tools/bench.py and tests/qemu/test_bench_refs.py).

Both are built by make from tools/bench/ into build/bench/ and booted by QEMU's -kernel
through the same launcher as smplab (smplab.machine.Machine with kernel=):

    ref_byte.elf  writes one byte (REF_BYTE in tools/bench/ref_facts.h) to COM1 and halts
    ref_smp.elf   prints its TSC frequency and AP count, then per round: INIT and one SIPI
                  to all but itself, and the time from the SIPI to the last AP in long mode;
                  a byte typed on COM1 starts the next round

    with RefSmp(smp=16, accel="tcg") as ref:
        ref.expected                      # 15 APs (QEMU's count, from fw_cfg)
        arrived, us = ref.round()         # each call is one round
"""
import os
import re

from smplab import BUILD, ROOT
from smplab.machine import Machine

REF_BYTE_ELF = os.path.join(BUILD, "bench", "ref_byte.elf")
REF_SMP_ELF = os.path.join(BUILD, "bench", "ref_smp.elf")
FACTS_H = os.path.join(ROOT, "tools", "bench", "ref_facts.h")
DEFINE = re.compile(r"^#define ([A-Z_0-9]+) (\S+)$", re.M)
SMP_BANNER = re.compile(r"ref_smp: TSC (\d+) MHz \(([^)]*)\), (\d+) APs \(([^)]*)\)\r\n")
SMP_ROUND = re.compile(r"ref_smp: (\d+) of (\d+) APs in long mode, the last (\d+) us after "
                       r"the SIPI\r\n")
ROUND_TIMEOUT = 60          # seconds; the kernel itself gives up on missing APs after 2 s


def facts():
    """{NAME: int} from tools/bench/ref_facts.h."""
    with open(FACTS_H) as f:
        return {name: int(value, 0) for name, value in DEFINE.findall(f.read())}


def ref_byte():
    """The byte ref_byte writes, as a one-character str."""
    return chr(facts()["REF_BYTE"])


def wait_byte(machine, timeout=60):
    """Wait for ref_byte's byte on a Machine that boots it."""
    machine.wait_for(ref_byte(), timeout=timeout)


class RefSmp:
    """A booted ref_smp: .expected APs, .tsc_mhz, .round() -> (APs arrived, microseconds
    from the SIPI to the last one in long mode)."""

    def __init__(self, smp, accel, mem="128M"):
        self.machine = Machine(smp=str(smp), accel=accel, mem=mem, kernel=REF_SMP_ELF)
        self.rounds = 0
        try:
            self.machine.wait_for(SMP_BANNER, timeout=ROUND_TIMEOUT)
        except BaseException:
            self.machine.close()
            raise
        banner = self.machine.last_match
        self.tsc_mhz, self.tsc_source = int(banner.group(1)), banner.group(2)
        self.expected = int(banner.group(3))

    def round(self):
        if self.rounds:
            self.machine.send_raw(b"\r")
        self.rounds += 1
        self.machine.wait_for(SMP_ROUND, timeout=ROUND_TIMEOUT)
        arrived, expected, us = (int(g) for g in self.machine.last_match.groups())
        if expected != self.expected:
            raise AssertionError("ref_smp counted %d APs, then %d" % (self.expected, expected))
        return arrived, us

    def close(self):
        self.machine.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
