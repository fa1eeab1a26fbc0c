"""The reference kernels of `make bench` (tools/bench/, built into build/bench/) print what
tools/bench.py reads, with the readers it uses (smplab.refs): each is booted once with four
CPUs under TCG. No time is checked, only that the figures are there and the counts right.

  * ref_byte: its one byte reaches COM1, and nothing else comes before it.
  * ref_smp: it counts 3 APs (QEMU's fw_cfg), measures a TSC frequency, and in each of two
    rounds (the second after INIT again) all 3 APs reach long mode.
"""
import unittest

from smplab import refs
from smplab.machine import Machine


class BenchRefsTest(unittest.TestCase):
    accels = ("tcg",)

    def test_ref_byte_prints_its_byte(self):
        with Machine(smp="4", accel=self.accel, kernel=refs.REF_BYTE_ELF) as m:
            refs.wait_byte(m, timeout=30)
            self.assertEqual(m.transcript, refs.ref_byte())

    def test_ref_smp_starts_every_ap_twice(self):
        with refs.RefSmp(smp=4, accel=self.accel) as ref:
            self.assertEqual(ref.expected, 3)
            self.assertGreater(ref.tsc_mhz, 0)
            for _ in range(2):
                arrived, us = ref.round()
                self.assertEqual(arrived, 3, ref.machine.transcript)
                self.assertGreater(us, 0)
