"""Issue 16: restarts and long sessions. Starting every AP again and again, by `boot` and by
the manual INIT/SIPI sequence, leaves the free frames and every AP's state as after the
first start, `on APIC hello` answers every one of 10,000 calls across the APs, and a Ctrl-C
typed during `boot all` waits for the prompt.

The commands go out in one burst, as fast as the serial line takes them, and the answers
are counted at the end (a last `lapic` marks it): waiting for each prompt in turn would
cost more than the commands."""
import re

from smplab.status import status_rows
from smplab.machine import PROMPT
from smplab.testcase import CTRL_C, SessionTest

APS = (1, 2, 3)
FREE_FRAMES = re.compile(r"(\d+) free 4 KiB frames")
END = "mode     "              # the first line `lapic` prints: the burst is over


class LongSessionTest(SessionTest):
    accels = ("tcg",)

    def free_frames(self):
        return int(FREE_FRAMES.search(self.cmd("mem")).group(1))

    def states(self):
        """{APIC ID: state}; how many SIPIs each took varies (fast sends the second one
        when the AP has not answered yet)."""
        return {apic: row[0] for apic, row in status_rows(self.cmd("status")).items()}

    def burst(self, lines, timeout=120):
        """Type every line at once, then wait until all were answered; their output."""
        self.m.send_raw("".join(line + "\r" for line in lines) + "lapic\r")
        return self.m.wait_for(END, timeout=timeout).replace("\r", "")

    def test_1_boot_all_fast_100_times(self):
        self.assertRegex(self.cmd("boot all fast", timeout=60), r"(?m)^boot: 3 of 3 APs idle")
        frames, states = self.free_frames(), self.states()
        self.assertEqual(set(states.values()), {"idle"})
        out = self.burst(["boot all fast"] * 100)
        self.assertEqual(len(re.findall(r"(?m)^boot: 3 of 3 APs idle, \d+ us in all$", out)),
                         100, out[-2000:])
        self.assertEqual(self.free_frames(), frames, "frames leaked over 100 restarts")
        self.assertEqual(self.states(), states)

    def test_2_manual_sequence_100_times(self):
        self.assertRegex(self.cmd("boot all fast", timeout=60), r"(?m)^boot: 3 of 3 APs idle")
        frames = self.free_frames()
        before = self.states()
        out = self.burst(["init 2", "sipi 2 8", "boot 2 fast"] * 100)
        self.assertEqual(out.count("SIPI vector 0x08: the AP starts"), 100, out[-2000:])
        self.assertEqual(len(re.findall(r"(?m)^boot: 1 of 1 AP idle, ", out)), 100, out[-2000:])
        self.assertEqual(self.free_frames(), frames, "frames leaked over 100 restarts")
        self.assertEqual(self.states(), before)

    def test_4_ctrl_c_during_boot_all(self):
        """A Ctrl-C typed while `boot all` runs waits for the prompt, like any key: the
        boot finishes, then the Ctrl-C abandons an empty line."""
        self.m.send_raw(b"boot all\r" + CTRL_C)
        out = self.m.wait_for("^C\r\n" + PROMPT, timeout=60).replace("\r", "")
        self.assertRegex(out, r"(?m)^boot: 3 of 3 APs idle, \d+ us in all$")
        self.assertEqual(set(self.states().values()), {"idle"})

    def test_3_on_hello_10000_times(self):
        self.assertRegex(self.cmd("boot all fast", timeout=60), r"(?m)^boot: 3 of 3 APs idle")
        calls = ["on %d hello" % APS[i % len(APS)] for i in range(10000)]
        out = self.burst(calls, timeout=300)
        for apic in APS:
            asked = calls.count("on %d hello" % apic)
            self.assertEqual(out.count("APIC %d runs 'hello':\nHello World from CPU %d "
                                       "(APIC ID %d)\n" % (apic, apic, apic)), asked,
                             "APIC %d did not answer every call" % apic)
        self.assertNotIn("did not answer", out)
