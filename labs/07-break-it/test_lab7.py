"""Lab 7 check: the README's sessions, then each mistake on a fresh machine, its diagnosis
in `status`, its repair, and a machine that still answers.

A person needs a second or more to type the command after `sipi`; the replay does the
same (PAUSE_AFTER_SIPI), so `status` has had the time to call a silent AP timed out."""
import os
import re
import time

from smplab import layout
from smplab.status import status_rows
from smplab.testcase import ACCELS_IN_MAKE_TEST_TCG_ONLY, LabCheck

PAUSE_AFTER_SIPI = 1.5      # s; status calls an AP timed out 1000 ms + 50 ms per CPU after SIPI
FAULT = re.compile(r"^(#\w+) (.+), error code 0x([0-9a-f]+), at 0x([0-9a-f]+), "
                   r"after stage (\S+)$")
BAD_ENTRY = 0x7f0000000000


class Lab7Check(LabCheck):
    README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
    # Its README has no KVM-only block, and the faults in every mode are tested under KVM
    # by tests/qemu/test_smp.py (StartTest): `make lab N=7` runs it under both.
    accels = ACCELS_IN_MAKE_TEST_TCG_ONLY

    def cmd(self, line, timeout=30):
        out = super().cmd(line, timeout)
        if line.split()[:1] == ["sipi"] and not out.rstrip().endswith("(add 'force' to send it anyway)"):
            time.sleep(PAUSE_AFTER_SIPI)
        return out

    def row(self, apic):
        rows = status_rows(self.cmd("status"))
        self.assertIn(apic, rows)
        return rows[apic]

    def assert_timeout(self, apic, last_stage, why=""):
        state, sipis, times, rest = self.row(apic)
        self.assertEqual(state, "timeout", (state, times, rest))
        self.assertEqual(rest, "no answer; last stage: %s%s" % (last_stage, why))
        self.assertGreaterEqual(sipis, 1)
        return times

    def assert_fault(self, apic, vector, address, stage):
        state, _, times, rest = self.row(apic)
        self.assertEqual(state, "fault", (state, times, rest))
        m = FAULT.match(rest)
        self.assertIsNotNone(m, "not a fault diagnosis: %r" % rest)
        self.assertEqual(m.group(1), vector, rest)
        self.assertEqual(int(m.group(3), 16), 0, rest)
        if address is not None:
            self.assertEqual(int(m.group(4), 16), address, rest)
        self.assertEqual(m.group(5), stage, rest)
        return times, int(m.group(4), 16)

    def assert_alive(self, healthy=None):
        """The monitor answers; with healthy=APIC, that AP (re)starts and answers `on`."""
        self.assertRegex(self.cmd("cpus"), r"\d+ CPUs; MADT at")
        if healthy is not None:
            self.assertIn("boot: 1 of 1 AP idle", self.cmd("boot %d" % healthy))
            self.assertIn("APIC %d runs 'regs'" % healthy, self.cmd("on %d regs" % healthy))
            self.assertEqual(self.row(healthy)[0], "idle")

    def prepare(self, *aps):
        self.fresh_machine()
        self.assertIn("installed:", self.cmd("tramp install 8"))
        for apic in aps:
            self.assertIn("cpu_table[%d]" % apic, self.cmd("cpudata %d" % apic))

    def test_readme_sessions(self):
        self.replay_readme()

    def test_sipi_without_init(self):
        self.prepare(1)
        out = self.cmd("sipi 1 8")
        self.assertIn("note: APIC 1 got no INIT", out)
        self.assertIn("ESR 0x0 (no errors)", out, "the IPI itself must be fine")
        times = self.assert_timeout(1, "none", " (no INIT before the SIPI: 'init APIC' first)")
        self.assertEqual(times, [None] * 6)
        self.assertNotIn("INIT", self.cmd("trace"))
        self.cmd("init 1")
        self.assertNotIn("note:", self.cmd("sipi 1 8"))
        self.assertEqual(self.row(1)[0], "idle")
        self.assert_alive()

    def test_vector_without_trampoline(self):
        self.prepare(2)
        self.cmd("init 2")
        out = self.cmd("sipi 2 0x30")
        self.assertIn("refused: no trampoline at vector 0x30", out)
        self.assertNotIn("SIPI ->", out, "a refused SIPI must not be sent")
        self.assertEqual(self.row(2)[:2], ("init", 0))
        out = self.cmd("sipi 2 0x30 force")
        self.assertIn("forced: sending anyway", out)
        self.assertIn("3000:0000 = 0x30000", out)
        self.assertEqual(self.assert_timeout(2, "none"), [None] * 6)
        self.assertIn("trampoline at vector 0x08", self.cmd("tramp"))
        self.assert_alive(healthy=2)

    def test_no_cpudata(self):
        self.prepare()
        self.cmd("init 3")
        out = self.cmd("sipi 3 8 force")
        self.assertIn("refused: APIC 3 has no cpu_data", out)
        state, _, times, _ = self.row(3)
        self.assertEqual(state, "no-cpudata")
        self.assertNotIn(None, times[:3], "real, protected and long must have times")
        self.assertEqual(times[3:], [None] * 3, "no c-entry, hello or idle")
        self.cmd("cpudata 3")
        self.assert_alive(healthy=3)

    def test_bad_entry(self):
        self.prepare(3)
        self.assertIn("outside the kernel's code",
                      self.cmd("cpudata 3 entry=0x%x" % BAD_ENTRY))
        out = self.cmd("boot 3")
        self.assertIn("APIC 3: FAILED: #PF page fault at 0x%x, after stage c-entry" % BAD_ENTRY,
                      out)
        times, _ = self.assert_fault(3, "#PF", BAD_ENTRY, "c-entry")
        self.assertNotIn(None, times[:4])
        self.assertEqual(times[4:], [None, None])
        self.assertIn("not mapped", self.cmd("pt 0x%x" % BAD_ENTRY))
        self.cmd("cpudata 3")
        self.assert_alive(healthy=3)

    def test_entry_zero(self):
        self.prepare(1, 2)
        self.assertIn("boot: 1 of 1 AP idle", self.cmd("boot 1"))
        self.assertIn("outside the kernel's code", self.cmd("cpudata 2 entry=0"))
        self.assertIn("APIC 2: FAILED:", self.cmd("boot 2"))
        state, _, times, rest = self.row(2)
        self.assertIn(state, ("timeout", "fault"), rest)
        self.assertNotIn(None, times[:4], "the trampoline must reach c-entry")
        self.assertEqual(times[4:], [None, None], "ap_entry never ran")
        if state == "timeout":
            self.assertEqual(rest, "no answer; last stage: c-entry")
        else:
            m = FAULT.match(rest)
            self.assertIsNotNone(m, rest)
            self.assertEqual(m.group(5), "c-entry", rest)
        # the monitor answers; APIC 1 started before and is still idle
        self.assertRegex(self.cmd("cpus"), r"\d+ CPUs; MADT at")
        self.assertIn("APIC 1 runs 'regs'", self.cmd("on 1 regs"))

    def test_planted_faults(self):
        offsets = layout.load().labels
        modes = [("real", "pm_enter"), ("protected", "lm_enter"), ("long", "c_call")]
        self.prepare(1)
        if self.accel == "kvm":
            modes = modes[1:]       # kvm_pvm cannot emulate ud2 in real mode: QEMU stops
        for mode, label in modes:
            self.assertIn("installed:", self.cmd("tramp install 8"))
            out = self.cmd("tramp fault %s" % mode)
            address = 0x8000 + offsets[label]
            self.assertIn("planted ud2 at 0x%x (%s)" % (address, label), out)
            self.assertIn("APIC 1: FAILED: #UD invalid opcode at 0x%x, after stage %s"
                          % (address, mode), self.cmd("boot 1"))
            times, _ = self.assert_fault(1, "#UD", address, mode)
            last = ("real", "protected", "long").index(mode)
            self.assertNotIn(None, times[:last + 1], "%s: %r" % (mode, times))
            self.assertEqual(times[last + 1:], [None] * (5 - last), "%s: %r" % (mode, times))
            self.assertRegex(self.cmd("cpus"), r"\d+ CPUs; MADT at")
        self.cmd("tramp install 8")
        self.assert_alive(healthy=1)

    def test_small_stack_overflows_into_the_padding(self):
        self.prepare()
        self.assertIn("stack size must be 4096 to 262144 bytes",
                      self.cmd("cpudata 1 stack=1024"))
        self.assertIn("256 B  intact", self.cmd("cpudata 1 stack=256 force"))
        self.assertIn("boot: 1 of 1 AP idle", self.cmd("boot 1"))
        state, _, _, rest = self.row(1)
        self.assertEqual((state, rest), ("idle", "STACK OVERFLOW (canary overwritten)"))
        self.assertRegex(self.cmd("cpudata"), r"256 B\s+OVERWRITTEN")
        self.cmd("init 1")
        self.assertIn("16 KiB  intact", self.cmd("cpudata 1"))
        self.assert_alive(healthy=1)
