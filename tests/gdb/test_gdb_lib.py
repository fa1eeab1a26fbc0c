"""Host unit tests of the pure parts of smplab's GDB scripts: cpustate.py
(QEMU's `info registers` -> mode, linear address), paging.py (page walk,
GDT decoding) and labels.py (trampoline label names). No GDB, no QEMU.

The register dumps in fixtures/ are real: `monitor info registers` typed
in GDB at the stops of a `boot 1` (TCG) and `boot 2` (KVM) session."""
import os
import sys
import unittest

from smplab import ROOT
from smplab_gdb import cpustate, labels, paging

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

Mode = cpustate.Mode
REAL, PROT32, PROT16 = Mode("real", 16, False), Mode("protected", 32, False), Mode("protected", 16, False)
LONG = Mode("long", 64, True)
COMPAT32 = Mode("compatibility", 32, True)


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".txt")) as f:
        return cpustate.CpuState(f.read())


class PureModulesTest(unittest.TestCase):
    def test_they_import_without_gdb(self):
        # The host has no `gdb` module: importing it here would have raised.
        self.assertNotIn("gdb", sys.modules)
        for module in (cpustate, paging, labels):
            self.assertTrue(module.__file__.startswith(os.path.join(ROOT, "gdb", "smplab_gdb")),
                            module.__file__)


