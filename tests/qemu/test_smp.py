"""AP start-up tests (issue 3): tramp, cpudata, init, sipi, status, boot, on, over COM1.

StartTest boots ONE machine (-smp 4) and drives it through the tests in name order (the
numbers in the names give that order; later tests rely on what earlier ones left):
the manual sequence at vector 0x10, the ICR encoding, `boot all`, `on`, twenty restarts
of one AP, every refusal, and forced faults in each CPU mode. SparseApicIdTest boots
-smp 6,sockets=2,cores=3 (APIC IDs 0 1 2 4 5 6). Both run under TCG (xAPIC) and KVM
(x2APIC here).

Oracles besides the kernel's own words:
  * build/trampoline/layout.json (smplab.layout: labels from NASM's map, offsets from the C
    structs, the stage table): where pm_entry, lm_entry, pm_enter, lm_enter, c_call, gdt, ... must be;
  * build/trampoline/trampoline.bin: the bytes that `tramp install` must have copied;
  * QEMU's human monitor `xp` for guest-physical memory: the parameter block and each
    AP's stage record (raw TSC values) where the trampoline was installed;
  * the accelerator: QEMU 7.2 TCG offers xAPIC only, KVM here offers x2APIC (DESIGN.md).
"""
import os
import re
import time
import unittest

from smplab import ROOT, layout
from smplab.machine import ERASE_PROMPT, PROMPT
from smplab.status import compact_rows, status_rows, status_summary, timeline_bars
from smplab.testcase import SessionTest

TRAMP_DIR = os.path.join(ROOT, "build", "trampoline")

LAYOUT = layout.load()
TP_OFFSET, TP_END = LAYOUT["TP_OFFSET"], LAYOUT["TP_END"]
TP_RECORDS, AR_SIZE, AR_TSC = LAYOUT["TP_RECORDS"], LAYOUT["AR_SIZE"], LAYOUT["AR_TSC"]
STAGES = [s["name"] for s in LAYOUT.timed]
LETTERS = LAYOUT.letters

HELLO_RE = re.compile(r"Hello World from CPU (\d+) \(APIC ID (\d+)\)")
# A `cpudata` row with the default entry and stack: % (APIC ID, CPU index). Groups: the
# cpu_data address and the stack range.
CPUDATA_ROW = (r"(?m)^\s+%d\s+%d\s+(0x[0-9a-f]{8})\s+0x[0-9a-f]{8} \(ap_entry\)\s+"
               r"(0x[0-9a-f]{8}-0x[0-9a-f]{8})\s+16 KiB\s+intact$")

# Every line `boot all` may print (besides Hello World lines).
BOOT_LINES = [re.compile(p) for p in (
    r"  tramp install 0x[0-9a-f]{2}: \d+ bytes at 0x[0-9a-f]+",
    r"  trampoline already at vector 0x[0-9a-f]{2}",
    r"  cpudata \d+: exists \(stack 0x[0-9a-f]+, 16 KiB\)",
    r"  cpudata \d+: stack 0x[0-9a-f]+-0x[0-9a-f]+, entry ap_entry",
    r"  INIT assert -> all but self",
    r"  INIT de-assert -> all including self",
    r"  SIPI -> all but self",
    r"    ICR 0x[0-9a-f]{16} sent, ESR 0x0 \(no errors\)",
    r"  wait (10000|200) us",
    r"  every AP answered: no need for another SIPI",
    r"  (all|\d+ of the) \d+ APs are running \(idle\): the INIT restarts them",
    r"  waiting up to \d+ ms for the APs",
    r"  APIC \d+: idle, \d+ us after the first SIPI",
    r"boot: \d+ of \d+ APs idle, \d+ us in all",
)]


def labels():
    """{label: offset}, each label the tests use checked present."""
    table = LAYOUT.labels
    for name in ("rm_entry", "pm_enter", "pm_entry", "lm_enter", "lm_entry", "c_call",
                 "gdt", "rm_ivt", "pm_idt", "lm_idt", "rm_stubs", "pm_stubs", "lm_stubs",
                 "trampoline_end"):
        assert name in table, "%s missing from %s" % (name, layout.LAYOUT_JSON)
    return table


def trampoline_bin():
    with open(os.path.join(TRAMP_DIR, "trampoline.bin"), "rb") as f:
        return f.read()


class SmpBase(SessionTest):
    """One machine per class; helpers that type into it and check it stayed up."""

    @classmethod
    def setUpClass(cls):
        cls.labels = labels()
        super().setUpClass()
        cls.x2apic = cls.m.accel == "kvm"

    def hellos(self, text=None):
        return HELLO_RE.findall(self.m.transcript if text is None else text)

    def cmd_expect_hello(self, line, apic, index, timeout=20):
        """Run a command after which AP `apic` prints its Hello World line, maybe only
        after the prompt came back (`sipi` does not wait for the AP)."""
        hello = "Hello World from CPU %d (APIC ID %d)" % (index, apic)
        out = self.cmd(line, timeout)
        if hello not in out:
            self.m.wait_for(hello + "\r\n", timeout)
        return out

    def assert_alive(self):
        self.assertRegex(self.cmd("lapic"), r"(?m)^ID\s+0$")

    def record_at(self, base, slot):
        """Where slot's stage record is: the parameter block says where the records start."""
        low, high = self.m.phys_bytes(base + TP_RECORDS, 2)
        return base + (low | high << 8) + slot * AR_SIZE

    def record_tscs(self, base, slot):
        """The six TSC values of an AP's stage record, read by QEMU."""
        text = self.m.hmp("xp /6gx 0x%x" % (self.record_at(base, slot) + AR_TSC))
        values = [int(v, 16) for v in re.findall(r"0x([0-9a-f]{16})", text)]
        self.assertEqual(len(values), 6, text)
        return values

    def assert_idle_row(self, rows, apic, sipis=None):
        self.assertIn(apic, rows)
        state, n, times, detail = rows[apic]
        self.assertEqual(state, "idle", rows[apic])
        self.assertNotIn(None, times, rows[apic])
        # Microseconds: hello and idle are written back to back, so they may be equal.
        self.assertEqual(times, sorted(times), "stage times out of order: %s" % (rows[apic],))
        self.assertGreaterEqual(times[0], 0)
        self.assertEqual(detail, "")
        if sipis is not None:
            self.assertEqual(n, sipis)

    def assert_boot_output(self, out, apics, index_of):
        """`boot all` output: only known lines, each AP's Hello exactly once, verdicts."""
        for line in out.splitlines():
            self.assertTrue(HELLO_RE.fullmatch(line) or any(p.fullmatch(line)
                                                            for p in BOOT_LINES),
                            "unexpected (broken?) line %r in:\n%s" % (line, out))
        got = sorted((int(c), int(a)) for c, a in self.hellos(out))
        self.assertEqual(got, sorted((index_of[a], a) for a in apics), out)
        for a in apics:
            self.assertRegex(out, r"(?m)^  APIC %d: idle, \d+ us after the first SIPI$" % a)
        self.assertRegex(out, r"(?m)^boot: %d of %d APs idle, \d+ us in all$"
                         % (len(apics), len(apics)))

    def assert_timeline(self, out, apics):
        self.assertIn("timeline, 0 to ", out)
        bars = timeline_bars(out)
        self.assertEqual([a for a, _ in bars], apics, out)
        widths = {len(bar) for _, bar in bars}
        self.assertEqual(len(widths), 1, out)
        for apic, bar in bars:
            letters = "".join(c for c in bar if c.isalpha())
            self.assertEqual(letters, LETTERS, "AP %d's bar %r lacks a stage" % (apic, bar))
            self.assertRegex(bar, r"^-*R-*P-*L-*C-*H-*I *$")


