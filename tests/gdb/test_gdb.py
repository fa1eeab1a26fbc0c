"""GDB against QEMU: the smplab commands follow an AP through every mode
switch, under TCG and (when usable) KVM. Each test boots its own machine
with a gdbstub, attaches GDB through smplab.gdbsession and types the
monitor's commands over the serial line."""
import os
import re
import unittest

from smplab import layout
from smplab.gdbsession import Gdb
from smplab.machine import Machine
from smplab.status import status_rows

GDB_PORT = 12340 + os.getpid() % 500
GDB_ERRORS = ("Cannot insert", "Python Exception", "Traceback", "Error occurred in Python")
QEMU_ERRORS = ("KVM internal error", "emulation failure")
PREFIXES = ("o32", "o16", "a32", "a16")


def mnemonic(text):
    words = [w for w in text.replace(",", " ").split() if w not in PREFIXES]
    return words[0].lower() if words else ""


class GdbSession(unittest.TestCase):
    """A machine paused at its first instruction, and GDB attached."""
    accels = ("tcg", "kvm")
    smp = "4"

    def setUp(self):
        self.machine = Machine(smp=self.smp, accel=self.accel,
                               launcher_args=["--paused", "--gdb", str(GDB_PORT)])
        self.addCleanup(self.machine.close)
        self.gdb = Gdb(GDB_PORT)
        self.addCleanup(self.gdb.close)
        self.labels = layout.load().labels
        self.listing = layout.listing()

    def tearDown(self):
        for bad in GDB_ERRORS:
            self.assertNotIn(bad, self.gdb.transcript, "GDB printed an error")
        for bad in QEMU_ERRORS:
            self.assertNotIn(bad, self.machine.stderr + self.machine.transcript)

    def serial(self, line):
        self.machine.send_raw((line + "\r").encode())

    def continue_until_prompt(self):
        """Let the kernel boot to its prompt, then stop it again."""
        self.gdb.send("continue")
        self.machine.wait_prompt(timeout=60)
        self.interrupt()

    def interrupt(self):
        self.gdb.interrupt()
        self.gdb.wait(timeout=30)

    def stop_report(self, text):
        """(breakpoint name, thread, mode line) of the stop GDB reported."""
        m = re.search(r"smplab: breakpoint (\w+).*?\(GDB thread (\d+)\), ([^\n]*)", text)
        self.assertIsNotNone(m, "no smplab stop report in:\n" + text)
        return m.group(1), int(m.group(2)), m.group(3)

    def current_instruction(self, text):
        m = re.search(r"=> (?:[0-9a-f]{4}:[0-9a-f]{4} \((0x[0-9a-f]+)\)|(0x[0-9a-f]+))"
                      r"(?: <[^>]*>)?:  (.*)", text)
        self.assertIsNotNone(m, "no current instruction in:\n" + text)
        return int(m.group(1) or m.group(2), 16), m.group(3).strip()

    def expect_stops(self, base, apic_thread):
        """The four mode stops, in order, on the AP's thread."""
        expected = [("rm_entry", "real mode (16-bit), paging off", "real"),
                    ("pm_entry", "protected mode, 32-bit code, paging off", "protected"),
                    ("lm_entry", "64-bit long mode, paging on", "long"),
                    ("ap_entry", "64-bit long mode, paging on", "long")]
        for label, mode_text, mode_word in expected:
            text = self.gdb.wait(timeout=60)
            name, thread, mode = self.stop_report(text)
            self.assertEqual((name, thread), (label, apic_thread))
            self.assertEqual(mode, mode_text)
            self.assertRegex(self.gdb.run("smplab mode"),
                             r"AP with APIC ID \d+ \(GDB thread %d\): [^\n]*%s" % (
                                 apic_thread, mode_word))
            if label != "ap_entry":
                address, insn = self.current_instruction(text)
                self.assertEqual(address, base + self.labels[label])
                source = self.listing[self.labels[label]]
                self.assertEqual(mnemonic(insn), mnemonic(source),
                                 "%s: decoded %r, source %r" % (label, insn, source))
            else:
                self.assertIn("<ap_entry>", text)
            self.gdb.send("smplab continue")