class InfoRegistersTest(unittest.TestCase):
    """Each fixture: mode, linear address of the next instruction, what
    `smplab mode` prints as 'next instruction'."""
    CASES = [
        # fixture, mode, linear pc, where()
        ("tcg-real-reset-bsp", REAL, 0xfffffff0, "CS:IP f000:fff0 = linear 0xfffffff0"),
        ("tcg-real-rm_entry", REAL, 0x8000, "CS:IP 0800:0000 = linear 0x8000"),
        ("tcg-real-pm_enter", REAL, 0x80e5, "CS:IP 0800:00e5 = linear 0x80e5"),
        ("tcg-protected32-pm_entry", PROT32, 0x8100,
         "CS 0008 (base 0x0) : EIP 0x8100 = linear 0x8100"),
        ("tcg-protected32-lme", PROT32, 0x8142,
         "CS 0008 (base 0x0) : EIP 0x8142 = linear 0x8142"),
        ("tcg-compat32-ljmp", COMPAT32, 0x814d,
         "CS 0008 (base 0x0) : EIP 0x814d = linear 0x814d"),
        ("tcg-long64-lm_entry", LONG, 0x8150, "RIP 0x8150"),
        ("tcg-long64-ap_entry", LONG, 0x1032f0, "RIP 0x1032f0"),
        ("kvm-real-rm_entry", REAL, 0x8000, "CS:IP 0800:0000 = linear 0x8000"),
        ("kvm-protected32-pm_entry", PROT32, 0x8100,
         "CS 0008 (base 0x0) : EIP 0x8100 = linear 0x8100"),
        ("kvm-long64-lm_entry", LONG, 0x8150, "RIP 0x8150"),
    ]

    def test_mode_linear_address_and_where(self):
        for name, mode, linear, where in self.CASES:
            with self.subTest(fixture=name):
                state = fixture(name)
                self.assertEqual(state.mode, mode)
                self.assertEqual(state.linear_pc, linear)
                self.assertEqual(state.where(), where)

    def test_real_mode_segments_and_control_registers(self):
        state = fixture("tcg-real-rm_entry")
        self.assertEqual(state.cs, cpustate.Segment(0x0800, 0x8000, 0xffff, 0x9b00))
        self.assertEqual(state.segments["DS"], cpustate.Segment(0, 0, 0xffff, 0x9300))
        self.assertEqual(state.ip, 0)
        self.assertEqual((state.cr0, state.efer), (0x60000010, 0))
        self.assertEqual(state.tables["GDT"], (0, 0xffff))
        self.assertEqual(state.regs["EDX"], 0x00060fb1)
        self.assertEqual(sorted(state.segments), ["CS", "DS", "ES", "FS", "GS", "LDT", "SS", "TR"])

    def test_cr0_after_init_differs_between_tcg_and_kvm(self):
        self.assertEqual(fixture("tcg-real-rm_entry").cr0, 0x60000010)
        self.assertEqual(fixture("kvm-real-rm_entry").cr0, 0x10)

    def test_reset_vector_segment_base_is_not_cs_times_16(self):
        state = fixture("tcg-real-reset-bsp")
        self.assertEqual((state.cs.selector, state.cs.base, state.ip), (0xf000, 0xffff0000, 0xfff0))
        self.assertNotEqual(state.linear_pc, 0xf000 * 16 + 0xfff0)

    def test_protected_mode_keeps_real_mode_data_segments(self):
        state = fixture("tcg-protected32-pm_entry")
        self.assertEqual(state.cs, cpustate.Segment(0x0008, 0, 0xffffffff, 0x00cf9a00))
        self.assertEqual(state.segments["DS"], cpustate.Segment(0x0800, 0x8000, 0xffff, 0x9300))
        self.assertEqual(state.cr0, 0x11)
        self.assertEqual(state.tables["GDT"], (0x88d8, 0x1f))

    def test_efer_lme_before_lma(self):
        lme = fixture("tcg-protected32-lme")
        self.assertEqual((lme.efer, lme.regs["CR4"], lme.regs["CR3"]), (0x100, 0x20, 0x10e000))
        self.assertEqual(cpustate.flag_names(lme.efer, cpustate.EFER_BITS), "LME")
        compat = fixture("tcg-compat32-ljmp")
        self.assertEqual((compat.cr0, compat.efer), (0x80010011, 0x500))
        self.assertEqual(compat.cs.flags & cpustate.SEG_FLAG_L, 0)

    def test_long_mode_64_bit_fields(self):
        state = fixture("tcg-long64-lm_entry")
        self.assertEqual(state.cs, cpustate.Segment(0x0018, 0, 0xffffffff, 0x00af9a00))
        self.assertEqual(state.ip, 0x8150)
        self.assertEqual(state.regs["RDI"], 0x9040)
        self.assertEqual(state.regs["CR3"], 0x10e000)
        self.assertEqual(state.tables, {"GDT": (0x88d8, 0x1f), "IDT": (0x8978, 0xff)})
        kvm = fixture("kvm-long64-lm_entry")
        self.assertEqual(kvm.cs.flags, 0x00a09b00)

    def test_decoded_flags(self):
        self.assertEqual(cpustate.flag_names(0x60000010, cpustate.CR0_BITS), "ET NW CD")
        self.assertEqual(cpustate.flag_names(0x80010011, cpustate.CR0_BITS), "PE ET WP PG")
        self.assertEqual(cpustate.flag_names(0x20, cpustate.CR4_BITS), "PAE")
        self.assertEqual(cpustate.flag_names(0x500, cpustate.EFER_BITS), "LME LMA")
        self.assertEqual(cpustate.flag_names(0, cpustate.EFER_BITS), "(none)")

    def test_describe_mode(self):
        self.assertEqual(cpustate.describe_mode(REAL), "real mode (16-bit), paging off")
        self.assertEqual(cpustate.describe_mode(PROT32), "protected mode, 32-bit code, paging off")
        self.assertEqual(cpustate.describe_mode(LONG), "64-bit long mode, paging on")
        self.assertEqual(cpustate.describe_mode(COMPAT32),
                         "compatibility mode, 32-bit code, paging on")

    def test_text_that_is_not_info_registers_is_refused(self):
        for text in ("", "Cannot access memory at address 0x0",
                     "CR0=00000011 CR3=00000000",                    # no segments
                     "CS =0008 00000000 ffffffff 00cf9a00"):         # no CR0
            with self.subTest(text=text):
                self.assertRaises(ValueError, cpustate.CpuState, text)

    def test_a_line_that_changes_the_mode(self):
        with open(os.path.join(FIXTURES, "tcg-real-rm_entry.txt")) as f:
            text = f.read()
        self.assertEqual(cpustate.CpuState(text.replace("CR0=60000010", "CR0=60000011")).mode,
                         Mode("protected", 16, False))