class StartTest(SmpBase):
    accels = ("tcg", "kvm")
    VEC = 0x10
    BASE = 0x10000

    # ---- the manual sequence, one AP, vector 0x10 --------------------------------------
    def test_01_manual_sequence_at_vector_0x10(self):
        lb, base = self.labels, self.BASE
        out = self.cmd("tramp install 0x10")
        size = lb["trampoline_end"]
        self.assertIn("installed: copied %d bytes to 0x10000 and wrote its parameter block"
                      % size, out)
        # 4 CPUs: the code page, then 4 APIC IDs, 4 records and 4 early stacks: 2 pages.
        self.assertIn("trampoline at vector 0x10: 0x10000-0x11fff (2 pages)", out)
        self.assertIn("  slot table       0x11000 (4 slots: each CPU's APIC ID, in MADT order)",
                      out)
        self.assertEqual(self.m.phys_bytes(0x11000, 16), bytes.fromhex(
            "00000000" "01000000" "02000000" "03000000"))
        self.assertIn("real mode starts at 1000:0000", out)
        self.assertRegex(out, r"(?m)^  magic      0x54504d53$")
        self.assertRegex(out, r"(?m)^  base       0x00010000  ")
        tramp_cr3 = int(re.search(r"(?m)^  cr3        0x([0-9a-f]{8})  ", out).group(1), 16)
        # `cr3` names the CR3 the trampoline hands the APs: this CPU's.
        cr3_out = self.cmd("cr3")
        self.assertEqual(int(re.search(r"^CR3 0x([0-9a-f]+)", cr3_out).group(1), 16), tramp_cr3)
        self.assertIn("the trampoline at vector 0x10 loads CR3 0x%x into each AP: the same "
                      "page tables" % tramp_cr3, cr3_out)
        self.assertIn("  gdtr       base 0x%x limit 0x1f  (GDT at offset 0x%x)"
                      % (base + lb["gdt"], lb["gdt"]), out)
        self.assertIn("  pm_far     0008:%08x  far jump to pm_entry (offset 0x%x)"
                      % (base + lb["pm_entry"], lb["pm_entry"]), out)
        self.assertIn("  lm_far     0018:%08x  far jump to lm_entry (offset 0x%x)"
                      % (base + lb["lm_entry"], lb["lm_entry"]), out)
        self.assertIn("  rm_idtr    base 0x%x limit 0x7f  real-mode IVT -> stubs at 1000:%04x"
                      % (base + lb["rm_ivt"], lb["rm_stubs"]), out)
        self.assertIn("  pm_idtr    base 0x%x limit 0xff  32-bit IDT -> stubs at 0x%x"
                      % (base + lb["pm_idt"], base + lb["pm_stubs"]), out)
        self.assertIn("  lm_idtr    base 0x%x limit 0x1ff  64-bit IDT -> stubs at 0x%x"
                      % (base + lb["lm_idt"], base + lb["lm_stubs"]), out)
        # The copy as QEMU sees it: the code and GDT are the assembled bytes; the
        # parameter block holds the far pointers the listing promised.
        blob = trampoline_bin()
        mem = self.m.phys_bytes(base, lb["rm_ivt"])
        self.assertEqual(mem[:TP_OFFSET], blob[:TP_OFFSET])
        self.assertEqual(mem[TP_END:], blob[TP_END:lb["rm_ivt"]])
        self.assertEqual(int.from_bytes(mem[0x48:0x4c], "little"), base + lb["pm_entry"])
        self.assertEqual(int.from_bytes(mem[0x50:0x54], "little"), base + lb["lm_entry"])
        cr3 = int(re.search(r"(?m)^  cr3        0x([0-9a-f]{8})", out).group(1), 16)
        self.assertEqual(int.from_bytes(mem[0x2c:0x30], "little"), cr3)

        out = self.cmd("cpudata 1")
        self.assertRegex(out, CPUDATA_ROW % (1, 1))
        self.assertRegex(out, r"(?m)^cpu_table\[1\] = 0x[0-9a-f]+; ")
        before = len(self.hellos())
        out = self.cmd("init 1")
        self.init_out = out
        self.assertIn("INIT: the AP resets and waits for a Startup IPI", out)
        self.assertEqual(self.cmd("status").splitlines()[1].split()[:3], ["1", "init", "0"])
        out = self.cmd_expect_hello("sipi 1 0x10", 1, 1)
        self.assertIn("SIPI vector 0x10: the AP starts in real mode at 1000:0000 = 0x10000", out)
        self.assertNotIn("note:", out)
        out2 = self.cmd("sipi 1 0x10")
        self.assertIn("SIPI -> APIC 1", out2)
        StartTest.manual_ipi_out = self.init_out + out + out2
        time.sleep(0.2)
        self.assertEqual(self.hellos()[before:], [("1", "1")], "one Hello per start")
        rows = status_rows(self.cmd("status"))
        self.assertEqual(sorted(rows), [1, 2, 3])
        self.assert_idle_row(rows, 1, sipis=2)
        for apic in (2, 3):
            self.assertEqual(rows[apic][:2], ("offline", 0))
            self.assertEqual(rows[apic][2], [None] * 6)
        tscs = self.record_tscs(base, 1)
        self.assertTrue(all(a < b for a, b in zip(tscs, tscs[1:])),
                        "stage TSCs not increasing: %s" % [hex(t) for t in tscs])
        self.assertEqual(self.m.phys_bytes(self.record_at(base, 1), 1), b"\x06")

    def test_02_icr_encoding_matches_apic_mode(self):
        out = getattr(StartTest, "manual_ipi_out", None)
        if out is None:
            self.fail("test_01 did not get as far as the IPIs")
        lapic = self.cmd("lapic")
        if self.x2apic:
            self.assertRegex(lapic, r"(?m)^mode     x2APIC ")
            # 32-bit destination in ICR[63:32]; no level de-assert in x2APIC mode.
            self.assertIn("ICR 0x000000010000c500 sent", out)
            self.assertNotIn("de-assert", out)
            self.assertIn("ICR 0x0000000100004610 sent", out)
        else:
            self.assertRegex(lapic, r"(?m)^mode     xAPIC ")
            # 8-bit destination in ICR[63:56]; INIT assert, then de-assert.
            self.assertIn("INIT assert -> APIC 1\n    ICR 0x010000000000c500 sent", out)
            self.assertIn("INIT de-assert -> all including self\n    ICR 0x0000000000088500 sent",
                          out)
            self.assertIn("ICR 0x0100000000004610 sent", out)
        self.assertEqual(out.count("SIPI -> APIC 1\n"), 2)

    # ---- boot all ----------------------------------------------------------------------
    def test_03_boot_all(self):
        before = len(self.hellos())
        out = self.cmd("boot all", timeout=30)
        self.assertIn("  trampoline already at vector 0x10", out)
        self.assertIn("  cpudata 1: exists (stack", out)
        self.assertIn("  wait 10000 us", out)
        self.assertIn("  wait 200 us", out)
        self.assertLess(out.index("  wait 10000 us"), out.index("  SIPI -> all but self"))
        self.assert_boot_output(out, [1, 2, 3], {1: 1, 2: 2, 3: 3})
        if self.x2apic:
            self.assertIn("ICR 0x00000000000cc500 sent", out)
            self.assertNotIn("de-assert", out)
        else:
            self.assertIn("ICR 0x00000000000cc500 sent", out)
            self.assertIn("INIT de-assert -> all including self\n    ICR 0x0000000000088500 sent", out)
        self.assertIn("ICR 0x00000000000c4610 sent", out)
        time.sleep(0.1)
        self.assertEqual(len(self.hellos()) - before, 3, "a Hello printed after the boot")
        out = self.cmd("status")
        rows = status_rows(out)
        self.assertEqual(sorted(rows), [1, 2, 3])
        for apic in (1, 2, 3):
            self.assert_idle_row(rows, apic)
        self.assert_timeline(out, [1, 2, 3])

    # ---- on ----------------------------------------------------------------------------
    def test_04_on(self):
        bsp_cr3 = re.search(r"(?m)^CR3\s+(0x[0-9a-f]{16})", self.cmd("regs")).group(1)
        out = self.cmd("on 1 regs")
        self.assertTrue(out.startswith("APIC 1 runs 'regs':\n"), out)
        self.assertRegex(out, r"(?m)^CR3\s+%s\s" % bsp_cr3)
        self.assertRegex(out, r"(?m)^EFER\s+0x[0-9a-f]{16}\s+.*\bLMA\b")
        out = self.cmd("on 2 cpuid")
        self.assertRegex(out, r"(?m)^initial APIC ID    2 \(leaf 1")
        out = self.cmd("on 3 lapic")
        self.assertRegex(out, r"(?m)^ID\s+3$")
        self.assertRegex(out, r"(?m)^mode     %s " % ("x2APIC" if self.x2apic else "xAPIC"))
        self.assertNotIn("BSP flag set", out)
        before = len(self.hellos())
        out = self.cmd("on 1 hello")
        self.assertEqual(out, "APIC 1 runs 'hello':\nHello World from CPU 1 (APIC ID 1)\n")
        self.assertEqual(len(self.hellos()), before + 1)
        # Words after CMD are the command's own arguments, on the AP.
        out = self.cmd("on 2 cpuid 1")
        self.assertRegex(out, r"(?m)^CPUID 0x1\.0: EAX 0x[0-9a-f]{8} EBX 0x02[0-9a-f]{6} ")
        self.assertEqual(self.cmd("on 1 hello again"), "APIC 1 runs 'hello':\nusage: hello\n")
        self.assertEqual(len(self.hellos()), before + 1)

    # ---- restart ------------------------------------------------------------------------
    def test_05_restart_one_ap_20_times(self):
        stacks, free = set(), []
        for i in range(20):
            before = len(self.hellos())
            out = self.cmd("boot 1 fast")
            self.assertIn("  APIC 1: idle, ", out, "start %d" % (i + 1))
            self.assertRegex(out, r"(?m)^boot: 1 of 1 AP idle, \d+ us in all$")
            self.assertEqual(self.hellos(out), [("1", "1")], "start %d:\n%s" % (i + 1, out))
            self.assertNotIn("wait", out.replace("waiting up to", ""))
            table = self.cmd("cpudata")
            row = re.search(CPUDATA_ROW % (1, 1), table)
            self.assertTrue(row, table)
            stacks.add(row.groups())
            free.append(int(re.search(r"(\d+) free 4 KiB frames", self.cmd("mem")).group(1)))
            self.assertEqual(len(self.hellos()), before + 1, "start %d" % (i + 1))
        self.assertEqual(len(stacks), 1, "cpu_data or stack moved: %s" % stacks)
        self.assertEqual(free[1], free[19], "free frames after 2nd and 20th boot: %s" % free)
        rows = status_rows(self.cmd("status"))
        self.assert_idle_row(rows, 1)
        for apic in (2, 3):
            self.assert_idle_row(rows, apic)     # the others were not disturbed

    # ---- refusals -----------------------------------------------------------------------
    def test_06_refusals(self):
        cases = [
            ("tramp install 0", "error: vector 0x00 (0x0-0x1fff): page 0 holds the real-mode "
             "IVT and the BIOS data area; add 'force' to install anyway\n"),
            ("tramp install 0xa0", "error: vector 0xa0 (0xa0000-0xa1fff): 0xA0000-0xFFFFF is "
             "video memory and ROM, not RAM; add 'force' to install anyway\n"),
            ("tramp install 0x9f", "error: vector 0x9f (0x9f000-0xa0fff): 0xA0000-0xFFFFF is "
             "video memory and ROM, not RAM; add 'force' to install anyway\n"),
            ("tramp install 0x100", "error: VEC 0x100: a SIPI vector is 8 bits (0x01-0xff); "
             "the AP starts at VEC * 4096, below 1 MiB\n"),
            ("tramp install 12z", "error: VEC '12z': not a number (use decimal or 0x hex)\n"),
            ("init 0", "error: APIC 0 is the BSP, the CPU running this monitor\n"),
            ("sipi 0 8", "error: APIC 0 is the BSP, the CPU running this monitor\n"),
            ("cpudata 0", "error: APIC 0 is the BSP, the CPU running this monitor\n"),
            ("init 9", "error: the MADT lists no enabled CPU with APIC ID 9 ('cpus' shows "
             "them)\n"),
            # AP 1 is idle on its stack: its cpu_data must not change under it.
            ("cpudata 1", "error: APIC 1 is running on its cpu_data (state idle); "
             "'init 1' stops it first\n"),
            ("cpudata 1 stack=8192", "error: APIC 1 is running on its cpu_data (state idle); "
             "'init 1' stops it first\n"),
            ("cpudata 1 bogus=1", "error: 'bogus=1': expected entry=ADDR, stack=SIZE or force\n"
             "usage: cpudata [APIC [entry=ADDR] [stack=SIZE] [force]]\n"),
            ("on 1 bogus", "error: an AP can run: regs, cpuid, lapic, hello, tsc, mtrr\n"),
            ("tramp instal 8", "error: 'tramp instal': did you mean 'tramp install'?\n"),
            ("sipi 1 0x20", "refused: no trampoline at vector 0x20 (0x20000): the AP would "
             "run whatever is there; the trampoline is at vector 0x10, or 'tramp install 0x20' "
             "moves it\n"
             "(add 'force' to send it anyway)\n"),
        ]
        for line, want in cases:
            self.assertEqual(self.cmd(line), want, line)
            self.assertIn("fault real|protected|long", self.cmd("help tramp"),
                          "after %r" % line)
        # Stopped by INIT, AP 2 may get a new cpu_data, but only a sane stack.
        table = self.cmd("cpudata")
        self.cmd("init 2")
        for line in ("cpudata 2 stack=100", "cpudata 2 stack=999999",
                     "cpudata 2 stack=32 force"):
            self.assertEqual(self.cmd(line), "error: cpudata 2: stack size must be 4096 to "
                             "262144 bytes (64 and up with 'force')\n", line)
        self.assertEqual(self.cmd("cpudata"), table, "a refused cpudata changed the table")
        self.assertEqual(self.hellos(self.cmd("boot 2 fast")), [("2", "2")])
        # Nothing refused changed the trampoline or AP 1's cpu_data.
        self.assertIn("trampoline at vector 0x10:", self.cmd("tramp"))
        self.assertRegex(self.cmd("cpudata"), CPUDATA_ROW % (1, 1))
        self.assert_idle_row(status_rows(self.cmd("status")), 1)

        # A vector with no trampoline: refused even though AP 3 has its cpu_data; force
        # sends it. The segment is zeros (checked first), which the AP runs as
        # `add [bx+si], al` with DS = BX = SI = AL = 0 after INIT: it changes nothing.
        # (No cpu_data + force: SparseApicIdTest, whose APs start without one.)
        text = self.m.hmp("xp /8192gx 0x30000")       # the AP's whole 64 KiB segment
        words = [w for line in text.splitlines() if ":" in line
                 for w in re.findall(r"0x([0-9a-f]{16})", line.split(":", 1)[1])]
        self.assertEqual(len(words), 8192, text[:500])
        self.assertEqual([w for w in words if int(w, 16)], [], "0x30000-0x3ffff is not zero")
        self.cmd("init 3")
        out = self.cmd("sipi 3 0x30 force")
        self.assertIn("refused: no trampoline at vector 0x30 (0x30000)", out)
        self.assertIn("forced: sending anyway", out)
        self.assertIn("SIPI vector 0x30: the AP starts in real mode at 3000:0000 = 0x30000", out)
        # The AP runs zeros and never writes a stage: `status` says `sipi` until the
        # timeout (about a second; it grows with the number of CPUs), then `timeout`.
        self.assertEqual(status_rows(self.cmd("status"))[3][0], "sipi")
        deadline = time.monotonic() + 10
        while True:
            row = status_rows(self.cmd("status"))[3]
            if row[0] != "sipi" or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(row[0], "timeout", row)
        self.assertEqual(row[3], "no answer; last stage: none")
        out = self.cmd("boot 3 fast")
        self.assertEqual(self.hellos(out), [("3", "3")], out)
        self.assert_alive()

    def test_07_on_offline_ap_refused(self):
        self.cmd("init 2")
        self.assertEqual(self.cmd("on 2 regs"),
                         "error: APIC 2 is not idle (state init); 'boot 2' starts it\n")
        out = self.cmd("boot 2 fast")
        self.assertEqual(self.hellos(out), [("2", "2")], out)
        self.assertIn("APIC 2 runs 'regs':", self.cmd("on 2 regs"))

    # ---- forced faults -------------------------------------------------------------------
    def check_fault(self, apic, vector_name, at, after, error=r"0x0"):
        out = self.cmd("boot %d fast" % apic)
        self.assertIn("  APIC %d: FAILED: %s at 0x%x, after stage %s\n"
                      % (apic, vector_name, at, after), out)
        self.assertRegex(out, r"(?m)^boot: 0 of 1 AP idle, ")
        self.assertEqual(self.hellos(out), [])
        rows = status_rows(self.cmd("status"))
        state, _, times, detail = rows[apic]
        self.assertEqual(state, "fault", rows[apic])
        self.assertRegex(detail, r"^%s, error code %s, at 0x%x, after stage %s$"
                         % (re.escape(vector_name), error, at, after))
        reached = STAGES.index(after) + 1
        self.assertNotIn(None, times[:reached], rows[apic])
        self.assertEqual(times[reached:], [None] * (6 - reached), rows[apic])
        self.assert_alive()

    def test_09_a_forced_tiny_stack_overflows_into_the_padding(self):
        self.cmd("init 3")
        out = self.cmd("cpudata 3 stack=256 force")
        self.assertIn("warning: forced: a 256-byte stack is too small", out)
        row = re.search(r"(?m)^\s+3\s+3\s+0x[0-9a-f]{8}\s+0x[0-9a-f]{8} \(ap_entry\)\s+"
                        r"0x([0-9a-f]{8})-0x([0-9a-f]{8})\s+256 B\s+intact$", out)
        self.assertIsNotNone(row, out)
        base, last = (int(x, 16) for x in row.groups())
        self.assertEqual(last - base + 1, 256)
        self.assertEqual(self.hellos(self.cmd("boot 3 fast")), [("3", "3")])
        rows = status_rows(self.cmd("status"))
        self.assertEqual(rows[3][0], "idle")
        self.assertEqual(rows[3][3], "STACK OVERFLOW (canary overwritten)")
        self.assertRegex(self.cmd("cpudata"), r"(?m)^\s+3\s+3\s.*256 B\s+OVERWRITTEN$")
        # The overflow went into the padding page below the stack: QEMU sees the
        # canary pattern broken there.
        pad = self.m.phys_bytes(base - 4096, 4096)
        self.assertNotEqual(pad, bytes.fromhex("594e41434b435453") * 512)
        # A normal stack again: the canary is whole.
        self.cmd("init 3")
        self.assertRegex(self.cmd("cpudata 3"), r"(?m)16 KiB\s+intact$")
        self.assertEqual(self.hellos(self.cmd("boot 3 fast")), [("3", "3")])
        self.assertEqual(status_rows(self.cmd("status"))[3][3], "")

    def test_08_faults_in_every_mode(self):
        lb, base = self.labels, self.BASE
        modes = [("real", "pm_enter", "real"), ("protected", "lm_enter", "protected"),
                 ("long", "c_call", "long")]
        # Planting in real mode warns under a hypervisor only (TCG has no CPUID
        # hypervisor bit); nothing is started here.
        self.assertIn("installed:", self.cmd("tramp install 0x10"))
        warned = "KVM internal error" in self.cmd("tramp fault real")
        self.assertEqual(warned, self.m.accel == "kvm")
        if self.m.accel == "kvm":
            # KVM here (kvm_pvm) emulates real mode and cannot emulate UD2 there: QEMU
            # stops with "KVM internal error. Suberror: 1 ... emulation failure" (dmesg:
            # "kvm-pvm: INTERNAL_ERROR in batch emul: rip=0xe5"). TCG covers real mode.
            modes = modes[1:]
        for mode, label, after in modes:
            self.assertIn("installed:", self.cmd("tramp install 0x10"))
            out = self.cmd("tramp fault " + mode)
            self.assertIn("planted ud2 at 0x%x (%s)" % (base + lb[label], label), out)
            self.check_fault(1, "#UD invalid opcode", base + lb[label], after)
        self.assertEqual(self.cmd("tramp fault sideways"),
                         "error: MODE is real, protected or long\n")
        self.cmd("tramp install 0x10")
        out = self.cmd("cpudata 1 entry=0x7f0000000000")
        self.assertRegex(out, r"(?m)^\s+1\s+1\s+0x[0-9a-f]{8}\s+0x7f0000000000\s")
        self.check_fault(1, "#PF page fault", 0x7f0000000000, "c-entry",
                         error=r"0x(0|10)")
        # Repaired: the default entry again, and every AP boots.
        self.assertIn("(ap_entry)", self.cmd("cpudata 1"))
        before = len(self.hellos())
        out = self.cmd("boot all fast")
        self.assert_boot_output(out, [1, 2, 3], {1: 1, 2: 2, 3: 3})
        time.sleep(0.1)
        self.assertEqual(len(self.hellos()), before + 3)
        for apic in (1, 2, 3):
            self.assert_idle_row(status_rows(self.cmd("status")), apic)

    # ---- TSC check (issue 15) -------------------------------------------------------------
    def tsc_check(self, apic):
        """`on APIC tsc`: (offset, its uncertainty, the report)."""
        out = self.cmd("on %d tsc" % apic)
        self.assertTrue(out.startswith("TSC check, BSP and APIC %d at the same time:\n" % apic),
                        out)
        m = re.search(r"(?m)^offset     APIC %d minus BSP: (-?\d+) cycles \(-?\d+\.\d us\), "
                      r"\+- (\d+) cycles \(\d+\.\d us\): the best of 16 round trips$"
                      % apic, out)
        self.assertIsNotNone(m, out)
        return int(m.group(1)), int(m.group(2)), out

    def assert_tscs_agree(self, apic):
        offset, uncertainty, out = self.tsc_check(apic)
        self.assertLessEqual(abs(offset), uncertainty, out)
        # The CPUs took turns under the lock, and no read went backwards.
        self.assertRegex(out, r"(?m)^warp test  \d+ reads, [1-9]\d* turns? from one CPU to the "
                         r"other: no read went backwards$")
        self.assertRegex(out, r"(?m)^verdict    TSCs agree within %d cycles: status's times "
                         r"are comparable across CPUs$" % (abs(offset) + uncertainty))
        return out

    def test_10_tsc_check_and_skew(self):
        # TCG: every vCPU reads one host clock. KVM here: the TSCs start together.
        out = self.assert_tscs_agree(1)
        tcg = self.m.accel == "tcg"
        if tcg:     # QEMU 7.2's TCG CPU offers no IA32_TSC_ADJUST
            self.assertIn("\nTSC_ADJUST none: CPUID.(EAX=07H,ECX=0):EBX bit 1 is 0\n", out)
        else:
            self.assertRegex(out, r"(?m)^TSC_ADJUST BSP -?\d+, APIC 1 -?\d+ \(IA32_TSC_ADJUST, "
                             r"MSR 3BH\)$")
        # Bad input: a clear message, and nothing changes.
        before = self.tsc_check(2)[2]
        adjust = re.search(r"(?m)^TSC_ADJUST.*$", before).group(0)
        too_far = self.cmd("on 2 tsc skew 0x7fffffffffffffff")
        self.assertRegex(too_far, r"^error: 0x7fffffffffffffff cycles is more than 60 s of TSC "
                         r"ticks \(\d+ cycles\); nothing changed\n$")
        for line, want in [
                ("on 2 tsc skew abc", "error: CYCLES 'abc': not a number (a signed number of TSC "
                 "cycles, decimal or 0x hex: -50000000); nothing changed\n"),
                ("on 2 tsc skew -99999999999999999999", "error: CYCLES '-99999999999999999999': "
                 "too large (beyond -2^63 to 2^63-1) (a signed number of TSC cycles, decimal "
                 "or 0x hex: -50000000); nothing changed\n"),
                ("on 2 tsc skew", "usage: on APIC tsc [skew CYCLES]\n"),
                ("on 2 tsc sideways", "usage: on APIC tsc [skew CYCLES]\n"),
                ("on 2 tsc skew 5 6", "usage: on APIC tsc [skew CYCLES]\n")]:
            self.assertEqual(self.cmd(line), want, line)
        self.assertEqual(re.search(r"(?m)^TSC_ADJUST.*$", self.tsc_check(2)[2]).group(0), adjust)
        # The skew: put APIC 2's TSC 50 million cycles behind the BSP's.
        out = self.cmd("on 2 tsc skew -50000000")
        self.assertRegex(out, r"^APIC 2 minus BSP was -?\d+ cycles \(\+- \d+\); added -?\d+ "
                         r"through %s\n" % re.escape("IA32_TSC (WRMSR 10H)" if tcg
                                                      else "IA32_TSC_ADJUST (WRMSR 3BH)"))
        if "did not move" in out:
            # TCG ignores WRMSR 10H; the KVM here (kvm_pvm) keeps the new IA32_TSC_ADJUST
            # but not the TSC (docs/going-further.md section 3): the TSCs still agree.
            self.assertTrue(out.endswith("the TSC did not move as asked: the CPU, or the "
                                         "hypervisor under it, ignored the write "
                                         "(docs/going-further.md section 3 says which do)\n"),
                            out)
            out = self.assert_tscs_agree(2)
            if not tcg:
                self.assertNotEqual(re.search(r"(?m)^TSC_ADJUST.*$", out).group(0), adjust)
        else:
            offset, uncertainty, out = self.tsc_check(2)
            self.assertLessEqual(abs(offset + 50000000), uncertainty, out)
            self.assertRegex(out, r"(?m)^verdict    APIC 2's TSC is \d+\.\d us behind the BSP's")
            # INIT leaves the TSC alone: the restarted AP's stage times come out negative.
            self.cmd("boot 2 fast")
            times = status_rows(self.cmd("status"))[2][2]
            self.assertLess(times[0], 0, times)
        self.assertNotIn("did not move", self.cmd("on 2 tsc skew 0"))
        self.assert_tscs_agree(2)
        self.assert_alive()


    # ---- what each AP must match with the BSP --------------------------------------------
    def test_11_mtrr_pat_microcode_match(self):
        # The BSP's, against other routes: SeaBIOS's mtrr_setup (fixed ranges WB, UC for
        # video memory, WP for the ROMs; 2-4 GiB UC; default WB), the power-up PAT (SDM
        # 11.12.4), MAXPHYADDR from `cpuid`, the microcode revision QEMU gives the CPU.
        bsp = self.cmd("mtrr")
        self.assertIn("\nDEF_TYPE   0x0000000000000c06 (MSR 2FFH): MTRRs on (E), fixed ranges "
                      "on (FE), default type WB\n", bsp)
        self.assertIn("\nfixed      0x00000-0x9ffff WB, 0xa0000-0xbffff UC, 0xc0000-0xfffff WP\n",
                      bsp)
        self.assertIn("\nvariable   0: base 0x80000000, size 2 GiB, UC\n", bsp)
        eax = re.search(r"EAX 0x([0-9a-f]{8})", self.cmd("cpuid 0x80000008")).group(1)
        self.assertIn("\nMAXPHYADDR %d bits " % (int(eax, 16) & 0xFF), bsp)
        self.assertIn("\nPAT        0x0007040600070406 (MSR 277H): PA0 WB, PA1 WT, PA2 UC-, "
                      "PA3 UC, PA4 WB, PA5 WT, PA6 UC-, PA7 UC (the power-up value)\n", bsp)
        cpu0 = self.m.qmp("query-cpus-fast")[0]["qom-path"]
        ucode = self.m.qmp("qom-get", path=cpu0, property="ucode-rev")
        if "GenuineIntel" in self.cmd("cpuid"):
            self.assertIn("\nmicrocode  revision 0x%x (MSR 8BH bits 63:32" % (ucode >> 32), bsp)
        else:
            self.assertIn("\nmicrocode  patch level 0x%x (MSR 8BH bits 31:0, AMD)\n"
                          % (ucode & 0xFFFFFFFF), bsp)
        # An AP: the same CPU, the same PAT and microcode. Its MTRRs: KVM keeps them
        # across INIT, as table 9-1 says; QEMU's TCG clears them at INIT.
        out = self.cmd("on 1 mtrr")
        self.assertTrue(out.startswith("APIC 1 runs 'mtrr':\n"), out)
        for line in ("MTRRCAP ", "PAT ", "microcode "):
            self.assertIn(re.search(r"(?m)^%s.*$" % line, bsp).group(0), out)
        if self.m.accel == "kvm":
            self.assertTrue(out.endswith("\nsame as the BSP: every MTRR, the PAT and the "
                                         "microcode revision\n"), out)
        else:
            self.assertIn("\nDEF_TYPE   0x0000000000000000 (MSR 2FFH): MTRRs off (E is 0): "
                          "all memory is UC\n", out)
            self.assertIn("\ndiffers from the BSP in 13 registers (", out)
            self.assertIn("\n  IA32_MTRR_DEF_TYPE (MSR 2FFH): APIC 1 0x0000000000000000, BSP "
                          "0x0000000000000c06\n", out)
            self.assertNotIn("IA32_PAT", out)
        same = out.split("\n", 1)[1]         # the AP's report and verdict, without the title
        # Bad input: a clear message, nothing written.
        for line, want in [
                ("on 1 mtrr pat 0x0007040600070206", "error: PAT 0x0007040600070206: PA1 is "
                 "0x02, a reserved encoding (each byte must be 0 UC, 1 WC, 4 WT, 5 WP, 6 WB or "
                 "7 UC-; a reserved one would #GP); nothing changed\n"),
                ("on 1 mtrr pat 0x0007040600070400", "error: PAT 0x0007040600070400: PA0 must "
                 "stay WB: smplab maps all RAM through it (PAT, PCD and PWT clear); change PA1, "
                 "PA2 or PA4-PA7; nothing changed\n"),
                ("on 1 mtrr pat 0x0007040606070406", "error: PAT 0x0007040606070406: PA3 must "
                 "stay UC: smplab maps the 4th GiB (local APIC, I/O APIC) through it (PCD and "
                 "PWT set); change PA1, PA2 or PA4-PA7; nothing changed\n"),
                ("on 1 mtrr pat 0x10007040600070406", "error: VALUE '0x10007040600070406': "
                 "too large (above 2^64-1) (use decimal or 0x hex)\n"),
                ("on 1 mtrr pat", "usage: on APIC mtrr [pat VALUE]\n"),
                ("on 1 mtrr copy", "usage: on APIC mtrr [pat VALUE]\n"),
                ("mtrr 1", "usage: mtrr\n")]:
            self.assertEqual(self.cmd(line), want, line)
        self.assertEqual(self.cmd("on 1 mtrr").split("\n", 1)[1], same)
        # A PAT written on the AP alone is reported, survives INIT (table 9-1), and goes back.
        out = self.cmd("on 1 mtrr pat 0x0007040600070106")
        self.assertTrue(out.startswith(
            "APIC 1 writes its PAT (the BSP's stays as it is):\n"
            "IA32_PAT 0x0007040600070406 -> 0x0007040600070106 (caches written back and TLBs "
            "flushed around the write, SDM 11.12.4)\nAPIC 1 runs 'mtrr':\n"), out)
        changed = "\n  IA32_PAT (MSR 277H): APIC 1 0x0007040600070106, BSP 0x0007040600070406\n"
        self.assertIn("\nPAT        0x0007040600070106 (MSR 277H): PA0 WB, PA1 WC, ", out)
        self.assertIn(changed, out)
        self.assertEqual(self.cmd("mtrr"), bsp)
        self.assertEqual(self.hellos(self.cmd("boot 1 fast")), [("1", "1")])
        self.assertIn(changed, self.cmd("on 1 mtrr"))
        out = self.cmd("on 1 mtrr pat 0x0007040600070406")
        self.assertTrue(out.endswith(same), out)
        self.assert_alive()


