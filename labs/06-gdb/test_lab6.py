"""Lab 6 check: replay the README's GDB session on one machine, then test what it shows.

The README holds two kinds of listing, replayed in order on one QEMU + GDB:

  ```gdb      typed in the GDB terminal. Each `(gdb) COMMAND` line is run and the lines
              under it are compared with GDB's answer (smplab.sessions.mismatch: numbers masked,
              `...` for any lines; blank lines and GDB's own prompts are left out).
              A command with no lines under it that ends its block, when a ```smplab
              block comes next, resumes the machine: it is left running while the
              learner types at the monitor.
              A block whose first line is not `(gdb) ...` shows the rest of that running
              command's output: GDB stopped the machine (a breakpoint).
  ```smplab   typed at the monitor (terminal 1) while GDB lets the machine run. Each line
              is typed once the monitor shows its prompt. When the next block continues
              a running GDB command, the monitor's command is cut short by that stop: its
              lines are compared with what the monitor printed before the machine stopped.
              Otherwise the command runs to its prompt and is compared as in other labs.

A block with the option `tcg` or `kvm` is replayed under that accelerator only.

The replay records `smplab mode`, `smplab gdt`, `smplab disas` and `x/i` at each place
the AP stood (named by the trampoline label of its next instruction); the tests after
it check the README's claims on those records directly."""
import os
import re
import socket
import subprocess
import time

from smplab import ROOT, layout
from smplab.gdbsession import Gdb
from smplab.machine import Machine
from smplab.sessions import mismatch
from smplab.testcase import LabCheck

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
ELF = os.path.join(ROOT, "build", "smplab.elf")
BLOCK = re.compile(r"^```(gdb|smplab)([^\n]*)\n(.*?)^```", re.M | re.S)
GDB_PROMPT = "(gdb) "
MONITOR_PROMPT = "smplab> "
GDB_ERRORS = ("Cannot insert", "Python Exception", "Traceback", "Error occurred in Python")
QEMU_ERRORS = ("KVM internal error", "emulation failure")
HERE = re.compile(r"=> [^\n]*?<([\w.+]+)>:")

CR0_PE, CR0_PG = 1 << 0, 1 << 31          # SDM Vol 3A 2.5
CR4_PAE = 1 << 5
EFER_LME, EFER_LMA = 1 << 8, 1 << 10      # SDM Vol 3A 2.2.1
SEG_L, SEG_D = 1 << 21, 1 << 22           # code descriptor, high dword (SDM Vol 3A 3.4.5)


class Block:
    def __init__(self, kind, options, text):
        self.kind, self.options = kind, options.split()
        self.head = None             # lines that end the running GDB command
        self.steps = []              # [(command, [expected lines])]
        prompt = GDB_PROMPT if kind == "gdb" else MONITOR_PROMPT
        for line in text.splitlines():
            if line.startswith(prompt):
                self.steps.append((line[len(prompt):].strip(), []))
            elif self.steps:
                self.steps[-1][1].append(line)
            elif kind == "gdb":
                self.head = (self.head or []) + [line]
            elif line.strip():
                raise ValueError("a smplab block must start with 'smplab> '")

    def applies(self, accel):
        restricted = [o for o in self.options if o in ("tcg", "kvm")]
        return not restricted or accel in restricted


def blocks(readme):
    with open(readme) as f:
        return [Block(m.group(1), m.group(2), m.group(3)) for m in BLOCK.finditer(f.read())]


def clean(lines):
    """GDB's answer without its prompts and blank lines."""
    out = []
    for line in lines:
        while line.startswith(GDB_PROMPT.rstrip()):
            line = line[len(GDB_PROMPT.rstrip()):].lstrip(" ")
        if line.strip():
            out.append(line)
    return out


def parse_mode(text):
    """`smplab mode` -> {'mode': text, 'CR0': int, ..., 'CS': (sel, base, limit, flags)}."""
    m = re.search(r"\(GDB thread \d+\): (.*)", text)
    assert m, "no `smplab mode` answer in:\n" + text
    out = {"mode": m.group(1).strip()}
    for name, value in re.findall(r"^\s+(CR0|CR3|CR4|EFER)\s+0x([0-9a-f]+)", text, re.M):
        out[name] = int(value, 16)
    for name, *fields in re.findall(r"^\s+(CS|DS|SS)\s+([0-9a-f]{4})\s+base 0x([0-9a-f]+) "
                                    r"limit 0x([0-9a-f]+) flags 0x([0-9a-f]+)", text, re.M):
        out[name] = tuple(int(f, 16) for f in fields)
    return out


