"""Lab 5 check: the README's sessions, then each observation the README promises.

A person needs a second or more to type the command after `sipi`; the replay does the
same (PAUSE_AFTER_SIPI), so the `status` shown after a `sipi` sees the AP finished."""
import os
import re
import time

from smplab import layout
from smplab.status import status_rows, timeline_bars
from smplab.testcase import LabCheck, tcg_in_make_test

PAUSE_AFTER_SIPI = 1.5      # s; status calls an AP timed out 1000 ms + 50 ms per CPU after SIPI
STAGES = tuple(s["name"] for s in layout.load().timed)
LETTERS = layout.load().letters
HELLO = re.compile(r"Hello World from CPU \d+ \(APIC ID (\d+)\)")

# ICR fields, SDM 10.6.1
MODE_INIT, MODE_STARTUP = 0b101, 0b110


def icr_lines(text):
    """[(what, icr, esr)] for each IPI: what is the '  X -> TARGET' line before it."""
    out, what = [], None
    for line in text.splitlines():
        if "->" in line and "ICR" not in line:
            what = line.strip()
        m = re.search(r"ICR 0x([0-9a-f]+) (\S+), ESR 0x([0-9a-f]+)", line)
        if m:
            out.append((what, int(m.group(1), 16), int(m.group(3), 16)))
    return out


def trace_steps(text):
    return [(int(m.group(1)), m.group(2).strip())
            for m in re.finditer(r"^\s*(\d+) us  (.*)$", text, re.M)]


