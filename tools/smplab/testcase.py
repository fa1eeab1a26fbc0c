"""The base classes of the QEMU tests and the lab checks: one machine per class.

A class says under which accelerators it runs (`accels`); the project's conftest.py makes one
copy of it per accelerator that runs here, with `accel` set ("tcg" or "kvm"), and names it
Class_tcg, Class_kvm (`pytest -k kvm` picks the KVM ones). A test method can narrow that
with its own `accels` (tcg_in_make_test).

    MachineTest   one machine booted lazily per class (self.machine, self.cmd()); a test can
                  start a new one (fresh_machine)
    SessionTest   the machine booted before the first test (self.m), a clean prompt before
                  each test, and a check after each that it neither exited nor rebooted
    LabCheck      MachineTest + replay_readme(): the README's ```smplab sessions
"""
import os
import time
import unittest

from smplab import ROOT
from smplab.machine import PROMPT, Machine
from smplab.sessions import boot, mismatch, replayed_under, sessions, wants_new_machine

BANNER = "smplab - x86-64 multiprocessor bring-up lab"
CTRL_C = b"\x03"

# Labs whose lesson does not depend on the accelerator run under TCG only in `make test`
# (the KVM pass covers the same commands in tests/qemu, and their KVM boots would cost ~45 s
# of its 6-minute budget); `make lab N=k` (SMPLAB_LAB_RUN=1) runs them under what is asked.
ACCELS_IN_MAKE_TEST_TCG_ONLY = ("tcg", "kvm") if os.environ.get("SMPLAB_LAB_RUN") else ("tcg",)


# Views of the APs, which climb on their own: typed right after a `sipi`, they may catch an AP
# that its vCPU thread has not run yet (a busy host), where the README shows it settled. The
# replay types them again until they fit, for up to SETTLE_SECONDS.
SETTLING_VIEWS = ("status", "trace")
SETTLE_SECONDS = 3


class Hint(AssertionError):
    """A lab check's verdict for the learner: the test report shows its text alone, without
    a Python traceback (conftest.py)."""


def tcg_in_make_test(check):
    """The same for one check method of a lab that otherwise runs under both."""
    check.accels = ACCELS_IN_MAKE_TEST_TCG_ONLY
    return check


class MachineTest(unittest.TestCase):
    accels = ("tcg", "kvm")
    accel = "tcg"           # set per copy by conftest.py
    smp = os.environ.get("SMPLAB_LAB_SMP", "4")
    machine = None

    @classmethod
    def tearDownClass(cls):
        if cls.machine is not None:
            cls.machine.close()
            cls.machine = None

    def fresh_machine(self, options=()):
        """A new machine for this class (```smplab options: smp=TOPOLOGY)."""
        if type(self).machine is not None:
            type(self).machine.close()
        type(self).machine = boot(options, self.smp, self.accel)
        return type(self).machine

    def cmd(self, line, timeout=30):
        if self.machine is None:
            self.fresh_machine()
        return self.machine.cmd(line, timeout=timeout)


class LabCheck(MachineTest):
    """A lab's check: set README; test methods may use self.machine and self.cmd()."""
    README = None

    def replay_readme(self):
        """Run every smplab block of the README; fail at the first difference."""
        blocks = sessions(self.README)
        self.assertTrue(blocks, "%s shows no smplab session" % self.README)
        for number, (options, steps) in enumerate(blocks, 1):
            if not replayed_under(options, self.accel):
                continue
            if self.machine is None or wants_new_machine(options):
                self.fresh_machine(options)
            for command, expected in steps:
                actual = self.cmd(command).splitlines()
                if not expected:
                    continue
                problem = mismatch(expected, actual)
                deadline = time.monotonic() + SETTLE_SECONDS
                while problem and command.split()[0] in SETTLING_VIEWS and \
                        time.monotonic() < deadline:
                    time.sleep(0.1)
                    actual = self.cmd(command).splitlines()
                    problem = mismatch(expected, actual)
                self.assertIsNone(problem, "%s, session %d, `%s`: %s\nthe kernel printed:\n%s" % (
                    os.path.relpath(self.README, ROOT), number, command, problem,
                    "\n".join(actual)))


class SessionTest(unittest.TestCase):
    accels = ("tcg", "kvm")
    accel = "tcg"           # set per copy by conftest.py
    smp = "4"
    mem = "128M"
    extra = ""
    boot_path = None        # launcher options (boot, firmware, machine, grub_entry); None: env
    m = None

    @classmethod
    def setUpClass(cls):
        cls.m = Machine(smp=cls.smp, accel=cls.accel, mem=cls.mem, extra=cls.extra,
                        boot_path=cls.boot_path)
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
        self.assertIsNone(self.m.poll(), "the launcher exited:\n" + self.m.stderr)
        self.assertEqual(self.m.transcript.count(BANNER), self.boots,
                         "the machine rebooted:\n" + self.m.transcript[-3000:])

    def cmd(self, line, timeout=20):
        return self.m.cmd(line, timeout=timeout)
