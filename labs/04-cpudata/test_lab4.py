"""Lab 4 check: the README's sessions, and each cpu_data read back through QEMU."""
import os
import re
import subprocess

from smplab import ROOT, layout
from smplab.testcase import ACCELS_IN_MAKE_TEST_TCG_ONLY, LabCheck

ELF = os.path.join(ROOT, "build", "smplab.elf")
ROW = re.compile(r"^\s+(\d+)\s+(\d+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)(?: \(ap_entry\))?\s+"
                 r"0x([0-9a-f]+)-0x([0-9a-f]+)\s+(\d+) KiB\s+(\w+)", re.M)
FREE = re.compile(r"(\d+) free 4 KiB frames")
CANARY = 0x5354434B43414E59
TP_RECORDS, RECORD_SIZE = layout.load()["TP_RECORDS"], layout.load()["AR_SIZE"]


def symbol(name):
    out = subprocess.run(["nm", ELF], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^([0-9a-f]+) \w %s$" % re.escape(name), out, re.M)
    if not m:
        raise AssertionError("no symbol %s in %s" % (name, ELF))
    return int(m.group(1), 16)


class Lab4Check(LabCheck):
    README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
    accels = ACCELS_IN_MAKE_TEST_TCG_ONLY

    def test_readme_sessions(self):
        self.replay_readme()

    def qword(self, paddr):
        out = self.machine.hmp("xp /1gx 0x%x" % paddr)
        m = re.search(r"^[0-9a-f]+: (0x[0-9a-f]+)", out, re.M)
        self.assertTrue(m, "QEMU's xp gave %r" % out)
        return int(m.group(1), 16)

    def build(self, line):
        """Run a cpudata command; return its row as a dict."""
        out = self.cmd(line)
        m = ROW.search(out)
        self.assertTrue(m, "`%s` printed no row:\n%s" % (line, out))
        apic, cpu, cd, entry, lo, hi, kib, canary = m.groups()
        return {"apic": int(apic), "cpu": int(cpu), "cd": int(cd, 16), "entry": int(entry, 16),
                "base": int(lo, 16), "top": int(hi, 16) + 1, "kib": int(kib), "canary": canary}

    def free_frames(self):
        return int(FREE.search(self.cmd("mem")).group(1))

    def test_struct_in_memory(self):
        self.fresh_machine()        # no AP running on a cpu_data yet
        ap_entry = symbol("ap_entry")
        cpu_table = self.qword(symbol("cpu_table"))     # the table, by CPU number (slot)
        rows = [self.build("cpudata %d" % apic) for apic in (1, 2, 3)]
        for r in rows:
            where = "APIC %d, cpu_data 0x%x" % (r["apic"], r["cd"])
            self.assertEqual(self.qword(r["cd"] + 0), r["top"], where + ": +0 is not stack_top")
            self.assertEqual(self.qword(r["cd"] + 8), r["entry"], where + ": +8 is not entry")
            self.assertEqual(r["entry"], ap_entry, where + ": entry is not ap_entry")
            self.assertEqual(self.qword(cpu_table + 8 * r["cpu"]), r["cd"],
                             where + ": cpu_table[%d] does not point at it" % r["cpu"])
            self.assertEqual(self.qword(r["base"]), CANARY, where + ": no canary")
            self.assertEqual((r["kib"], r["top"] - r["base"]), (16, 16 * 1024))
            self.assertEqual(r["canary"], "intact")
        # The monitor's own x agrees with QEMU, in little-endian bytes.
        dump = self.cmd("x 0x%x 16" % rows[0]["cd"])
        want = " ".join("%02x" % b for b in rows[0]["top"].to_bytes(8, "little"))
        self.assertIn(want, dump)

    def test_no_two_aps_share_memory(self):
        self.fresh_machine()        # no AP running on a cpu_data yet
        rows = [self.build("cpudata %d" % apic) for apic in (1, 2, 3)]
        ranges = [(r["base"], r["top"]) for r in rows] + [(r["cd"], r["cd"] + 4096) for r in rows]
        ranges.sort()
        for (a0, a1), (b0, b1) in zip(ranges, ranges[1:]):
            self.assertLessEqual(a1, b0, "0x%x-0x%x overlaps 0x%x-0x%x" % (a0, a1, b0, b1))
        listed = [int(m.group(1)) for m in ROW.finditer(self.cmd("cpudata"))]
        self.assertEqual(listed, [1, 2, 3])

    def test_rebuild_keeps_stack_and_frames(self):
        self.fresh_machine()        # no AP running on a cpu_data yet
        first = self.build("cpudata 1")
        free = self.free_frames()
        for _ in range(5):
            again = self.build("cpudata 1")
            self.assertEqual((again["cd"], again["base"], again["top"]),
                             (first["cd"], first["base"], first["top"]))
        self.assertEqual(self.free_frames(), free, "rebuilding leaked frames")
        big = self.build("cpudata 1 stack=32768")
        self.assertEqual((big["kib"], big["cd"]), (32, first["cd"]))
        self.assertEqual(self.free_frames(), free - 4, "32 KiB should cost 4 more frames")
        self.assertEqual(self.qword(first["cd"]), big["top"])
        back = self.build("cpudata 1 stack=16384")
        self.assertEqual(self.free_frames(), free, "the 32 KiB stack was not given back")
        self.assertEqual(back["kib"], 16)

    def test_entry_is_stored(self):
        self.fresh_machine()        # no AP running on a cpu_data yet
        odd = self.build("cpudata 3 entry=0x7f0000000000")
        self.assertEqual(self.qword(odd["cd"] + 8), 0x7f0000000000)
        normal = self.build("cpudata 3")
        self.assertEqual(self.qword(normal["cd"] + 8), symbol("ap_entry"))
        for bad in ("cpudata 0", "cpudata 9", "cpudata 1 stack=100"):
            self.assertTrue(self.cmd(bad).startswith("error:"), bad)

    def test_trampoline_fills_record(self):
        self.fresh_machine()        # no AP running on a cpu_data yet
        row = self.build("cpudata 1")
        self.assertEqual(self.qword(row["cd"] + 16), 0, "record should be 0 before a start")
        out = self.cmd("boot 1 fast", timeout=60)
        self.assertIn("boot: 1 of 1 AP idle", out)
        base = int(re.search(r"^\s+base\s+0x([0-9a-f]+)", self.cmd("tramp"), re.M).group(1), 16)
        records = self.qword(base + TP_RECORDS) & 0xFFFF     # the parameter block says where
        self.assertEqual(self.qword(row["cd"] + 16), base + records + RECORD_SIZE * 1)
