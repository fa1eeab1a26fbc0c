"""Lab 2 check: the README's sessions, and every page walk against QEMU's own view."""
import os
import re

from smplab.testcase import ACCELS_IN_MAKE_TEST_TCG_ONLY, LabCheck

ADDR_MASK = 0x000FFFFFFFFFF000
PCD_PWT = 0x18
PS = 0x80
# Level name as `pt` prints it -> which bits of the address index it.
SHIFT = {"PML4E": 39, "PDPTE": 30, "PDE": 21, "PTE": 12}
ENTRY = re.compile(r"^\s+(PML4E|PDPTE|PDE|PTE)\s*\[\s*(\d+)\] at (0x[0-9a-f]+) = (0x[0-9a-f]+)",
                   re.M)


def qemu_qword(machine, paddr):
    out = machine.hmp("xp /1gx 0x%x" % paddr)
    m = re.search(r"^[0-9a-f]+: (0x[0-9a-f]+)", out, re.M)
    if not m:
        raise AssertionError("QEMU's xp gave %r" % out)
    return int(m.group(1), 16)


class Lab2Check(LabCheck):
    accels = ACCELS_IN_MAKE_TEST_TCG_ONLY      # paging is the same under either accelerator
    README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")

    def test_readme_sessions(self):
        self.replay_readme()

    def cr3(self):
        return int(re.search(r"^CR3 (0x[0-9a-f]+)", self.cmd("cr3"), re.M).group(1), 16)

    def walk(self, addr):
        """pt ADDR checked level by level; returns (entries, physical or None)."""
        out = self.cmd("pt 0x%x" % addr)
        entries = [(level, int(i), int(at, 16), int(val, 16))
                   for level, i, at, val in ENTRY.findall(out)]
        self.assertTrue(entries, "pt 0x%x printed no entries:\n%s" % (addr, out))
        table = self.cr3() & ADDR_MASK
        for level, index, at, value in entries:
            where = "pt 0x%x, %s[%d]" % (addr, level, index)
            self.assertEqual(index, (addr >> SHIFT[level]) & 0x1FF, where + ": wrong index")
            self.assertEqual(at, table + 8 * index, where + ": not at table + 8 * index")
            self.assertEqual(value, qemu_qword(self.machine, at),
                             where + ": differs from QEMU's xp /1gx 0x%x" % at)
            table = value & ADDR_MASK
        m = re.search(r"-> physical (0x[0-9a-f]+)", out)
        return entries, (int(m.group(1), 16) if m else None), out

    def test_walks_agree_with_qemu(self):
        for addr in (0x100000, 0x8000, 0xfee00000, 0xfee00300):
            entries, phys, out = self.walk(addr)
            gpa = self.machine.hmp("gva2gpa 0x%x" % addr)
            self.assertIn("gpa: 0x%x" % addr, gpa, "QEMU: %r" % gpa)
            self.assertEqual(phys, addr, "pt 0x%x:\n%s" % (addr, out))
            self.assertIn("identity-mapped", out)
            level, _, _, value = entries[-1]
            self.assertEqual((level, bool(value & PS)), ("PDE", True),
                             "the low 4 GiB should be mapped with 2 MiB pages:\n" + out)
        entries, phys, out = self.walk(0x7f0000000000)
        self.assertIsNone(phys)
        self.assertEqual([(e[0], e[1]) for e in entries], [("PML4E", 254)])
        self.assertEqual(entries[0][3] & 1, 0, "PML4E[254] should be not present")
        self.assertIn("not mapped", out)
        self.assertIn("Unmapped", self.machine.hmp("gva2gpa 0x7f0000000000"))

    def test_non_canonical(self):
        addr = 0xdead00000000
        out = self.cmd("pt 0x%x" % addr)
        self.assertNotRegex(out, ENTRY, "a non-canonical walk must read no table")
        self.assertIn("not canonical", out)
        top = addr >> 47
        self.assertTrue(top not in (0, (1 << 17) - 1), "the example address must be non-canonical")

    def test_cr3_below_4gib_and_equal_to_qemu(self):
        cr3 = self.cr3()
        machine = self.machine
        qemu = int(re.search(r"CR3=([0-9a-f]+)", machine.hmp("info registers")).group(1), 16)
        self.assertEqual(cr3, qemu)
        self.assertLess(cr3, 1 << 32)
        self.assertIn("below 4 GiB: yes", self.cmd("cr3"))

    def test_lapic_page_uncached_ram_cached(self):
        lapic = self.walk(0xfee00000)[0][-1][3]
        ram = self.walk(0x100000)[0][-1][3]
        self.assertEqual(lapic & PCD_PWT, PCD_PWT, "LAPIC PDE 0x%x lacks PCD|PWT" % lapic)
        self.assertEqual(ram & PCD_PWT, 0, "RAM PDE 0x%x should be write-back" % ram)

    def test_faults_come_back_and_cr2(self):
        out = self.cmd("x 0x7f0000000000")
        machine = self.machine
        self.assertIn("#PF page fault, error code 0x0", out)
        self.assertIn("CR2 00007f0000000000", out)
        out = self.cmd("x 0xdead00000000")
        self.assertIn("#GP general protection", out)
        self.assertIn("the command was stopped", out)
        regs = machine.hmp("info registers")
        self.assertIn("CR2=00007f0000000000", regs, "a #GP must leave CR2 as the #PF set it")
        # The monitor still works after both faults.
        self.assertIn("PML4 table at physical", self.cmd("cr3"))
