"""The base of the QEMU test classes: one machine booted per class, a clean
prompt before each test, and a check after each that the machine neither
exited nor rebooted."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools"))

from smpserial import PROMPT, Machine  # noqa: E402

BANNER = "smplab - x86-64 multiprocessor bring-up lab"
CTRL_C = b"\x03"


class MachineSession(unittest.TestCase):
    smp = "4"
    mem = "128M"
    extra = ""
    boot_path = None        # launcher options (boot, firmware, machine, grub_entry); None: env
    m = None

    @classmethod
    def setUpClass(cls):
        cls.m = Machine(smp=cls.smp, mem=cls.mem, extra=cls.extra, boot_path=cls.boot_path)
        cls.boots = 1          # banners expected in the transcript; `reboot` adds one
        try:
            cls.banner = cls.m.wait_prompt(timeout=60).replace("\r", "")
        except BaseException:
            cls.m.close()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.m:
            cls.m.close()

    def setUp(self):
        # A clean prompt: Ctrl-C abandons whatever a failed test left half-typed and
        # always answers "^C" and a new prompt.
        self.m.send_raw(CTRL_C)
        self.m.wait_for("^C\r\n" + PROMPT, timeout=20)

    def tearDown(self):
        self.assertIsNone(self.m.proc.poll(), "the launcher exited:\n" + self.m.stderr)
        self.assertEqual(self.m.transcript.count(BANNER), self.boots,
                         "the machine rebooted:\n" + self.m.transcript[-3000:])

    def cmd(self, line, timeout=20):
        return self.m.cmd(line, timeout=timeout)