class ModeDecisionTest(unittest.TestCase):
    """cpu_mode for every combination of CR0.PE, CR0.PG, EFER.LMA, CS.L, CS.D."""
    # (PE, LMA, L, D) -> (name, bits); CR0.PG only sets `paging`.
    TABLE = {
        (0, 0, 0, 0): ("real", 16), (0, 0, 0, 1): ("real", 16),
        (0, 0, 1, 0): ("real", 16), (0, 0, 1, 1): ("real", 16),
        (0, 1, 0, 0): ("real", 16), (0, 1, 0, 1): ("real", 16),
        (0, 1, 1, 0): ("real", 16), (0, 1, 1, 1): ("real", 16),
        (1, 0, 0, 0): ("protected", 16), (1, 0, 0, 1): ("protected", 32),
        (1, 0, 1, 0): ("protected", 16), (1, 0, 1, 1): ("protected", 32),
        (1, 1, 0, 0): ("compatibility", 16), (1, 1, 0, 1): ("compatibility", 32),
        (1, 1, 1, 0): ("long", 64), (1, 1, 1, 1): ("long", 64),
    }

    def test_every_combination(self):
        self.assertEqual(len(self.TABLE), 16)
        for (pe, lma, l_bit, d_bit), (name, bits) in self.TABLE.items():
            for pg in (0, 1):
                cr0 = 0x60000010 | pe | pg << 31
                efer = lma << 10 | 1 << 8                    # LME set throughout
                flags = 0x9a00 | l_bit << 21 | d_bit << 22
                with self.subTest(pe=pe, pg=pg, lma=lma, l=l_bit, d=d_bit):
                    self.assertEqual(cpustate.cpu_mode(cr0, efer, flags), Mode(name, bits, bool(pg)))

    def test_lme_without_lma_is_not_long_mode(self):
        self.assertEqual(cpustate.cpu_mode(0x11, 0x100, 0x00af9a00), Mode("protected", 16, False))
        self.assertEqual(cpustate.cpu_mode(0x80000011, 0x100, 0x00cf9a00), Mode("protected", 32, True))


class ModeBitsTest(unittest.TestCase):
    """The four bits whose change break-modes reports (CR0.PE, CR0.PG, EFER.LMA, CS.L),
    read from the real register dumps of one AP's climb."""
    CLIMB = [  # fixture, (PE, PG, LMA, L), what changed since the previous one
        ("tcg-real-rm_entry", (0, 0, 0, 0), []),
        ("tcg-real-pm_enter", (0, 0, 0, 0), []),
        ("tcg-protected32-pm_entry", (1, 0, 0, 0), ["CR0.PE 0->1"]),
        ("tcg-protected32-lme", (1, 0, 0, 0), []),                 # LME is not LMA
        ("tcg-compat32-ljmp", (1, 1, 1, 0), ["CR0.PG 0->1", "EFER.LMA 0->1"]),
        ("tcg-long64-lm_entry", (1, 1, 1, 1), ["CS.L 0->1"]),
        ("tcg-long64-ap_entry", (1, 1, 1, 1), []),
    ]

    def test_the_climb_bit_by_bit(self):
        before = cpustate.RESET_MODE_BITS
        for name, bits, changes in self.CLIMB:
            with self.subTest(fixture=name):
                state = fixture(name)
                self.assertEqual(state.mode_bits, bits)
                self.assertEqual(cpustate.mode_changes(before, state.mode_bits), changes)
                before = state.mode_bits

    def test_each_bit_alone_and_back(self):
        cases = [((1, 0, 0), "CR0.PE"), ((1 << 31, 0, 0), "CR0.PG"),
                 ((0, 1 << 10, 0), "EFER.LMA"), ((0, 0, 1 << 21), "CS.L")]
        for (cr0, efer, flags), name in cases:
            with self.subTest(bit=name):
                on = cpustate.mode_bits(cr0, efer, flags)
                self.assertEqual(sum(on), 1)
                self.assertEqual(cpustate.mode_changes(cpustate.RESET_MODE_BITS, on),
                                 ["%s 0->1" % name])
                self.assertEqual(cpustate.mode_changes(on, cpustate.RESET_MODE_BITS),
                                 ["%s 1->0" % name])

    def test_other_bits_are_no_mode_change(self):
        # CR0.CD/NW/ET/WP, EFER.LME and NXE, CS.D and the rest of the descriptor.
        self.assertEqual(cpustate.mode_bits(0x60010010, 0x900, 0x00cf9b00), (0, 0, 0, 0))


