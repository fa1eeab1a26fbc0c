"""GDB against QEMU: the smplab commands follow an AP through every mode
switch, under TCG and (when usable) KVM. Each test boots its own machine
with a gdbstub, attaches GDB through smplab.gdbsession and types the
monitor's commands over the serial line."""
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
import unittest

import pexpect
import pyte

from smplab import ROOT, acpi_tables, layout
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
    term = "dumb"
    extra = ""              # more QEMU arguments

    def setUp(self):
        self.machine = Machine(smp=self.smp, accel=self.accel, extra=self.extra,
                               launcher_args=["--paused", "--gdb", str(GDB_PORT)])
        self.addCleanup(self.machine.close)
        self.gdb = Gdb(GDB_PORT, term=self.term)
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

    def boot_to_rm_entry(self, apic, modes="", resume="smplab continue"):
        """`smplab break-modes MODES`, resume, `boot APIC fast`: the AP's real-mode stop."""
        self.gdb.run("smplab break-modes %s" % modes)
        self.gdb.send(resume)
        self.machine.wait_prompt(timeout=60)
        self.serial("boot %d fast" % apic)
        self.assertEqual(self.stop_report(self.gdb.wait(timeout=60))[0], "rm_entry")

    def interrupt(self):
        self.gdb.interrupt()
        self.gdb.wait(timeout=30)

    def stop_report(self, text, what=r"breakpoint (\w+)"):
        """(breakpoint name, thread, mode) of the stop GDB reported."""
        return self.stop_line(text, what)[:3]

    def stop_line(self, text, what=r"breakpoint (\w+)"):
        """(what matched, thread, mode, [mode bits changed]) of smplab's line at a stop."""
        m = re.search(r"smplab: %s.*?\(GDB thread (\d+)\), ([^;\n]*)(?:; ([^\n]*))?" % what,
                      text)
        self.assertIsNotNone(m, "no smplab stop report in:\n" + text)
        changes = m.group(4).split(", ") if m.group(4) else []
        return m.group(1), int(m.group(2)), m.group(3), changes

    def current_instruction(self, text):
        m = re.search(r"=> (?:[0-9a-f]{4}:[0-9a-f]{4} \((0x[0-9a-f]+)\)|(0x[0-9a-f]+))"
                      r"(?: <[^>]*>)?:  (.*)", text)
        self.assertIsNotNone(m, "no current instruction in:\n" + text)
        return int(m.group(1) or m.group(2), 16), m.group(3).strip()

    def expect_stops(self, base, apic_thread, resume="smplab continue"):
        """The four mode stops, in order, on the AP's thread, resuming with resume."""
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
            self.gdb.send(resume)


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
        self.assertIn("cpu_table[1]", self.machine.cmd("cpudata 1"))
        self.interrupt()
        self.assertIn("at 0x20000, APIC ID 3 only", self.gdb.run("smplab break-modes 3"))
        # GDB's own continue: APIC 1 passes every mode breakpoint without a stop (in real
        # mode GDB cannot tell the hit is one of its breakpoints: smplab's SIGTRAP
        # catchpoint lets it through), and APIC 3 stops at each.
        self.gdb.send("continue")
        self.serial("init 1")
        self.serial("sipi 1 0x20")
        self.machine.wait_for("Hello World from CPU 1 (APIC ID 1)", timeout=30)
        self.serial("init 3")
        self.serial("sipi 3 0x20")
        self.expect_stops(0x20000, apic_thread=4, resume="continue")
        self.assertNotIn("another AP", self.gdb.transcript)