def symbol(name):
    out = subprocess.run(["nm", ELF], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^([0-9a-f]+) \w %s$" % re.escape(name), out, re.M)
    return int(m.group(1), 16)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab6Check(LabCheck):
    README = README
    # What the replay saw, for the tests after it: {place: answer}.
    record = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gdb = None
        cls.record = {"mode": {}, "gdt": {}, "disas": {}, "x": {}, "print": {}}
        cls.replayed = False

    @classmethod
    def tearDownClass(cls):
        if cls.gdb is not None:
            cls.gdb.close()
        super().tearDownClass()

    # ---- the replay ---------------------------------------------------------------------
    def gdb_answer(self, command, text):
        """Keep what a command showed, under the place the AP stands."""
        text = "\n".join(clean(text.splitlines()))
        places = HERE.findall(text)
        if places:
            self.place = places[-1]
        words = command.split()
        if words[:2] == ["smplab", "mode"]:
            self.record["mode"][self.place] = parse_mode(text)
        elif words[:2] == ["smplab", "gdt"]:
            self.record["gdt"][self.place] = text
        elif words[:2] == ["smplab", "disas"]:
            self.record["disas"][self.place] = text
        elif words[0].startswith("x/"):
            self.record["x"][(self.place, words[1])] = text
        elif words[0].split("/")[0] == "p":
            self.record["print"][(self.place, words[1])] = text

    def compare(self, where, expected, actual, what):
        problem = mismatch(clean(expected), actual)
        self.assertIsNone(problem, "%s, `%s`: %s\nit printed:\n%s" % (
            where, what, problem, "\n".join(actual)))

    def monitor_lines(self, start, command):
        lines = self.machine.transcript[start:].replace("\r", "").split("\n")
        for i, line in enumerate(lines):
            if line.endswith(command):
                return lines[i + 1:]
        return []

    def test_1_readme_session(self):
        accel = self.accel
        port = free_port()
        if type(self).machine is not None:
            type(self).machine.close()
        type(self).machine = Machine(smp=self.smp, accel=self.accel,
                                     launcher_args=["--paused", "--gdb", str(port)])
        type(self).gdb = Gdb(port)
        self.place = None
        todo = [b for b in blocks(self.README) if b.applies(accel)]
        self.assertTrue(todo, "README.md shows no gdb session")
        running = None             # the GDB command left running
        cut_short = None           # (command, expected, where, start) typed at the monitor
        for number, block in enumerate(todo, 1):
            where = "labs/06-gdb/README.md, listing %d (```%s)" % (number, block.kind)
            after = todo[number] if number < len(todo) else None
            if block.kind == "gdb":
                if block.head is not None:
                    self.assertIsNotNone(running, "%s continues no running command" % where)
                    text = self.gdb.wait(timeout=60)
                    if cut_short:
                        self.check_cut_short(*cut_short)
                        cut_short = None
                    self.gdb_answer(running, text)
                    self.compare(where, block.head, clean(text.splitlines()), running)
                    running = None
                self.assertIsNone(running, "%s: `%s` is still running" % (where, running))
                for i, (command, expected) in enumerate(block.steps):
                    last = i == len(block.steps) - 1
                    if last and not expected and after is not None and after.kind == "smplab":
                        self.gdb.send(command)
                        running = command
                        continue
                    text = self.gdb.run(command, timeout=60)
                    self.gdb_answer(command, text)
                    if expected:
                        self.compare(where, expected, clean(text.splitlines()), command)
            else:
                self.assertIsNotNone(running, "%s: the machine is stopped: type at the "
                                     "monitor after a GDB command that resumes it" % where)
                stops = after is not None and after.kind == "gdb" and after.head is not None
                for i, (command, expected) in enumerate(block.steps):
                    self.machine.wait_prompt(timeout=60)
                    if stops and i == len(block.steps) - 1:
                        start = len(self.machine.transcript)
                        self.machine.send_raw(command + "\r")
                        cut_short = (command, expected, where, start)
                        continue
                    actual = self.machine.cmd(command, timeout=30).splitlines()
                    self.compare(where, expected, actual, command)
        type(self).replayed = True

    def check_cut_short(self, command, expected, where, start):
        """The monitor's output before GDB stopped the machine; it may trail the stop
        on the serial pipe by a moment."""
        deadline = time.monotonic() + 5
        while True:
            actual = self.monitor_lines(start, command)
            problem = mismatch(expected, actual)
            if problem is None or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertIsNone(problem, "%s, `%s`: %s\nthe monitor printed:\n%s" % (
            where, command, problem, "\n".join(actual)))

    # ---- what the session showed ------------------------------------------------------------
    def mode_at(self, place):
        if place not in self.record["mode"]:
            self.fail("the replay shows no `smplab mode` at %s (it stopped early?)" % place)
        return self.record["mode"][place]

    def assert_flag(self, regs, reg, bit, on, place):
        self.assertEqual(bool(regs[reg] & bit), on, "%s at %s: 0x%x" % (reg, place, regs[reg]))

    def test_2_real_mode(self):
        """rm_entry: PE clear, CS = vector << 8 with base CS * 16; nothing of long mode."""
        for place in ("rm_entry", "pm_enter"):
            m = self.mode_at(place)
            self.assertEqual(m["mode"], "real mode (16-bit), paging off", place)
            self.assert_flag(m, "CR0", CR0_PE, False, place)
            self.assertEqual((m["CR4"], m["EFER"]), (0, 0), place)
            selector, base = m["CS"][:2]
            self.assertEqual((selector, base), (0x0800, 0x8000), place)
            self.assertEqual(base, selector * 16, place)
        # rm_start made DS and SS equal to CS before pm_enter.
        self.assertEqual(self.mode_at("pm_enter")["DS"][:2], (0x0800, 0x8000))

    def test_3_protected_mode(self):
        """PE appears with `mov cr0`, 32-bit code only after the far jump loads CS 0x08."""
        m = self.mode_at("pm_enter+22")           # after mov cr0, eax; at the far jump
        self.assert_flag(m, "CR0", CR0_PE, True, "pm_enter+22")
        self.assertEqual(m["CS"][:2], (0x0800, 0x8000), "CS keeps its real-mode cache")
        self.assertEqual(m["mode"], "protected mode, 16-bit code, paging off")
        m = self.mode_at("pm_entry")
        self.assert_flag(m, "CR0", CR0_PE, True, "pm_entry")
        self.assert_flag(m, "CR0", CR0_PG, False, "pm_entry")
        selector, base, limit, flags = m["CS"]
        self.assertEqual((selector, base, limit), (0x0008, 0, 0xffffffff))
        self.assertTrue(flags & SEG_D and not flags & SEG_L, "CS flags 0x%x" % flags)
        self.assertEqual(m["mode"], "protected mode, 32-bit code, paging off")
        self.assertEqual(m["DS"][0], 0x0800, "DS is reloaded only after pm_entry")

    def test_4_long_mode(self):
        """PAE and LME before paging; LMA with `mov cr0` (PG), not with `wrmsr`; then CS 0x18."""
        m = self.mode_at("lm_enter")
        self.assert_flag(m, "CR4", CR4_PAE, False, "lm_enter")
        self.assertEqual(m["EFER"], 0, "lm_enter")
        m = self.mode_at("lm_enter+27")           # after wrmsr
        self.assert_flag(m, "CR4", CR4_PAE, True, "lm_enter+27")
        self.assert_flag(m, "EFER", EFER_LME, True, "lm_enter+27")
        self.assert_flag(m, "EFER", EFER_LMA, False, "lm_enter+27")
        self.assert_flag(m, "CR0", CR0_PG, False, "lm_enter+27")
        self.assertTrue(0 < m["CR3"] < 1 << 32, "CR3 0x%x" % m["CR3"])
        m = self.mode_at("lm_enter+38")           # after mov cr0, eax; at the far jump
        self.assert_flag(m, "CR0", CR0_PG, True, "lm_enter+38")
        self.assert_flag(m, "EFER", EFER_LMA, True, "lm_enter+38")
        self.assertEqual(m["CS"][0], 0x0008)
        self.assertEqual(m["mode"], "compatibility mode, 32-bit code, paging on")
        for place in ("lm_entry", "c_call", "ap_entry"):
            m = self.mode_at(place)
            self.assertEqual(m["mode"], "64-bit long mode, paging on", place)
            self.assert_flag(m, "EFER", EFER_LMA, True, place)
            selector, flags = m["CS"][0], m["CS"][3]
            self.assertEqual(selector, 0x0018, place)
            self.assertTrue(flags & SEG_L and not flags & SEG_D, "%s: CS flags 0x%x" % (
                place, flags))

    def test_5_kernel_gdt(self):
        """ap_entry still runs on the trampoline's GDT; gdt_load's far return moves to the
        kernel's, where 0x08 is the 64-bit code segment."""
        m = self.mode_at("gdt_load+41")
        self.assertEqual(m["CS"][0], 0x0008)
        self.assertTrue(m["CS"][3] & SEG_L, "CS flags 0x%x" % m["CS"][3])
        self.assertEqual(m["mode"], "64-bit long mode, paging on")
        bases = {}
        for place in ("ap_entry", "gdt_load+41"):
            text = self.record["gdt"].get(place)
            self.assertIsNotNone(text, "no `smplab gdt` at %s" % place)
            bases[place] = int(re.search(r"GDTR base 0x([0-9a-f]+)", text).group(1), 16)
        self.assertTrue(0x8000 <= bases["ap_entry"] < 0x8000 + 0x1000,
                        "trampoline GDT at 0x%x" % bases["ap_entry"])
        self.assertEqual(bases["gdt_load+41"], symbol("gdt"))
        printed = self.record["print"].get(("gdt_load+41", "&gdt"), "")
        self.assertRegex(printed, r"= 0x%x$" % symbol("gdt"))
        self.assertRegex(self.record["gdt"]["ap_entry"], r"0x08\s+32-bit code")
        self.assertRegex(self.record["gdt"]["gdt_load+41"], r"0x08\s+64-bit code")

    def test_6_plain_x_i(self):
        """In real mode $pc is IP only, and x/i, asked about IP, decodes the bytes at
        CS.base + IP as 16-bit code (smplab's disassembler in front of GDB's)."""
        printed = self.record["print"].get(("rm_entry", "$pc"), "")
        self.assertRegex(printed, r"= \(void \(\*\)\(\)\) 0x0 <rm_entry>\s*$")
        at_pc = self.record["x"].get(("rm_entry", "$pc"), "")
        self.assertRegex(at_pc, r"=> 0x0 <rm_entry>:\s+cli\n")
        self.assertIn("<rm_entry>:  cli", self.record["disas"].get("rm_entry", ""))
        # At pm_enter GDB's x/i and smplab disas follow the listing, instruction by
        # instruction: x/i at IP (= the offset in the trampoline), smplab at linear addresses.
        listing = layout.listing()
        base = 0x8000
        x_text = self.record["x"].get(("pm_enter", "$pc"), "")
        disas = self.record["disas"].get("pm_enter", "")
        x_insns = re.findall(r"^(?:=>)?\s+0x([0-9a-f]+)(?: <[^>]*>)?:\s+(.*)$", x_text, re.M)
        ours = [int(a, 16) - base for a in re.findall(r"\(0x([0-9a-f]+)\)", disas)]
        self.assertTrue(x_insns and ours, "no x/i or smplab disas at pm_enter")
        self.assertEqual([int(a, 16) for a, _ in x_insns], ours)
        first_word = lambda text: [w for w in text.split() if w not in ("o32", "a32")][0]
        for address, text in x_insns:
            self.assertEqual(first_word(text), first_word(listing[int(address, 16)]),
                             "x/i at 0x%s" % address)
        self.assertIn("and eax, 0x9fffffff", x_text)

    def test_7_machine_and_monitor(self):
        """The AP got to C and said hello; GDB and QEMU reported no error."""
        self.assertTrue(self.replayed, "the replay did not finish")
        text = self.machine.transcript
        self.assertIn("Hello World from CPU 1 (APIC ID 1)", text)
        self.assertRegex(text, r"boot: 1 of 1 AP idle")
        for bad in GDB_ERRORS:
            self.assertNotIn(bad, self.gdb.transcript, "GDB printed an error")
        for bad in QEMU_ERRORS:
            self.assertNotIn(bad, self.machine.stderr + text)