class LinearAddressTest(unittest.TestCase):
    def test_real_mode_is_cs_times_16_plus_ip(self):
        for cs, ip in ((0x0800, 0), (0x0800, 0xe5), (0x2000, 0x1234), (0xf000, 0xfff0)):
            with self.subTest(cs=cs, ip=ip):
                self.assertEqual(cpustate.linear_address(REAL, cs * 16, ip), cs * 16 + ip)

    def test_real_mode_uses_only_16_bits_of_ip(self):
        self.assertEqual(cpustate.linear_address(REAL, 0x8000, 0x10005), 0x8005)
        self.assertEqual(cpustate.linear_address(REAL, 0x8000, 0xffffffff0000), 0x8000)
        self.assertEqual(cpustate.linear_address(PROT16, 0x20000, 0xabcd1234), 0x21234)

    def test_real_mode_above_one_mib_with_a20_on(self):
        self.assertEqual(cpustate.linear_address(REAL, 0xffff0, 0xffff), 0x10ffef)

    def test_32_bit_adds_the_base_and_wraps_at_4_gib(self):
        self.assertEqual(cpustate.linear_address(PROT32, 0, 0x8100), 0x8100)
        self.assertEqual(cpustate.linear_address(PROT32, 0x10000, 0x1234), 0x11234)
        self.assertEqual(cpustate.linear_address(PROT32, 0xfffff000, 0x2000), 0x1000)
        self.assertEqual(cpustate.linear_address(COMPAT32, 0x100000, 0x814d), 0x10814d)

    def test_64_bit_ignores_the_cs_base(self):
        self.assertEqual(cpustate.linear_address(LONG, 0x8000, 0x1032f0), 0x1032f0)
        self.assertEqual(cpustate.linear_address(LONG, 0, 0xffffffff80001000), 0xffffffff80001000)

    def test_state_with_wrapped_eip_in_real_mode(self):
        with open(os.path.join(FIXTURES, "kvm-real-rm_entry.txt")) as f:
            text = f.read()
        state = cpustate.CpuState(text.replace("EIP=00000000", "EIP=00010007"))
        self.assertEqual(state.linear_pc, 0x8007)
        self.assertEqual(state.where(), "CS:IP 0800:0007 = linear 0x8007")


class FakeMemory:
    """Physical memory as {address: u64}; reading anywhere else fails the test."""

    def __init__(self, test, words):
        self.test, self.words, self.reads = test, words, []

    def __call__(self, address):
        self.reads.append(address)
        if address not in self.words:
            self.test.fail("the walk read 0x%x, which holds no table entry" % address)
        return self.words[address]