class OwnCommandsTest(GdbSession):
    """Issue 14: GDB's own commands, typed as a GDB user types them, follow an AP started at
    a non-default vector from real mode to ap_entry. Then break-modes stops where the code
    in memory is not the build's and changes mode (an equivalent instruction patched in)
    and where the AP takes a planted fault; and `smplab status` agrees with `status full`,
    timeout included."""
    VECTOR = 0x20
    LONG = "64-bit long mode, paging on"
    smp = "5"               # APIC 4 is never started: a SIPI without INIT goes to it

    def test_continue_stepi_x_i_and_display_i_from_real_mode_to_ap_entry(self):
        base = self.VECTOR << 12
        self.assertIn("once the kernel installs", self.gdb.run("smplab break-modes"))
        self.gdb.send("continue")
        self.machine.wait_prompt(timeout=60)
        self.assertIn("base       0x%08x" % base, self.machine.cmd("tramp install 0x20"))
        for apic in (1, 2):
            self.machine.cmd("cpudata %d" % apic)
        self.machine.cmd("init 1")
        self.serial("sipi 1 0x20")
        text = self.gdb.wait(timeout=60)
        self.assertIn("the kernel installs the trampoline at vector 0x20", text)
        self.assertNotIn("tramp_install (", text, "the install hook stopped GDB")
        self.assertEqual(self.stop_line(text), ("rm_entry", 2, "real mode (16-bit), paging off", []))

        # x/3i: the bytes at CS*16+IP, decoded as 16-bit code, shown at IP.
        insns = re.findall(r"^(?:=>)?\s+0x([0-9a-f]+)(?: <[^>]*>)?:\s+(.*)$",
                           self.gdb.run("x/3i $pc"), re.M)
        self.assertEqual(len(insns), 3, insns)
        self.assertEqual(insns[0], ("0", "cli"))
        self.assertEqual(insns[1], ("1", "jmp 0x%x" % self.labels["rm_start"]))
        # disassemble, with no arguments: the function around $pc (IP), from the symbols
        # smplab loads at the trampoline's offsets; bt and info symbol name it.
        dump = self.gdb.run("disassemble")
        self.assertIn("Dump of assembler code for function rm_entry:", dump)
        self.assertRegex(dump, r"=> 0x0+ <\+0>:\tcli\n\s+0x0+1 <\+1>:\tjmp 0x%x\n" %
                         self.labels["rm_start"])
        self.assertIn("#0  0x0000000000000000 in rm_entry ()", self.gdb.run("bt 1"))
        self.assertIn("the trampoline calls none, so there is no caller to return to",
                      self.gdb.run("finish"))
        # stepi, twice: two instructions, the jump taken.
        for linear in (base + 1, base + self.labels["rm_start"]):
            self.assertEqual(self.current_instruction(self.gdb.run("stepi"))[0], linear)
        self.assertRegex(self.gdb.run("p/x $pc"), r"= 0x%x\s*$" % self.labels["rm_start"])
        shown = self.gdb.run("display/i $pc")
        self.assertEqual(mnemonic(shown.split(":\t")[-1]),
                         mnemonic(self.listing[self.labels["rm_start"]]), shown)

        for label, mode, changes in (
                ("pm_entry", "protected mode, 32-bit code, paging off", ["CR0.PE 0->1"]),
                ("lm_entry", self.LONG, ["CR0.PG 0->1", "EFER.LMA 0->1", "CS.L 0->1"]),
                ("ap_entry", self.LONG, [])):
            text = self.gdb.run("continue", timeout=60)
            self.assertEqual(self.stop_line(text), (label, 2, mode, changes))
            display = re.search(r"^1: x/i \$pc\n=> 0x([0-9a-f]+)[^:]*:\t(.*)$", text, re.M)
            self.assertIsNotNone(display, text)
            if label != "ap_entry":
                self.assertEqual(int(display.group(1), 16), base + self.labels[label])
                # The symbols moved to where this trampoline runs (flat CS, then linear).
                self.assertRegex(self.gdb.run("info symbol $pc"), r"^%s in section" % label)
                self.assertIn("function %s:\n=> 0x%016x <+0>:" % (label, base + self.labels[label]),
                              self.gdb.run("disassemble"))
                self.assertEqual(mnemonic(display.group(2)),
                                 mnemonic(self.listing[self.labels[label]]))
        self.gdb.run("undisplay 1")
        # finish, from a C function the AP calls: back in ap_entry. Its breakpoint at the
        # caller is a hardware one under KVM too (the kernel's code is read-only to GDB), and
        # fits once break-modes gives its breakpoints back.
        self.gdb.run("smplab break-modes off")
        self.gdb.run("tbreak idt_load")
        self.assertIn("Temporary breakpoint 1, idt_load ()", self.gdb.run("continue", timeout=60))
        self.assertRegex(self.gdb.run("finish", timeout=60),
                         r"Run till exit from #0  idt_load \(\) at kernel/arch/idt.c:\d+\n"
                         r"ap_entry \(cd=0x[0-9a-f]+\) at kernel/smp/ap_entry.c:16\n")
        self.gdb.run("smplab break-modes")
        self.gdb.send("continue")
        self.machine.wait_for("Hello World from CPU 1 (APIC ID 1)", timeout=30)

        # An instruction the build does not have there, which switches all the same:
        # lmsw ax for mov cr0, eax (both 3 bytes; lmsw sets CR0.PE, SDM Vol 2A LMSW).
        self.interrupt()
        mov_cr0 = [o for o, source in self.listing.items()
                   if self.labels["pm_enter"] <= o < self.labels["pm_entry"]
                   and source.split(";")[0].split() == ["mov", "cr0,", "eax"]]
        self.assertEqual(len(mov_cr0), 1, mov_cr0)
        self.gdb.run("set {unsigned char[3]} 0x%x = {0x0f, 0x01, 0xf0}" % (base + mov_cr0[0]))
        self.gdb.send("continue")
        self.assertIn("#UD", self.machine.cmd("tramp fault protected"))
        self.machine.cmd("init 2")
        self.serial("sipi 2 0x20")
        self.assertEqual(self.stop_report(self.gdb.wait(timeout=60))[:2], ("rm_entry", 3))
        self.assertEqual(self.stop_line(self.gdb.run("continue", timeout=60), "(mode change) "
                                        "after `lmsw ax`"),
                         ("mode change", 3, "protected mode, 16-bit code, paging off",
                          ["CR0.PE 0->1"]))
        self.assertEqual(self.stop_line(self.gdb.run("continue", timeout=60)),
                         ("pm_entry", 3, "protected mode, 32-bit code, paging off", []))
        self.assertEqual(self.stop_line(self.gdb.run("continue", timeout=60),
                                        r"exception (#UD invalid opcode \(vector 6\))")[:3],
                         ("#UD invalid opcode (vector 6)", 3,
                          "protected mode, 32-bit code, paging off"))

        # smplab status against the monitor's, with a fault and two timeouts: APIC 3 runs
        # the zeros at 0x30000 and never writes a stage; APIC 4, never started, ignores a
        # SIPI that came without an INIT (status points back at the missing INIT).
        self.gdb.send("continue")
        self.machine.cmd("init 3")
        self.assertIn("forced: sending anyway", self.machine.cmd("sipi 3 0x30 force"))
        self.machine.cmd("cpudata 4")
        self.assertIn("got no INIT", self.machine.cmd("sipi 4 0x20"))
        deadline = time.monotonic() + 10
        while "sipi" in [status_rows(self.machine.cmd("status"))[a][0] for a in (3, 4)]:
            self.assertLess(time.monotonic(), deadline, "APIC 3 or 4 did not time out")
            time.sleep(0.2)
        monitor_status = status_rows(self.machine.cmd("status full"))
        self.interrupt()
        self.assertEqual([monitor_status[a][0] for a in (1, 2, 3, 4)],
                         ["idle", "fault", "timeout", "timeout"])
        self.assertIn("no INIT before the SIPI", monitor_status[4][3])
        self.assertEqual(status_rows(self.gdb.run("smplab status")), monitor_status)