class SparseApicIdTest(SmpBase):
    """APIC IDs 0 1 2 4 5 6: CPU index and APIC ID differ from CPU 3 on."""
    accels = ("tcg", "kvm")
    smp = "6,sockets=2,cores=3"
    APICS = [1, 2, 4, 5, 6]
    INDEX = {1: 1, 2: 2, 4: 3, 5: 4, 6: 5}

    def test_1_sipi_without_init_notes_it(self):
        self.assertEqual(self.cmd("tramp"), "no trampoline installed; 'tramp install 0x08' puts "
                         "one at 0x8000\n")
        self.assertEqual(self.cmd("tramp fault real"), "error: no trampoline installed\n")
        self.assertEqual(self.cmd("on 2 regs"),
                         "error: APIC 2 is not idle (state offline); 'boot 2' starts it\n")
        self.assertIn("installed: copied", self.cmd("tramp install 8"))
        self.cmd("cpudata 1")
        out = self.cmd("sipi 1 8")
        self.assertIn("note: APIC 1 got no INIT from this monitor; only an AP waiting for "
                      "SIPI (after INIT) starts\n", out)
        # No cpu_data for APIC 6: refused, and force sends it; it stops at no-cpudata.
        self.cmd("init 6")
        out = self.cmd("sipi 6 8")
        self.assertEqual(out, "refused: APIC 6 has no cpu_data, so the trampoline would "
                         "stop at 'no-cpudata'; 'cpudata 6' builds it\n"
                         "(add 'force' to send it anyway)\n")
        self.assertEqual(status_rows(self.cmd("status"))[6][:2], ("init", 0))
        out = self.cmd("sipi 6 8 force")
        self.assertIn("forced: sending anyway", out)
        self.assertNotIn("note:", out)
        deadline = time.monotonic() + 5
        while True:
            row = status_rows(self.cmd("status"))[6]
            if row[0] != "sipi" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(row[0], "no-cpudata", row)
        self.assertEqual(row[2][3:], [None] * 3, "no c-entry without cpu_data: %s" % (row,))
        self.assertNotIn(None, row[2][:3], row)
        self.assertEqual(self.hellos(), [])

    def test_2_boot_all(self):
        out = self.cmd("boot all fast", timeout=30)
        self.assert_boot_output(out, self.APICS, self.INDEX)
        self.assertIn("Hello World from CPU 3 (APIC ID 4)", out)
        out = self.cmd("status")
        rows = status_rows(out)
        self.assertEqual(sorted(rows), self.APICS)
        for apic in self.APICS:
            self.assert_idle_row(rows, apic)
        self.assert_timeline(out, self.APICS)
        self.assertEqual(sorted((int(c), int(a)) for c, a in self.hellos()),
                         sorted((self.INDEX[a], a) for a in self.APICS))

    def test_3_refusals_and_on(self):
        msg = "error: the MADT lists no enabled CPU with APIC ID 3 ('cpus' shows them)\n"
        self.assertEqual(self.cmd("init 3"), msg)
        self.assertEqual(self.cmd("sipi 3 8"), msg)
        self.assertEqual(self.cmd("cpudata 3"), msg)
        self.assertEqual(self.cmd("on 5 hello"),
                         "APIC 5 runs 'hello':\nHello World from CPU 4 (APIC ID 5)\n")
        self.assertRegex(self.cmd("on 6 cpuid"), r"(?m)^initial APIC ID    6 \(leaf 1")
        rows = self.cmd("cpudata")
        for apic in self.APICS:
            self.assertRegex(rows, CPUDATA_ROW % (apic, self.INDEX[apic]))