P_RW = paging.PTE_PRESENT | paging.PTE_WRITE
CR3 = 0x1000
TABLES = {
    0x1000: 0x2000 | P_RW,                           # PML4[0]   -> PDPT 0x2000
    0x1008: 0,                                       # PML4[1]   not present
    0x1800: (0x5000 | P_RW) | paging.PTE_NX,         # PML4[256] -> PDPT 0x5000 (NX ignored)
    0x2000: 0x3000 | P_RW,                           # PDPT[0]   -> PD 0x3000
    0x2008: 0x80000000 | 0x1000 | P_RW | paging.PTE_LARGE,  # PDPT[1] 1 GiB page, PAT bit set
    0x2010: 0,                                       # PDPT[2]   not present
    0x3000: 0x4000 | P_RW,                           # PD[0]     -> PT 0x4000
    0x3008: 0x600000 | 0x1000 | P_RW | paging.PTE_LARGE,  # PD[1] 2 MiB page, PAT bit set
    0x3010: 0,                                       # PD[2]     not present
    0x4028: 0x9000 | P_RW | paging.PTE_USER,         # PT[5]     4 KiB page at 0x9000
    0x4030: 0,                                       # PT[6]     not present
    0x5000: 0,                                       # PDPT[0] of the upper half
}


class PageWalkTest(unittest.TestCase):
    def walk(self, address, cr3=CR3):
        memory = FakeMemory(self, TABLES)
        return paging.walk(cr3, address, memory), memory.reads

    def test_4k_page(self):
        lines, reads = self.walk(0x5123)
        self.assertEqual(reads, [0x1000, 0x2000, 0x3000, 0x4028])
        self.assertEqual(lines[-1], "  -> physical 0x9123 in a 4 KiB page")
        self.assertEqual(lines[4], "  PTE  [  5] at 0x000004028 = 0x0000000000009007  P RW US")

    def test_2m_page_ignores_the_pat_bit(self):
        lines, reads = self.walk(0x200000 + 0x2034)
        self.assertEqual(reads, [0x1000, 0x2000, 0x3008])
        self.assertEqual(lines[-1], "  -> physical 0x602034 in a 2 MiB page")

    def test_1g_page_ignores_the_pat_bit(self):
        lines, reads = self.walk(0x40000000 + 0x122456)
        self.assertEqual(reads, [0x1000, 0x2008])
        self.assertEqual(lines[-1], "  -> physical 0x80122456 in a 1 GiB page")
        self.assertIn("P RW PS", lines[-2])

    def test_not_present_at_each_level(self):
        for address, depth in ((0x8000000000, 1), (0x80000000, 2), (0x400000, 3), (0x6000, 4)):
            with self.subTest(address=hex(address)):
                lines, reads = self.walk(address)
                self.assertEqual(len(reads), depth)
                self.assertEqual(lines[-1], "  not present: 0x%x is not mapped" % address)
                self.assertTrue(lines[-2].endswith("= 0x0000000000000000  "), lines[-2])

    def test_upper_half_is_walked_and_nx_is_not_part_of_the_table_address(self):
        lines, reads = self.walk(0xffff800000000000)
        self.assertEqual(reads, [0x1800, 0x5000])
        self.assertIn("PML4E[256]", lines[1])
        self.assertIn(" NX", lines[1])

    def test_cr3_flag_bits_are_not_part_of_the_table_address(self):
        lines, reads = self.walk(0x5123, cr3=CR3 | 0x18)
        self.assertEqual(reads[0], 0x1000)
        self.assertEqual(lines[0], "walk of 0x5123 through CR3 0x1018")

    def test_non_canonical_addresses_are_not_walked(self):
        for address in (0xdead00000000, 0x0000800000000000, 0xfffe800000000000):
            with self.subTest(address=hex(address)):
                lines, reads = self.walk(address)
                self.assertEqual(reads, [])
                self.assertEqual(lines[-1],
                                 "  not canonical: bits 63:47 must all equal bit 47 (#GP on use)")

    def test_canonical(self):
        self.assertTrue(paging.canonical(0x00007fffffffffff))
        self.assertTrue(paging.canonical(0xffff800000000000))
        self.assertTrue(paging.canonical(0xffffffffffffffff))
        self.assertFalse(paging.canonical(0x0000800000000000))
        self.assertFalse(paging.canonical(0xdead00000000))

    def test_the_walk_smplab_printed_for_0x8000(self):
        # `smplab walk 0x8000` on APIC 1 at c_call (TCG), entries as read there.
        memory = FakeMemory(self, {0x10e000: 0x10f023, 0x10f000: 0x110023, 0x110000: 0xe3})
        self.assertEqual(paging.walk(0x10e000, 0x8000, memory), [
            "walk of 0x8000 through CR3 0x10e000",
            "  PML4E[  0] at 0x00010e000 = 0x000000000010f023  P RW A",
            "  PDPTE[  0] at 0x00010f000 = 0x0000000000110023  P RW A",
            "  PDE  [  0] at 0x000110000 = 0x00000000000000e3  P RW A D PS",
            "  -> physical 0x8000 in a 2 MiB page"])