class StepTest(GdbSession):
    def test_si_from_real_mode_entry_follows_the_listing(self):
        self.boot_to_rm_entry(2, modes="2")
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
        self.boot_to_rm_entry(1, modes="1")
        for label in ("pm_enter", "pm_entry", "lm_enter", "lm_entry", "c_call"):
            self.assertEqual(self.stop_report(self.gdb.run("smplab step-mode", timeout=60))[0],
                             label)


    def test_continue_from_one_instruction_before_a_stop(self):
        self.boot_to_rm_entry(1, modes="1")
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


class TuiTest(GdbSession):
    """The TUI as a GDB user opens it at an AP's real-mode entry (IP 0, where GDB's own
    assembly window draws nothing) and after: GDB on an xterm, its screen read back through a
    terminal emulator (pyte). The accelerator does not matter to drawing: TCG only."""
    accels = ("tcg",)
    term = "xterm"

    def setUp(self):
        super().setUp()
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.Stream(self.screen)

    def type_and_see(self, command, *wanted, timeout=30):
        """Type command; return the screen once every wanted text is on it."""
        self.gdb.child.sendline(command)
        deadline = time.monotonic() + timeout
        while True:
            shown = "\n".join(self.screen.display)
            if all(w in shown for w in wanted):
                return shown
            if time.monotonic() > deadline:
                self.fail("%r: %r not on the screen:\n%s" % (command, wanted, shown))
            try:
                self.stream.feed(self.gdb.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                pass

    def test_layout_asm_and_regs_at_each_mode(self):
        self.boot_to_rm_entry(1, resume="continue")
        rm_start = self.labels["rm_start"]
        self.type_and_see("layout asm", "=> 0800:0000 (0x08000) <rm_entry>:  cli",
                          "0800:0001 (0x08001) <rm_entry+1>:  jmp 0x%x" % rm_start)
        self.type_and_see("layout regs", "CS =0800 00008000", "EIP=00000000",
                          "=> 0800:0000 (0x08000) <rm_entry>:  cli")
        self.type_and_see("stepi", "EIP=00000001", "=> 0800:0001 (0x08001) <rm_entry+1>:  jmp")
        self.type_and_see("continue", "protected mode, 32-bit code",
                          "=> 0x%x <pm_entry>:" % (0x8000 + self.labels["pm_entry"]))
        self.type_and_see("continue", "64-bit long mode",
                          "=> 0x%x <lm_entry>:" % (0x8000 + self.labels["lm_entry"]), "RIP=")


class UserHooksTest(unittest.TestCase):
    """A user's own hook-stepi, defined before smplab loads, runs after smplab's; one
    defined later is reported with the line to add. GDB alone, no machine."""
    SCRIPT = """set confirm off
define hook-stepi
if 1
  echo the user's own hook\\n
end
end
file build/smplab.elf
source gdb/smplab.py
show user hook-stepi
define hook-nexti
echo a later one\\n
end
python from smplab_gdb import hooks; hooks.warn_if_replaced()
"""

    def test_hooks_chain_or_warn(self):
        with tempfile.NamedTemporaryFile("w", suffix=".gdb") as script:
            script.write(self.SCRIPT)
            script.flush()
            out = subprocess.run(["gdb", "-q", "-nx", "-batch", "-x", script.name],
                                 cwd=ROOT, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.stderr, "")
        self.assertIn('User command "hook-stepi":\n  smplab before-resume stepi\n  if 1\n'
                      "    echo the user's own hook\\n\n  end\n", out.stdout)
        self.assertIn("smplab: hook-nexti no longer calls smplab", out.stdout)
        self.assertIn("make 'smplab before-resume nexti' its first line", out.stdout)
        self.assertNotIn("hook-continue", out.stdout)


class AgreementTest(GdbSession):
    def test_status_and_cpudata_agree_with_the_monitor(self):
        self.continue_until_prompt()
        self.gdb.send("continue")
        self.assertIn("1 of 1 AP idle", self.machine.cmd("boot 1", timeout=30))
        # An AP whose stack overflowed into the canary below it (issue 14).
        self.machine.cmd("init 3")
        self.machine.cmd("cpudata 3 stack=256 force")
        self.assertIn("1 of 1 AP idle", self.machine.cmd("boot 3 fast", timeout=30))
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
        overflow = status_rows(monitor_status)[3]
        self.assertEqual((overflow[0], overflow[3]),
                         ("idle", "STACK OVERFLOW (canary overwritten)"))
        self.assertEqual(status_rows(gdb_status)[3], overflow)
        self.assertNotIn("OVERFLOW", "".join(str(r) for a, r in status_rows(gdb_status).items()
                                             if a != 3))
        stack = re.search(r"^\s+1\s+1\s+\S+\s+\S+.*?(0x[0-9a-f]+)-(0x[0-9a-f]+)",
                          monitor_cpudata, re.M)
        gdb_cpudata = self.gdb.run("smplab cpudata 1")
        m = re.search(r"stack\s+(0x[0-9a-f]+)-(0x[0-9a-f]+)", gdb_cpudata)
        self.assertEqual([int(x, 16) for x in stack.groups()],
                         [int(x, 16) for x in m.groups()])
        self.assertIn("64-bit code", self.gdb.run("smplab gdt"))
        self.assertIn("-> physical 0x8000 in a 2 MiB page", self.gdb.run("smplab walk 0x8000"))
        self.assertIn("not present", self.gdb.run("smplab walk 0x7f0000000000"))


def madt(apic_ids, last_entry_len=8):
    """A MADT (ACPI 6.5 5.2.12) listing these local APICs, enabled, and QEMU's I/O APIC; its
    last entry's length byte is last_entry_len. QEMU's -acpitable makes the header's length
    and checksum right, and leaves the entries as they are."""
    entries = [struct.pack("<BBBBI", 1, 12, 0, 0, 0xFEC00000) + struct.pack("<I", 0)]
    entries += [struct.pack("<BBBBI", 0, 8, uid, apic_id, 1)
                for uid, apic_id in enumerate(apic_ids)]
    entries[-1] = entries[-1][:1] + bytes([last_entry_len]) + entries[-1][2:]
    body = struct.pack("<II", 0xFEE00000, 1) + b"".join(entries)
    return struct.pack("<4sIBB6s8sI4sI", b"APIC", 36 + len(body), 1, 0, b"SMPLAB",
                       b"BADMADT", 1, b"SMPL", 1) + body


class BadFirmwareTablesTest(GdbSession):
    """Issue 16: firmware tables that are wrong. QEMU adds four MADTs to its own with
    -acpitable (after its own in the RSDT, with their lengths and checksums made right): a
    sound one with QEMU's CPUs, one with other APIC IDs, one whose last entry runs past
    the end, and one GDB shortens. GDB also breaks QEMU's own MADT's checksum before the
    kernel reads it. The kernel uses the second table, says why it ignored each of the
    others, and starts QEMU's CPUs from it."""
    accels = ("tcg",)
    TABLES = (("used", madt([0, 1, 2, 3])),
              ("other-ids", madt([0, 8, 9])),
              ("overflow", madt([0, 1, 2, 3], last_entry_len=9)),
              ("short", madt([0, 1, 2, 3])))

    def setUp(self):
        tmp = tempfile.mkdtemp(prefix="smplab-acpi-")
        self.addCleanup(shutil.rmtree, tmp)
        self.extra = ""
        for name, table in self.TABLES:
            path = os.path.join(tmp, name + ".bin")
            with open(path, "wb") as f:
                f.write(table)
            self.extra += " -acpitable file=" + path
        super().setUp()
        self.ram_path = os.path.join(tmp, "ram.bin")

    def firmware_madts(self):
        """The MADTs' addresses in the RSDT's order, read from guest RAM."""
        self.machine.qmp("pmemsave", val=0, size=128 << 20, filename=self.ram_path)
        with open(self.ram_path, "rb") as f:
            _, _, tables = acpi_tables.root_tables(f.read())
        return [addr for addr, sig, _ in tables if sig == b"APIC"]

    def test_the_first_sound_madt_is_used_and_the_others_are_reported(self):
        self.gdb.run("hbreak acpi_init")
        self.gdb.send("continue")
        self.assertIn("acpi_init", self.gdb.wait(timeout=60))
        qemus, used, other, overflow, short = self.firmware_madts()
        self.gdb.run("set var *(unsigned char *)%#x += 1" % (qemus + acpi_tables.CHECKSUM))
        self.gdb.run("set var *(unsigned int *)%#x = 40" % (short + acpi_tables.LENGTH))
        self.gdb.run("delete")
        self.gdb.send("continue")
        banner = self.machine.wait_prompt(timeout=60).replace("\r", "")

        self.assertIn(", MADT at %#x\n" % used, banner)
        ignored = [line for line in banner.splitlines() if line.startswith("ACPI    ignored")]
        self.assertEqual(ignored, [
            "ACPI    ignored the MADT at %#x: %s" % (at, why)
            for at, why in (
                (qemus, "bad checksum"),
                (other, "a second MADT"),
                (overflow, "the entry at offset %d runs past the end" % (len(madt([0] * 3)))),
                (short, "length 40 is below a MADT's minimum of 44 bytes"))])
        cpus = self.machine.cmd("cpus")
        self.assertEqual(re.findall(r"(?m)^\s+(\d+)\s+\d+\s+LAPIC\s+enabled", cpus),
                         ["0", "1", "2", "3"])
        self.assertIn("4 CPUs; MADT at %#x" % used, cpus)
        self.assertRegex(self.machine.cmd("boot all fast", timeout=60),
                         r"(?m)^boot: 3 of 3 APs idle")

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
