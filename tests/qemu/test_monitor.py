"""Monitor tests: every command of issue 2, bad input, and the line editor, over COM1.

MonitorTest boots ONE machine (-smp 4) in setUpClass and types everything into it; the
`reboot` test is named to run last. Each test starts from a clean prompt (setUp sends
Ctrl-C, which always answers "^C" + a new prompt) and ends by checking that the machine
neither rebooted nor went quiet. SparseApicIdTest boots a second machine with
-smp 6,sockets=2,cores=3, whose APIC IDs are not contiguous. DocsTest (TCG only) checks
that docs/monitor.md has a "### `name`" section, with its usage, for every command `help`
lists, and none for commands it does not.

Oracles besides the kernel's own words:
  * QEMU's human monitor: `info registers` (CR0, CR2, CR3, CR4, EFER, GDT, IDT),
    `xp` (physical memory: page-table entries, the bytes `x` dumps), `gva2gpa`,
    `info lapic` (SVR);
  * QMP qom-get on the CPU object: "x2apic" (does CPUID offer it?) and "apic-id";
  * monitor/commands.c, the command table `help` is printed from (parsed here, so new
    commands need no change to this file).
"""
import os
import re
import unittest

from smplab import ROOT, launch
from smplab.machine import PROMPT
from smplab.testcase import BANNER, CTRL_C, SessionTest

CTRL_U, BS, DEL = b"\x15", b"\x08", b"\x7f"
UP, DOWN, LEFT, RIGHT = b"\x1b[A", b"\x1b[B", b"\x1b[D", b"\x1b[C"
LINE_MAX = 128          # monitor/lineedit.h
MAX_ARGS = 8            # kernel/lib/parse.h
X_MAX_COUNT = 4096      # monitor/cmd_memory.c
HMP_HEX = r"([0-9a-fA-F]+)"


def command_table():
    """[(name, usage, help)] from monitor/commands.c, in table order."""
    with open(os.path.join(ROOT, "monitor", "commands.c")) as f:
        src = f.read()
    entries = re.findall(r'\{\s*"([^"]+)",\s*"([^"]*)",\s*"([^"]*)",\s*\w+\s*\}', src)
    assert entries, "no command entries found in monitor/commands.c"
    return entries


def help_names(out):
    """Command names in `help` output: each entry starts "  USAGE"; a long usage has its
    help text on the next line, indented further."""
    return [line.split()[0] for line in out.splitlines() if re.match(r"  \S", line)]


def hmp_registers(m):
    """The BSP's registers as QEMU's monitor prints them (`info registers`, CPU#0)."""
    text = m.hmp("info registers")
    assert "CPU#0" in text, text

    def reg(name):
        found = re.search(r"(?:^|\s)%s=\s*%s" % (re.escape(name), HMP_HEX), text)
        assert found, "no %s= in QEMU's info registers:\n%s" % (name, text)
        return int(found.group(1), 16)

    gdt = re.search(r"^GDT=\s+%s %s" % (HMP_HEX, HMP_HEX), text, re.M)
    idt = re.search(r"^IDT=\s+%s %s" % (HMP_HEX, HMP_HEX), text, re.M)
    assert gdt and idt, text
    return {"CR0": reg("CR0"), "CR2": reg("CR2"), "CR3": reg("CR3"), "CR4": reg("CR4"),
            "EFER": reg("EFER"),
            "GDTR": (int(gdt.group(1), 16), int(gdt.group(2), 16)),
            "IDTR": (int(idt.group(1), 16), int(idt.group(2), 16))}


def hmp_phys_u64(m, addr):
    return int.from_bytes(m.phys_bytes(addr, 8), "little")


def parse_regs(out):
    """`regs` output -> {name: (value, [flag names])}, GDTR/IDTR -> (base, limit)."""
    regs = {}
    for line in out.splitlines():
        row = re.match(r"(CR0|CR2|CR3|CR4|EFER|RFLAGS)\s+0x([0-9a-f]{16})(.*)$", line)
        if row:
            regs[row.group(1)] = (int(row.group(2), 16), row.group(3).split())
        table = re.match(r"(GDTR|IDTR)\s+base 0x([0-9a-f]{16})\s+limit 0x([0-9a-f]{4})$", line)
        if table:
            regs[table.group(1)] = (int(table.group(2), 16), int(table.group(3), 16))
    return regs