def descriptor(base, limit, access, flags):
    """8 bytes of a segment descriptor (SDM Vol 3A figure 3-8)."""
    low = (limit & 0xFFFF) | (base & 0xFFFF) << 16
    high = ((base >> 16) & 0xFF) | access << 8 | ((limit >> 16) & 0xF) << 16 | flags << 20 \
        | (base >> 24) << 24
    return low.to_bytes(4, "little") + high.to_bytes(4, "little")


class GdtTest(unittest.TestCase):
    # The trampoline's GDT (build/trampoline/trampoline.bin at gdt = 0x8d8).
    TRAMPOLINE_GDT = bytes.fromhex("0000000000000000" "ffff0000009acf00"
                                   "ffff00000092cf00" "ffff0000009aaf00")

    def test_the_gdt_smplab_printed_at_c_call(self):
        self.assertEqual(paging.describe_gdt(self.TRAMPOLINE_GDT), [
            "  0x00  null",
            "  0x08  32-bit code, base 0x0, limit 0xffffffff, DPL 0",
            "  0x10  data, 32-bit stack, base 0x0, limit 0xffffffff, DPL 0",
            "  0x18  64-bit code, base 0x0, limit 0xffffffff, DPL 0"])

    def test_descriptor_helper_builds_the_trampoline_gdt(self):
        self.assertEqual(descriptor(0, 0xfffff, 0x9a, 0xc), self.TRAMPOLINE_GDT[8:16])
        self.assertEqual(descriptor(0, 0xfffff, 0x9a, 0xa), self.TRAMPOLINE_GDT[24:32])

    def describe(self, raw):
        return paging.describe_descriptor(int.from_bytes(raw[:4], "little"),
                                          int.from_bytes(raw[4:], "little"))

    def test_kinds(self):
        cases = [
            (bytes(8), "null"),
            (descriptor(0, 0xfffff, 0x9a, 0xc), "32-bit code, base 0x0, limit 0xffffffff, DPL 0"),
            (descriptor(0, 0xfffff, 0x9a, 0xa), "64-bit code, base 0x0, limit 0xffffffff, DPL 0"),
            (descriptor(0x8000, 0xffff, 0x9a, 0x0), "16-bit code, base 0x8000, limit 0xffff, DPL 0"),
            (descriptor(0, 0xfffff, 0x92, 0xc), "data, 32-bit stack, base 0x0, limit 0xffffffff, DPL 0"),
            (descriptor(0x12345678, 0xabcde, 0xf2, 0x0),
             "data, 16-bit stack, base 0x12345678, limit 0xabcde, DPL 3"),
            (descriptor(0x9000, 0x67, 0x89, 0x0),
             "system descriptor, type 9, base 0x9000, limit 0x67, DPL 0"),
        ]
        for raw, text in cases:
            with self.subTest(text=text):
                self.assertEqual(self.describe(raw), text)

    def test_not_present(self):
        self.assertEqual(self.describe(descriptor(0, 0xfffff, 0x1a, 0xc)),
                         "32-bit code, base 0x0, limit 0xffffffff, DPL 0, NOT PRESENT")
        self.assertEqual(self.describe(descriptor(0, 0xfffff, 0x12, 0xc)),
                         "data, 32-bit stack, base 0x0, limit 0xffffffff, DPL 0, NOT PRESENT")

    def test_a_partial_last_entry_is_not_decoded(self):
        self.assertEqual(len(paging.describe_gdt(self.TRAMPOLINE_GDT[:12])), 1)
        self.assertEqual(paging.describe_gdt(b""), [])