class ConsoleTest(SmpBase):
    """Issue 13: an AP prints into a buffer of its own that the BSP drains
    (kernel/lib/console.c), so 15 APs on 2 host cores never wait for each other. TCG
    only in make test: the console code does not depend on the accelerator, and the KVM
    pass has the other multi-AP tests."""
    accels = ("tcg",)
    smp = "16"
    APICS = list(range(1, 16))

    def hello(self, apic):
        return "Hello World from CPU %d (APIC ID %d)" % (apic, apic)

    def test_boot_all_fast_prints_each_hello_once_before_the_verdict(self):
        out = self.cmd("boot all fast", timeout=60)
        self.assert_boot_output(out, self.APICS, {a: a for a in self.APICS})
        verdict = out.index("\nboot: ")
        for apic in self.APICS:
            self.assertLess(out.index(self.hello(apic) + "\n"), verdict, out)
        self.cmd("lapic")
        self.assertEqual(sorted(int(a) for _, a in self.hellos()), self.APICS,
                         "each Hello once in all the output")


class PromptTest(SmpBase):
    """Issue 13: a Hello that comes while the monitor waits at the prompt goes above it,
    and the prompt and what was typed so far are drawn again. Under -icount QEMU runs
    the vCPUs one at a time, so the AP started by hand climbs only after the BSP is back
    at the prompt (with MTTCG it is quicker than the BSP's own lines)."""
    accels = ("tcg",)
    smp = "2"
    extra = "-icount shift=0"
    HELLO = "Hello World from CPU 1 (APIC ID 1)"

    def start_by_hand(self, typed):
        """init 1, then sipi 1 8 and `typed` at once; the text from there to the Hello."""
        self.cmd("init 1")
        self.m.send_raw("sipi 1 8\r" + typed)
        return self.m.wait_for(self.HELLO + "\r\n", timeout=20)

    def test_1_hello_at_the_idle_prompt(self):
        self.assertIn("1 of 1 AP idle", self.cmd("boot 1 fast"))
        text = self.start_by_hand("")
        self.assertTrue(text.endswith("\r\n" + PROMPT + ERASE_PROMPT + self.HELLO + "\r\n"),
                        repr(text))
        self.m.wait_prompt()
        self.assert_alive()
        self.assertEqual(self.hellos().count(("1", "1")), 2, "each Hello once")

    def test_2_a_partly_typed_line_is_drawn_again(self):
        for _ in range(3):
            text = self.start_by_hand("sta")
            self.assertRegex(text, r"\r\n%s(s|st|sta)?%s%s\r\n$" % (
                PROMPT, re.escape(ERASE_PROMPT), re.escape(self.HELLO)))
            self.m.wait_for(PROMPT + "sta")
            self.m.send_raw("tus\r")
            self.m.wait_for("tus\r\n")
            rows = status_rows(self.m.wait_prompt().replace("\r", ""))
            self.assert_idle_row(rows, 1, sipis=1)