class BreakModesTest(GdbSession):
    def test_stops_in_order_when_set_before_install(self):
        self.assertIn("once the kernel installs the trampoline",
                      self.gdb.run("smplab break-modes"))
        self.gdb.send("smplab continue")
        self.machine.wait_prompt(timeout=60)
        self.serial("boot 1")
        self.expect_stops(0x8000, apic_thread=2)
        self.machine.wait_for("Hello World from CPU 1 (APIC ID 1)", timeout=30)

    def test_stops_at_a_vector_installed_before(self):
        self.continue_until_prompt()
        self.gdb.send("continue")
        self.assertIn("base       0x00020000", self.machine.cmd("tramp install 0x20"))
        self.assertIn("cpu_table[3]", self.machine.cmd("cpudata 3"))
        self.interrupt()
        self.assertIn("at 0x20000, APIC ID 3 only", self.gdb.run("smplab break-modes 3"))
        self.gdb.send("smplab continue")
        self.serial("init 3")
        self.serial("sipi 3 0x20")
        self.expect_stops(0x20000, apic_thread=4)


class StepTest(GdbSession):
    def test_si_from_real_mode_entry_follows_the_listing(self):
        self.gdb.run("smplab break-modes 2")
        self.gdb.send("smplab continue")
        self.machine.wait_prompt(timeout=60)
        self.serial("boot 2 fast")
        text = self.gdb.wait(timeout=60)
        self.assertEqual(self.stop_report(text)[0], "rm_entry")
        steps = re.findall(r"=> ([0-9a-f]{4}):([0-9a-f]{4}) \((0x[0-9a-f]+)\)[^:]*:  (.*)",
                           self.gdb.run("smplab si 10"))
        self.assertEqual(len(steps), 10)
        previous = 0
        for segment, offset, linear, insn in steps:
            linear = int(linear, 16)
            self.assertEqual(linear, int(segment, 16) * 16 + int(offset, 16))
            self.assertNotEqual(linear, previous, "smplab si did not move")
            self.assertIn(linear - 0x8000, self.listing, "0x%x is not an instruction" % linear)
            self.assertEqual(mnemonic(insn), mnemonic(self.listing[linear - 0x8000]))
            previous = linear
        self.assertIn("rm_start", self.gdb.run("smplab disas 1"))

    def test_step_mode_reaches_the_next_switch(self):
        self.gdb.run("smplab break-modes 1")
        self.gdb.send("smplab continue")
        self.machine.wait_prompt(timeout=60)
        self.serial("boot 1 fast")
        self.assertEqual(self.stop_report(self.gdb.wait(timeout=60))[0], "rm_entry")
        for label in ("pm_enter", "pm_entry", "lm_enter", "lm_entry", "c_call"):
            self.assertEqual(self.stop_report(self.gdb.run("smplab step-mode", timeout=60))[0],
                             label)


    def test_continue_from_one_instruction_before_a_stop(self):
        self.gdb.run("smplab break-modes 1")
        self.gdb.send("smplab continue")
        self.machine.wait_prompt(timeout=60)
        self.serial("boot 1 fast")
        self.assertEqual(self.stop_report(self.gdb.wait(timeout=60))[0], "rm_entry")
        for label in ("pm_enter", "pm_entry", "lm_enter"):
            self.gdb.run("smplab step-mode", timeout=60)
        for _ in range(20):
            if "ljmp" in self.gdb.run("smplab si"):
                break
        else:
            self.fail("no far jump within 20 instructions of lm_enter")
        # The next instruction is lm_entry, one of break-modes' stops.
        self.assertEqual(self.stop_report(self.gdb.run("smplab continue", timeout=60))[0],
                         "lm_entry")