# The first labels of a build (smplab.layout's "labels").
LABELS = {"rm_entry": 0x0, "params": 0x10, "rm_start": 0x78, "pm_enter": 0xe5,
          "pm_entry": 0x100, "lm_enter": 0x127, "lm_entry": 0x150, "c_call": 0x17e,
          "no_cpu_data": 0x198, "lm_halt": 0x19b}


class LabelsTest(unittest.TestCase):
    def setUp(self):
        self.labels = dict(LABELS)

    def test_name_at(self):
        cases = [(0x8000, "rm_entry"), (0x8001, "rm_entry+1"), (0x8078, "rm_start"),
                 (0x80e5, "pm_enter"), (0x814d, "lm_enter+38"), (0x8150, "lm_entry"),
                 (0x81a0, "lm_halt+5"), (0x8000 + 4096 - 1, "lm_halt+3684")]
        for address, name in cases:
            with self.subTest(address=hex(address)):
                self.assertEqual(labels.name_at(self.labels, 0x8000, address), name)

    def test_name_at_outside_the_trampoline(self):
        for base, address in ((0x8000, 0x7fff), (0x8000, 0x8000 + 4096), (0x8000, 0x1032f0),
                              (None, 0x8000)):
            with self.subTest(base=base, address=hex(address)):
                self.assertIsNone(labels.name_at(self.labels, base, address))

    def test_name_at_another_vector(self):
        self.assertEqual(labels.name_at(self.labels, 0x20000, 0x20100), "pm_entry")
        self.assertIsNone(labels.name_at(self.labels, 0x20000, 0x8100))

    def test_next_switch(self):
        cases = [(0x8000, "pm_enter"), (0x807d, "pm_enter"), (0x80e4, "pm_enter"),
                 (0x80e5, "pm_entry"), (0x8100, "lm_enter"), (0x8142, "lm_entry"),
                 (0x814d, "lm_entry"), (0x8150, "c_call"), (0x817d, "c_call")]
        for address, name in cases:
            with self.subTest(address=hex(address)):
                self.assertEqual(labels.next_switch(self.labels, 0x8000, address), name)

    def test_no_next_switch(self):
        for base, address in ((0x8000, 0x817e), (0x8000, 0x8198), (0x8000, 0x7fff),
                              (0x8000, 0x1032f0), (None, 0x8000)):
            with self.subTest(base=base, address=hex(address)):
                self.assertIsNone(labels.next_switch(self.labels, base, address))

    def test_next_switch_skips_labels_the_build_lacks(self):
        del self.labels["pm_enter"]
        self.assertEqual(labels.next_switch(self.labels, 0x8000, 0x8000), "pm_entry")

    def test_mode_switches_in_order(self):
        self.assertEqual(labels.MODE_SWITCHES,
                         ["rm_entry", "pm_enter", "pm_entry", "lm_enter", "lm_entry", "c_call"])

    def test_the_build_exports_every_switch_in_order(self):
        built = labels.read_labels()
        offsets = [built[name] for name in labels.MODE_SWITCHES]
        self.assertEqual(offsets, sorted(offsets))
        self.assertEqual(built["rm_entry"], 0)