if __name__ == "__main__":
    unittest.main()


class ManyCpusTest(SmpBase):
    """-smp 255, TCG's most: one broadcast starts all 254 APs, each says Hello once and
    whole, and `status` lists them all (one row each, the timeline scaled to the slowest)."""
    accels = ("tcg",)
    smp = "255"
    mem = "256M"

    def test_boot_all_fast_starts_every_ap(self):
        out = self.cmd("boot all fast", timeout=120)
        self.assertIn("  SIPI -> all but self", out)
        self.assertRegex(out, r"(?m)^boot: 254 of 254 APs idle, \d+ us in all$")
        hellos = HELLO_RE.findall(self.m.transcript)
        self.assertEqual(sorted(int(a) for _, a in hellos), list(range(1, 255)))
        self.assertTrue(all(c == a for c, a in hellos), "CPU number and APIC ID differ")
        # Many APs: `status` is the compact form, one line each; `status full` the
        # table and the timeline; `status APIC` one AP.
        out = self.cmd("status", timeout=60)
        aps, counts, last_idle = status_summary(out)
        self.assertEqual((aps, counts), (254, {"idle": 254}), out)
        compact = compact_rows(out)
        self.assertEqual(sorted(compact), list(range(1, 255)))
        self.assertEqual({state for state, *_ in compact.values()}, {"idle"})
        self.assertEqual(max(latest for _, _, latest, _, _ in compact.values()), last_idle)
        self.assertTrue(all(bar.rstrip().endswith("I") for *_, bar, _ in compact.values()))
        widths = {len(line) for line in out.splitlines() if line.endswith("|")}
        self.assertLessEqual(max(widths), 80, "an AP's line is wider than 80 columns")
        rows = status_rows(self.cmd("status full", timeout=60))
        self.assertEqual(sorted(rows), list(range(1, 255)))
        self.assertEqual({state for state, *_ in rows.values()}, {"idle"})
        self.assertEqual(max(times[-1] for _, _, times, _ in rows.values()), last_idle)
        one = self.cmd("status 200")
        self.assertEqual(list(status_rows(one)), [200])
        self.assertEqual(len(timeline_bars(one)), 1)
        self.assertIn("error: the MADT lists no enabled CPU with APIC ID 255",
                      self.cmd("status 255"))
        self.assertIn("Hello World from CPU 254 (APIC ID 254)", self.cmd("on 254 hello"))