class AgreementTest(GdbSession):
    def test_status_and_cpudata_agree_with_the_monitor(self):
        self.continue_until_prompt()
        self.gdb.send("continue")
        self.assertIn("1 of 1 AP idle", self.machine.cmd("boot 1", timeout=30))
        self.machine.cmd("tramp fault long")
        self.assertIn("FAILED: #UD", self.machine.cmd("boot 2", timeout=30))
        monitor_status = self.machine.cmd("status")
        monitor_cpudata = self.machine.cmd("cpudata")
        self.interrupt()
        gdb_status = self.gdb.run("smplab status")
        row = lambda text: re.search(r"^\s+1\s+(\S+)\s+(\d+)((?:\s+(?:\d+|-)){6})", text, re.M)
        mon, gdb_row = row(monitor_status), row(gdb_status)
        self.assertIsNotNone(gdb_row, gdb_status)
        self.assertEqual(mon.group(1), "idle")
        self.assertEqual(mon.group(0).split(), gdb_row.group(0).split())
        # A fault row, with its detail, in the same words.
        fault = lambda text: re.search(r"^\s+2\s+fault\s.*$", text, re.M)
        self.assertIn("#UD invalid opcode", fault(monitor_status).group(0))
        self.assertEqual(fault(monitor_status).group(0).split(),
                         fault(gdb_status).group(0).split())
        stack = re.search(r"^\s+1\s+1\s+\S+\s+\S+.*?(0x[0-9a-f]+)-(0x[0-9a-f]+)",
                          monitor_cpudata, re.M)
        gdb_cpudata = self.gdb.run("smplab cpudata 1")
        m = re.search(r"stack\s+(0x[0-9a-f]+)-(0x[0-9a-f]+)", gdb_cpudata)
        self.assertEqual([int(x, 16) for x in stack.groups()],
                         [int(x, 16) for x in m.groups()])
        self.assertIn("64-bit code", self.gdb.run("smplab gdt"))
        self.assertIn("-> physical 0x8000 in a 2 MiB page", self.gdb.run("smplab walk 0x8000"))
        self.assertIn("not present", self.gdb.run("smplab walk 0x7f0000000000"))


class LargeApicIdTest(GdbSession):
    """Issue 13 in GDB. Two sockets of 33 cores give an AP with APIC ID 64 (CPU 33):
    `smplab status` and `smplab cpudata` agree with the monitor for all 33 APs. Then GDB
    makes the trampoline's slot table forget APIC 64, as a firmware whose MADT left that
    processor out would: the next broadcast wakes it anyway, it finds no slot, counts
    itself among the strays and halts, and `boot` reports it."""
    accels = ("tcg",)
    smp = "34,sockets=2,cores=33,maxcpus=66"
    SLOT_OF_64 = 33             # MADT order: APIC IDs 0-32, then 64

    def test_large_ids_and_an_ap_without_a_slot(self):
        self.continue_until_prompt()
        self.gdb.send("continue")
        self.assertRegex(self.machine.cmd("boot all fast", timeout=60),
                         r"(?m)^boot: 33 of 33 APs idle")
        monitor_status = status_rows(self.machine.cmd("status full", timeout=30))
        monitor_cpudata = self.machine.cmd("cpudata")
        self.interrupt()
        self.assertEqual(sorted(monitor_status), list(range(1, 33)) + [64])
        self.assertEqual(status_rows(self.gdb.run("smplab status", timeout=120)), monitor_status)
        stack = re.search(r"^\s+64\s+33\s+.*?(0x[0-9a-f]+)-(0x[0-9a-f]+)", monitor_cpudata,
                          re.M)
        self.assertIsNotNone(stack, monitor_cpudata)
        m = re.search(r"stack\s+(0x[0-9a-f]+)-(0x[0-9a-f]+)", self.gdb.run("smplab cpudata 64"))
        self.assertEqual([int(x, 16) for x in stack.groups()], [int(x, 16) for x in m.groups()])

        entry = "*(unsigned int *)(0x8000 + *(unsigned short *)(0x8000 + %d) + %d * 4)" % (
            layout.load().offsets["TP_SLOT_TABLE"], self.SLOT_OF_64)
        self.assertRegex(self.gdb.run("p %s" % entry), r"= 64\s*$")
        self.gdb.run("set var %s = 0xffffffff" % entry)
        self.gdb.send("continue")
        out = self.machine.cmd("boot all fast", timeout=60)
        self.assertIn("  APIC 64: answered the broadcast, but the MADT does not list it at all: "
                      "it found no slot in the trampoline and halted", out)
        self.assertRegex(out, r"(?m)^boot: 32 of 33 APs idle, and 1 processor the MADT does "
                              r"not list answered, \d+ us in all$")
        self.assertEqual(self.machine.transcript.count("Hello World from CPU 33 (APIC ID 64)"), 1,
                         "APIC 64 said Hello in the second boot")


if __name__ == "__main__":
    unittest.main()