def parse_dump(out):
    """`x` output -> [(address, bytes, ascii column)]; fails on any other line."""
    rows = []
    for line in out.splitlines():
        row = re.fullmatch(r"([0-9a-f]{16}) ((?: [0-9a-f ]{2}){8} (?: [0-9a-f ]{2}){8})  \|(.*)\|",
                           line)
        assert row, "not a dump line: %r in\n%s" % (line, out)
        data = bytes(int(b, 16) for b in row.group(2).split())
        rows.append((int(row.group(1), 16), data, row.group(3)))
    return rows


def ascii_column(data):
    return "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in data)


class MonitorBase(SessionTest):
    """One machine per class; helpers that type into it."""

    def raw(self, data, timeout=20):
        """Send bytes; return everything up to the next prompt (\\r removed, prompt cut)."""
        self.m.send_raw(data)
        return self.m.wait_prompt(timeout).replace("\r", "")[:-len(PROMPT)]

    def assert_alive(self):
        """The monitor still answers: `lapic` prints its ID line."""
        self.assertRegex(self.cmd("lapic"), r"(?m)^ID\s+0$")


class MonitorTest(MonitorBase):
    accels = ("tcg", "kvm")

    # ---- help --------------------------------------------------------------------------
    def test_help_lists_the_command_table(self):
        table = command_table()
        out = self.cmd("help")
        self.assertEqual(help_names(out), [name for name, _, _ in table])
        for name, usage, text in table:
            self.assertRegex(out, r"(?m)^  %s\s+%s$" % (re.escape(usage), re.escape(text)))
        self.assertIn("Numbers are decimal or 0x hex", out)

    def test_help_cmd_shows_usage(self):
        self.assertEqual(self.cmd("help pt"),
                         "usage: pt ADDR\n  walk a virtual address through the page tables "
                         "of CR3\n")
        for name, usage, text in command_table():
            self.assertEqual(self.cmd("help " + name), "usage: %s\n  %s\n" % (usage, text))

    def test_help_errors(self):
        self.assertEqual(self.cmd("help nosuchthing"),
                         "error: no command 'nosuchthing' ('help' lists all)\n")
        self.assertEqual(self.cmd("help pt x"), "usage: help [CMD]\n")

    # ---- cpus, lapic -------------------------------------------------------------------
    def test_cpus(self):
        out = self.cmd("cpus")
        rows = [line.split() for line in out.splitlines() if re.match(r"\s*\d+\s+\d+\s+(LAPIC|x2APIC)\s", line)]
        self.assertEqual([int(r[0]) for r in rows], [0, 1, 2, 3])
        self.assertTrue(all("enabled" in r for r in rows), out)
        bsp = [r for r in rows if "BSP" in r]
        self.assertEqual(len(bsp), 1, out)
        self.assertEqual(bsp[0][0], "0")
        self.assertRegex(out, r"(?m)^4 CPUs; MADT at 0x[0-9a-f]+, local APIC address 0xfee00000$")
        self.assertEqual(self.cmd("cpus now"), "usage: cpus\n")

    def test_lapic(self):
        out = self.cmd("lapic")
        cpu0 = self.m.qmp("query-cpus-fast")[0]["qom-path"]
        offers_x2apic = self.m.qmp("qom-get", path=cpu0, property="x2apic")
        if self.m.accel == "kvm":
            self.assertTrue(offers_x2apic, "CPUID offers no x2APIC under KVM")
            self.assertRegex(out, r"(?m)^mode\s+x2APIC \(registers are MSRs 0x800-0x8ff\)$")
        else:
            self.assertFalse(offers_x2apic, "TCG offers x2APIC? the kernel should use it then")
            self.assertRegex(out, r"(?m)^mode\s+xAPIC \(registers are MMIO at 0xfee00000\)$")
        self.assertRegex(out, r"(?m)^base\s+0xfee00000 \(IA32_APIC_BASE\), BSP flag set$")
        self.assertRegex(out, r"(?m)^ID\s+0$")
        self.assertRegex(out, r"(?m)^version\s+0x[0-9a-f]{8}: version 0x[0-9a-f]{2}, \d+ LVT")
        svr = re.search(r"(?m)^SVR\s+0x([0-9a-f]{8}): APIC software-enabled, spurious vector "
                        r"0x([0-9a-f]{2})$", out)
        self.assertTrue(svr, out)
        self.assertEqual(int(svr.group(1), 16) & 0xFF, int(svr.group(2), 16))
        spiv = re.search(r"SPIV\s+0x([0-9a-f]+)", self.m.hmp("info lapic"))
        self.assertTrue(spiv)
        self.assertEqual(int(svr.group(1), 16), int(spiv.group(1), 16), "SVR differs from QEMU's")
        self.assertRegex(out, r"(?m)^ESR\s+0x00000000: no errors$")
        self.assertIn("LAPIC   %s," % ("x2APIC" if offers_x2apic else "xAPIC"), self.banner)

    # ---- regs, cr3: the oracle is QEMU's own `info registers` ---------------------------
    def test_regs_match_qemu(self):
        regs = parse_regs(self.cmd("regs"))
        qemu = hmp_registers(self.m)
        self.assertEqual(set(regs), {"CR0", "CR2", "CR3", "CR4", "EFER", "RFLAGS", "GDTR",
                                     "IDTR"})
        for name in ("CR0", "CR2", "CR3", "CR4", "EFER"):
            self.assertEqual(regs[name][0], qemu[name],
                             "%s: regs 0x%x, QEMU 0x%x" % (name, regs[name][0], qemu[name]))
        self.assertEqual(regs["GDTR"], qemu["GDTR"])
        self.assertEqual(regs["IDTR"], qemu["IDTR"])
        self.assertTrue({"PE", "PG"} <= set(regs["CR0"][1]), regs["CR0"])
        self.assertIn("PAE", regs["CR4"][1])
        self.assertTrue({"LME", "LMA"} <= set(regs["EFER"][1]), regs["EFER"])
        self.assertEqual(self.cmd("regs all"), "usage: regs\n")

    def test_cr3(self):
        out = self.cmd("cr3")
        cr3 = hmp_registers(self.m)["CR3"]
        self.assertIn("CR3 0x%016x\n" % cr3, out)
        self.assertIn("  PML4 table at physical 0x%x\n" % (cr3 & 0x000FFFFFFFFFF000), out)
        self.assertIn("  PWT %d, PCD %d" % (cr3 >> 3 & 1, cr3 >> 4 & 1), out)
        self.assertLess(cr3, 1 << 32)
        self.assertRegex(out, r"(?m)^  below 4 GiB: yes - ")

    # ---- pt ----------------------------------------------------------------------------
    def walk_rows(self, out):
        rows = re.findall(r"(?m)^  (PML4E|PDPTE|PDE|PTE)\s*\[\s*(\d+)\] at 0x([0-9a-f]+) = "
                          r"0x([0-9a-f]{16})", out)
        return [(n, int(i), int(a, 16), int(v, 16)) for n, i, a, v in rows]

    def test_pt_identity_mapped(self):
        out = self.cmd("pt 0x100000")
        cr3 = hmp_registers(self.m)["CR3"]
        self.assertIn("walk of 0x100000 through CR3 0x%x\n" % cr3, out)
        rows = self.walk_rows(out)
        self.assertEqual([(n, i) for n, i, _, _ in rows], [("PML4E", 0), ("PDPTE", 0), ("PDE", 0)])
        self.assertEqual(rows[0][2], cr3 & ~0xFFF)
        for name, _, addr, value in rows:     # each entry as QEMU reads physical memory
            self.assertEqual(value, hmp_phys_u64(self.m, addr), name)
        self.assertRegex(out, r"(?m)^  PDE  \[  0\] .* P RW .*PS$")
        self.assertIn("  -> physical 0x100000 in a 2 MiB page", out)
        self.assertIn("  identity-mapped: virtual = physical\n", out)
        self.assertIn("gpa: 0x100000", self.m.hmp("gva2gpa 0x100000"))

    def test_pt_not_present(self):
        out = self.cmd("pt 0x7f0000000000")
        index = (0x7f0000000000 >> 39) & 511
        self.assertEqual([(n, i, v) for n, i, _, v in self.walk_rows(out)],
                         [("PML4E", index, 0)])
        self.assertIn("  the walk stops at PML4E[%d]: not present - 0x7f0000000000 is not "
                      "mapped\n" % index, out)
        self.assertNotIn("->", out)
        self.assertIn("Unmapped", self.m.hmp("gva2gpa 0x7f0000000000"))

    def test_pt_non_canonical(self):
        out = self.cmd("pt 0xdead00000000")
        self.assertEqual(self.walk_rows(out), [])
        self.assertIn("the walk stops before the PML4: not canonical (bits 63:47 differ) - "
                      "0xdead00000000 cannot be mapped", out)
        # The high half is canonical, and not mapped here.
        self.assertIn("PML4E[511]", self.cmd("pt 0xffffffff80000000"))

    # ---- x -----------------------------------------------------------------------------
    def test_x_multiboot_header(self):
        rows = parse_dump(self.cmd("x 0x100000 32"))
        self.assertEqual([a for a, _, _ in rows], [0x100000, 0x100010])
        data = b"".join(d for _, d, _ in rows)
        self.assertEqual(data[:4], bytes([0x02, 0xb0, 0xad, 0x1b]))     # 0x1BADB002
        flags, checksum = (int.from_bytes(data[i:i + 4], "little") for i in (4, 8))
        self.assertEqual((0x1BADB002 + flags + checksum) & 0xFFFFFFFF, 0)
        self.assertEqual(data, self.m.phys_bytes(0x100000, 32))
        for _, d, text in rows:
            self.assertEqual(text, ascii_column(d))

    def test_x_default_and_partial_counts(self):
        rows = parse_dump(self.cmd("x 0x100000"))
        self.assertEqual([a for a, _, _ in rows], [0x100000 + 16 * i for i in range(4)])
        self.assertTrue(all(len(d) == 16 for _, d, _ in rows))
        rows = parse_dump(self.cmd("x 0x100003 0x13"))      # 19 bytes: 16 + 3, hex count
        self.assertEqual([(a, len(d)) for a, d, _ in rows], [(0x100003, 16), (0x100013, 3)])
        self.assertEqual(b"".join(d for _, d, _ in rows), self.m.phys_bytes(0x100003, 19))
        self.assertEqual(len(rows[1][2]), 3)

    def test_x_non_canonical_is_gp(self):
        out = self.cmd("x 0xdead00000000")
        self.assertRegex(out, r"\*\*\* CPU with APIC ID 0: #GP general protection, error code "
                              r"0x0 \(a non-canonical address")
        self.assertRegex(out, r"RDX 0000dead0000000|RBX 0000dead0000000")
        self.assertIn("    the command was stopped; nothing else changed\n", out)
        self.assertNotIn("halted", out)
        self.assertNotRegex(out, r"(?m)^[0-9a-f]{16} ")        # no dump line
        self.assert_alive()

    def test_x_unmapped_is_pf_with_cr2(self):
        out = self.cmd("x 0x7f0000000000")
        self.assertRegex(out, r"\*\*\* CPU with APIC ID 0: #PF page fault, error code 0x[0-9a-f]+ "
                              r"\(page not present, read, supervisor\)")
        self.assertRegex(out, r"CR2 00007f0000000000")
        self.assertIn("the command was stopped; nothing else changed", out)
        self.assertNotIn("halted", out)
        regs = parse_regs(self.cmd("regs"))
        self.assertEqual(regs["CR2"][0], 0x7f0000000000)
        self.assert_alive()

    def test_x_bad_counts_and_ranges(self):
        for line in ("x 0x100000 0", "x 0x100000 5000", "x 0x100000 %d" % (X_MAX_COUNT + 1)):
            self.assertEqual(self.cmd(line), "error: COUNT must be 1 to %d\n" % X_MAX_COUNT, line)
        self.assertEqual(len(parse_dump(self.cmd("x 0x100000 %d" % X_MAX_COUNT))), X_MAX_COUNT // 16)
        self.assertEqual(self.cmd("x 0xfffffffffffffff0 32"),
                         "error: 0xfffffffffffffff0 + 32 runs past the end of the address "
                         "space\n")
        self.assertEqual(self.cmd("x 0xffffffffffffffff 2"),
                         "error: 0xffffffffffffffff + 2 runs past the end of the address "
                         "space\n")
        # The very last byte is a valid range; it is not mapped, so it faults cleanly.
        self.assertIn("#PF page fault", self.cmd("x 0xffffffffffffffff 1"))
        self.assertEqual(self.cmd("x"), "usage: x ADDR [COUNT]\n")
        self.assertEqual(self.cmd("x 1 2 3"), "usage: x ADDR [COUNT]\n")
        self.assertEqual(self.cmd("x 0x100000 ten"),
                         "error: COUNT 'ten': not a number (use decimal or 0x hex)\n")
        self.assert_alive()

    # ---- mem ---------------------------------------------------------------------------
    def test_mem(self):
        out = self.cmd("mem")
        regions = [(int(b, 16), int(e, 16), t) for b, e, t in
                   re.findall(r"(?m)^0x([0-9a-f]{16}) 0x([0-9a-f]{16}) (.+)$", out)]
        usable = [(b, e) for b, e, t in regions if t == "usable"]
        self.assertTrue(any(b <= 0x100000 < e for b, e in usable), out)   # the kernel
        self.assertTrue(any(b == 0 for b, e in usable), out)              # low memory
        total = sum(e - b for b, e in usable)
        self.assertTrue(120 << 20 < total <= 128 << 20, total)           # -m 128M
        summary = re.search(r"(?m)^(\d+) KiB usable, (\d+) free 4 KiB frames", out)
        self.assertTrue(summary, out)
        self.assertEqual(int(summary.group(1)), total // 1024)
        self.assertGreater(int(summary.group(2)), 1000)
        self.assertEqual(self.cmd("mem 1"), "usage: mem\n")

    # ---- bad input ---------------------------------------------------------------------
    def test_unknown_command_suggests(self):
        self.assertEqual(self.cmd("hlep"), "error: unknown command 'hlep'; did you mean "
                                           "'help'? ('help' lists all)\n")
        self.assertIn("did you mean 'regs'?", self.cmd("rgs"))
        self.assertEqual(self.cmd("qqqqqqqqqqq"),
                         "error: unknown command 'qqqqqqqqqqq' ('help' lists all)\n")
        self.assert_alive()

    def test_malformed_numbers(self):
        cases = {"pt 12z": "error: ADDR '12z': not a number",
                 "pt 0x": "error: ADDR '0x': no digits",
                 "x -1": "error: ADDR '-1': not a number",
                 "pt 99999999999999999999999":
                     "error: ADDR '99999999999999999999999': too large (above 2^64-1)",
                 "pt 0x10000000000000000": "error: ADDR '0x10000000000000000': too large",
                 "x 0x1g": "error: ADDR '0x1g': not a number"}
        for line, message in cases.items():
            out = self.cmd(line)
            self.assertEqual(out, message + out[len(message):], line)
            self.assertTrue(out.endswith(" (use decimal or 0x hex)\n"), out)
            self.assertEqual(out.count("\n"), 1, out)
            self.assert_alive()
        # The largest number is fine.
        self.assertIn("walk of 0xffffffffffffffff", self.cmd("pt 18446744073709551615"))

    def test_wrong_argument_counts(self):
        for line, usage in (("pt", "pt ADDR"), ("pt 1 2", "pt ADDR"), ("lapic 0", "lapic"),
                            ("cr3 x", "cr3"), ("reboot now", "reboot")):
            self.assertEqual(self.cmd(line), "usage: %s\n" % usage, line)
        self.assert_alive()        # and `reboot now` did not reboot (tearDown checks too)

    def test_too_many_words(self):
        words = " ".join("w%d" % i for i in range(MAX_ARGS))
        self.assertEqual(self.cmd("help " + words),
                         "error: too many words (at most %d)\n" % MAX_ARGS)
        # Exactly MAX_ARGS words reach the command, which complains about its arguments.
        self.assertEqual(self.cmd("help " + " ".join(words.split()[:MAX_ARGS - 1])),
                         "usage: help [CMD]\n")
        self.assert_alive()

    def test_overlong_line_refused(self):
        # 4 + 130 characters: "help" would run if the line were cut to fit.
        line = "help" + " " * 130
        out = self.raw(line.encode() + b"\r")
        self.assertIn("error: line longer than %d characters, ignored\n" % LINE_MAX, out)
        self.assertNotIn("list the commands", out)
        self.assertIn("\a", out)                   # the terminal bell on the first extra key
        out = self.raw(b"x 0x100000 " + b"9" * 200 + b"\r")
        self.assertIn("error: line longer than %d characters, ignored\n" % LINE_MAX, out)
        self.assertNotIn("COUNT", out)
        # Up to LINE_MAX characters is a line; one more is refused.
        for length in (LINE_MAX - 1, LINE_MAX):
            out = self.raw(("help" + " " * (length - 4)).encode() + b"\r")
            self.assertIn("list the commands", out, length)
            self.assertNotIn("longer than", out, length)
        out = self.raw(("help" + " " * (LINE_MAX + 1 - 4)).encode() + b"\r")
        self.assertIn("error: line longer than %d characters, ignored\n" % LINE_MAX, out)
        self.assert_alive()

    def test_control_bytes_ignored(self):
        # The line editor drops C0 controls it has no use for (and DEL/BS edit):
        # "he\x01\x02lp" is "help", and the dropped bytes are not echoed.
        out = self.raw(b"he\x01\x02\x07\x0c\x00lp\r")
        self.assertTrue(out.startswith("help\n"), repr(out[:40]))
        self.assertIn("list the commands", out)
        out = self.raw(b"\x80\xff\x04cpus\x1a\r")          # high bytes, Ctrl-D, Ctrl-Z
        self.assertTrue(out.startswith("cpus\n"), repr(out[:40]))
        self.assertIn("BSP (runs this monitor)", out)

    def test_escape_sequences_not_inserted(self):
        out = self.raw(b"cp" + LEFT + RIGHT + b"\x1b[1;5D\x1bOC\x1b[3~us\r")
        self.assertTrue(out.startswith("cpus\n"), repr(out[:40]))
        self.assertNotIn("[", out.split("\n")[0])
        self.assertIn("BSP (runs this monitor)", out)
        self.assertNotIn("unknown command", out)

    def test_ctrl_c_abandons_line(self):
        self.m.send_raw(b"cpus" + CTRL_C)
        out = self.m.wait_prompt(20).replace("\r", "")
        self.assertEqual(out, "cpus^C\n" + PROMPT)
        self.assertNotIn("APIC ID", out)
        self.assert_alive()

    def test_ctrl_u_erases(self):
        out = self.raw(b"reboot" + CTRL_U + b"cpus\r")
        self.assertIn("\b \b" * 6, out)          # "reboot" rubbed out on the terminal
        self.assertIn("BSP (runs this monitor)", out)
        self.assertNotIn("rebooting", out)

    def test_backspace_edits(self):
        out = self.raw(b"cpux" + DEL + b"s\r")
        self.assertTrue(out.startswith("cpux\b \bs\n"), repr(out[:40]))
        self.assertIn("BSP (runs this monitor)", out)
        out = self.raw(b"rgs" + BS + BS + b"egs\r")
        self.assertIn("CR0     0x", out)
        # Backspace on an empty line does nothing (and does not eat the prompt).
        out = self.raw(DEL + DEL + b"cr3\r")
        self.assertTrue(out.startswith("cr3\n"), repr(out[:40]))

    def test_history(self):
        self.cmd("cpus")
        self.cmd("cr3")
        out = self.raw(UP + b"\r")                 # cr3 again
        self.assertIn("below 4 GiB: yes", out)
        out = self.raw(UP + UP + b"\r")            # cr3 was not added twice: cpus
        self.assertIn("BSP (runs this monitor)", out)
        out = self.raw(UP + UP + DOWN + b"\r")     # back down to the newest: cpus
        self.assertIn("BSP (runs this monitor)", out)
        out = self.raw(b"\x1bOA\r")                # application cursor mode ESC O A
        self.assertIn("BSP (runs this monitor)", out)
        out = self.raw(b"he" + UP + DOWN + b"lp\r")   # the draft comes back after browsing
        self.assertIn("list the commands", out)

    def test_empty_and_blank_lines(self):
        self.assertEqual(self.cmd(""), "")
        self.assertEqual(self.cmd("   "), "")
        # CR LF is one Enter, not two.
        out = self.raw(b"cr3\r\n")
        self.assertIn("below 4 GiB", out)
        self.assertEqual(self.cmd("help pt"), "usage: pt ADDR\n  walk a virtual address "
                                              "through the page tables of CR3\n")

    # ---- reboot: runs last (the name sorts last) ----------------------------------------
    def test_zz_reboot(self):
        out = self.raw(b"reboot\r", timeout=90)
        self.assertIn("rebooting\n", out)
        self.assertNotIn("did not reset", out)
        self.assertIn(BANNER, out)
        type(self).boots = 2
        self.assertEqual(self.m.transcript.count(BANNER), 2)
        self.assertIn("smplab: " + launch.REBOOT_MSG, self.m.stderr)
        self.assertNotIn(launch.TRIPLE_FAULT_MSG, self.m.stderr)
        self.assertIn("list the commands", self.cmd("help"))
        self.assertEqual(parse_regs(self.cmd("regs"))["CR3"][0], hmp_registers(self.m)["CR3"])


class SparseApicIdTest(MonitorBase):
    """Two sockets of three cores: APIC IDs 0 1 2 and 4 5 6, never 0..5."""
    accels = ("tcg", "kvm")
    smp = "6,sockets=2,cores=3"

    def test_cpus_lists_real_apic_ids(self):
        out = self.cmd("cpus")
        rows = [line.split() for line in out.splitlines() if re.match(r"\s*\d+\s+\d+\s+(LAPIC|x2APIC)\s", line)]
        ids = [int(r[0]) for r in rows]
        self.assertEqual(ids, [0, 1, 2, 4, 5, 6])
        qemu_ids = [self.m.qmp("qom-get", path=c["qom-path"], property="apic-id")
                    for c in self.m.qmp("query-cpus-fast")]
        self.assertEqual(sorted(qemu_ids), ids)
        self.assertEqual([r[0] for r in rows if "BSP" in r], ["0"])
        self.assertIn("6 CPUs; MADT at", out)
        self.assertIn("APIC IDs 0 1 2 4 5 6", self.banner)


def documented_commands():
    """{name: section text} for every "### `name`" heading in docs/monitor.md."""
    with open(os.path.join(ROOT, "docs", "monitor.md")) as f:
        text = f.read()
    parts = re.split(r"(?m)^### `([^`]+)`[ \t]*$", text)
    return {name: body.split("\n## ", 1)[0] for name, body in zip(parts[1::2], parts[2::2])}


class DocsTest(MonitorBase):
    """docs/monitor.md documents exactly the commands `help` lists (runs once, TCG)."""
    accels = ("tcg",)

    def test_docs_and_help_list_the_same_commands(self):
        listed = help_names(self.cmd("help"))
        self.assertGreaterEqual(len(listed), 9)
        docs = documented_commands()
        missing = [n for n in listed if n not in docs]
        extra = sorted(set(docs) - set(listed))
        self.assertEqual((missing, extra), ([], []),
                         "docs/monitor.md lacks a '### `name`' section for %s; documents "
                         "commands `help` does not list: %s" % (missing, extra))
        self.assertEqual(len(docs), len(set(docs)))

    def test_docs_give_each_usage(self):
        docs = documented_commands()
        for name, usage, _ in command_table():
            if name in docs:
                self.assertIn("Usage: `%s`" % usage, docs[name],
                              "docs/monitor.md: section of %r lacks its usage" % name)


if __name__ == "__main__":
    unittest.main()