class Lab5Check(LabCheck):
    README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")

    def cmd(self, line, timeout=30):
        out = super().cmd(line, timeout)
        if line.split()[:1] == ["sipi"]:
            time.sleep(PAUSE_AFTER_SIPI)
        return out

    def x2apic(self):
        return re.search(r"^mode\s+(\S+)", self.cmd("lapic"), re.M).group(1) == "x2APIC"

    def assert_climbed(self, row, apic):
        state, sipis, times, _ = row
        self.assertEqual(state, "idle", "APIC %d: %r" % (apic, row))
        self.assertGreaterEqual(sipis, 1)
        self.assertNotIn(None, times, "APIC %d: a stage has no time: %r" % (apic, row))
        self.assertEqual(times, sorted(times), "APIC %d: stage times go back: %r" % (apic, row))
        self.assertLess(times[0], times[-1], "APIC %d: no time passed: %r" % (apic, row))

    def test_readme_sessions(self):
        self.replay_readme()

    @tcg_in_make_test
    def test_status_after_each_step(self):
        self.fresh_machine()
        self.cmd("tramp install 8")
        self.cmd("cpudata 1")
        rows = status_rows(self.cmd("status"))
        self.assertEqual(rows[1][:2], ("offline", 0))
        self.cmd("init 1")
        rows = status_rows(self.cmd("status"))
        self.assertEqual(rows[1][:2], ("init", 0))
        self.assertEqual(rows[1][2], [None] * 6)
        self.assertEqual(rows[2][0], "offline", "INIT to APIC 1 must not touch APIC 2")
        self.cmd("sipi 1 8")
        rows = status_rows(self.cmd("status"))
        self.assert_climbed(rows[1], 1)
        self.assertEqual(rows[1][1], 1)

    @tcg_in_make_test
    def test_second_vector_keeps_first_record(self):
        self.fresh_machine()
        for line in ("tramp install 8", "cpudata 1", "init 1", "sipi 1 8"):
            self.cmd(line)
        before = status_rows(self.cmd("status"))[1]
        self.assert_climbed(before, 1)
        out = self.cmd("tramp install 0x20")
        self.assertIn("trampoline at vector 0x20: 0x20000-", out)
        for line in ("cpudata 2", "init 2"):
            self.cmd(line)
        out = self.cmd("sipi 2 0x20")
        self.assertIn("2000:0000 = 0x20000", out)
        rows = status_rows(self.cmd("status"))
        self.assertEqual(rows[1], before, "APIC 1's record changed when APIC 2 started")
        self.assert_climbed(rows[2], 2)

    @tcg_in_make_test
    def test_trace_order_and_delays(self):
        self.fresh_machine()
        self.cmd("boot 3")
        steps = trace_steps(self.cmd("trace"))
        names = [s for _, s in steps]
        self.assertGreaterEqual(len(steps), 4, steps)
        self.assertEqual(names[:4], ["INIT 3", "delay 10000 us", "SIPI 3 vector 0x08",
                                     "delay 200 us"])
        times = [t for t, _ in steps]
        self.assertEqual(times, sorted(times), steps)
        # The delays are between the IPIs: each wait ends its time after the IPI before it.
        self.assertGreaterEqual(times[2] - times[0], 10000, "SIPI less than 10 ms after the INIT")
        if len(steps) > 4:      # the second SIPI went out
            self.assertEqual(names[4:], ["SIPI 3 vector 0x08", "delay 200 us"])
            self.assertGreaterEqual(times[4] - times[2], 200, "SIPIs less than 200 us apart")
        self.cmd("boot 3 fast")
        steps = trace_steps(self.cmd("trace"))
        delays = [s for _, s in steps if s.startswith("delay")]
        self.assertTrue(delays)
        for d in delays:
            self.assertTrue(d.endswith("(skipped: fast)"), d)
        self.assertEqual(steps[0][1], "INIT 3")

    def check_icr(self, what, icr, esr, x2apic, dest, vector=None):
        self.assertEqual(esr, 0, "%s: ESR 0x%x" % (what, esr))
        mode = (icr >> 8) & 7
        level = (icr >> 14) & 1
        trigger = (icr >> 15) & 1
        shorthand = (icr >> 18) & 3
        field = icr >> 32 if x2apic else icr >> 56
        self.assertEqual((icr >> 11) & 1, 0, "%s: not physical destination mode" % what)
        if "INIT de-assert" in what:
            # It reaches every APIC whatever the destination; the SDM asks for "all
            # including self" (10.6.1).
            self.assertEqual(shorthand, 0b10, "%s: 0x%x: not 'all including self'" % (what, icr))
        elif dest == "all":
            self.assertEqual(shorthand, 0b11, "%s: 0x%x: not 'all excluding self'" % (what, icr))
        else:
            self.assertEqual(shorthand, 0, "%s: 0x%x" % (what, icr))
            self.assertEqual(field, dest, "%s: 0x%x: destination" % (what, icr))
        if "INIT assert" in what:
            self.assertEqual((mode, level, trigger), (MODE_INIT, 1, 1), "%s: 0x%x" % (what, icr))
        elif "INIT de-assert" in what:
            self.assertFalse(x2apic, "x2APIC has no INIT level de-assert")
            self.assertEqual((mode, level, trigger), (MODE_INIT, 0, 1), "%s: 0x%x" % (what, icr))
        elif "SIPI" in what:
            self.assertEqual((mode, level), (MODE_STARTUP, 1), "%s: 0x%x" % (what, icr))
            self.assertEqual(icr & 0xFF, vector, "%s: 0x%x: vector" % (what, icr))
        else:
            self.fail("an ICR line after an unknown step: %r" % what)

    def test_icr_bits(self):
        self.fresh_machine()
        x2apic = self.x2apic()
        self.cmd("tramp install 0x20")
        self.cmd("cpudata 2")
        seen = []
        for line, dest, vector in (("init 2", 2, None), ("sipi 2 0x20", 2, 0x20),
                                   ("boot all", "all", 0x20)):
            ipis = icr_lines(self.cmd(line))
            self.assertTrue(ipis, "`%s` printed no ICR" % line)
            for what, icr, esr in ipis:
                self.check_icr(what, icr, esr, x2apic, dest, vector)
                seen.append(what.split(" ->")[0])
        self.assertIn("INIT assert", seen)
        self.assertIn("SIPI", seen)
        self.assertEqual("INIT de-assert" in seen, not x2apic,
                         "the de-assert is sent in xAPIC mode only")

    @tcg_in_make_test
    def test_boot_all_hello_and_timeline(self):
        machine = self.fresh_machine()
        aps = sorted(int(m) for m in re.findall(r"^\s+(\d+)\s+\d+\s+LAPIC\s+enabled\s*$",
                                                   self.cmd("cpus"), re.M))
        self.assertTrue(aps)
        for start in (1, 2):
            mark = len(machine.transcript)
            out = self.cmd("boot all")
            self.assertRegex(out, r"boot: %d of %d APs idle" % (len(aps), len(aps)))
            verdict = {int(a): int(us) for a, us in
                       re.findall(r"APIC (\d+): idle, (\d+) us after the first SIPI", out)}
            status = self.cmd("status")
            time.sleep(0.3)
            self.cmd("cpus")        # anything printed late is in the transcript now
            hellos = [int(a) for a in HELLO.findall(machine.transcript[mark:])]
            self.assertEqual(sorted(hellos), aps, "start %d: Hello lines %r" % (start, hellos))
            rows = status_rows(status)
            bars = dict(timeline_bars(status))
            for apic in aps:
                self.assert_climbed(rows[apic], apic)
                self.assertEqual(verdict[apic], rows[apic][2][5],
                                 "APIC %d: boot's verdict and status disagree" % apic)
                letters = [c for c in bars[apic] if c.isalpha()]
                self.assertTrue(letters, "APIC %d: empty timeline" % apic)
                self.assertEqual(letters, sorted(letters, key=LETTERS.index),
                                 "APIC %d: timeline out of order: %r" % (apic, bars[apic]))
