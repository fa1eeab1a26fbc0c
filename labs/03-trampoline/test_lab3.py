"""Lab 3 check: the README's sessions, and the installed trampoline read back by QEMU."""
import os
import re
import shutil
import tempfile
import time

from smplab import ROOT
from smplab import layout as build_layout
from smplab.testcase import ACCELS_IN_MAKE_TEST_TCG_ONLY, LabCheck

BINARY = os.path.join(ROOT, "build", "trampoline", "trampoline.bin")


def layout():
    """The parameter block's offsets (TP_*), as the build derived them from the struct."""
    return {name: value for name, value in build_layout.load().offsets.items()
            if name.startswith("TP_")}


def labels():
    return build_layout.load().labels


def printed(out):
    """The fields `tramp` printed, as numbers."""
    def hexof(pattern):
        m = re.search(pattern, out, re.M)
        if not m:
            raise AssertionError("no %r in:\n%s" % (pattern, out))
        return [int(g, 16) for g in m.groups()]
    p = {}
    p["magic"], = hexof(r"^\s+magic\s+0x([0-9a-f]+)")
    p["base"], = hexof(r"^\s+base\s+0x([0-9a-f]+)")
    p["cr3"], = hexof(r"^\s+cr3\s+0x([0-9a-f]+)")
    p["efer"], = hexof(r"^\s+efer\s+0x([0-9a-f]+)")
    p["cpu_table"], = hexof(r"^\s+cpu_table\s+0x([0-9a-f]+)")
    p["gdtr_base"], p["gdtr_limit"] = hexof(r"^\s+gdtr\s+base 0x([0-9a-f]+) limit 0x([0-9a-f]+)")
    p["pm_sel"], p["pm_far"] = hexof(r"^\s+pm_far\s+([0-9a-f]{4}):([0-9a-f]{8})")
    p["lm_sel"], p["lm_far"] = hexof(r"^\s+lm_far\s+([0-9a-f]{4}):([0-9a-f]{8})")
    p["cs"], = hexof(r"real mode starts at ([0-9a-f]{4}):0000")
    p["rm_seg"], p["rm_stubs"] = hexof(r"real-mode IVT -> stubs at ([0-9a-f]{4}):([0-9a-f]{4})")
    return p


class Lab3Check(LabCheck):
    README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
    accels = ACCELS_IN_MAKE_TEST_TCG_ONLY

    def test_readme_sessions(self):
        self.replay_readme()

    def phys(self, addr, size):
        """size bytes of guest physical memory, saved by QEMU itself."""
        tmp = tempfile.mkdtemp(prefix="smplab-lab3-")
        try:
            path = os.path.join(tmp, "mem.bin")
            self.machine.qmp("pmemsave", val=addr, size=size, filename=path)
            for _ in range(50):
                if os.path.exists(path) and os.path.getsize(path) == size:
                    break
                time.sleep(0.05)
            with open(path, "rb") as f:
                return f.read()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def install(self, vector):
        out = self.cmd("tramp install 0x%x" % vector)
        self.assertIn("installed:", out)
        return printed(out)

    def test_printed_fields_are_the_bytes_in_memory(self):
        tp = layout()
        for vector in (0x08, 0x20):
            p = self.install(vector)
            base = vector * 4096
            self.assertEqual(p["base"], base)
            raw = self.phys(base, tp["TP_END"])

            def field(offset, size):
                return int.from_bytes(raw[offset:offset + size], "little")
            checks = [("magic", tp["TP_MAGIC"], 4), ("base", tp["TP_BASE"], 4),
                      ("cr3", tp["TP_CR3"], 4), ("efer", tp["TP_EFER"], 8),
                      ("cpu_table", tp["TP_CPU_TABLE"], 8),
                      ("gdtr_limit", tp["TP_GDTR"], 2), ("gdtr_base", tp["TP_GDTR"] + 2, 4),
                      ("pm_far", tp["TP_PM_FAR"], 4), ("pm_sel", tp["TP_PM_FAR"] + 4, 2),
                      ("lm_far", tp["TP_LM_FAR"], 4), ("lm_sel", tp["TP_LM_FAR"] + 4, 2)]
            for name, offset, size in checks:
                self.assertEqual(field(offset, size), p[name],
                                 "vector 0x%x: %s printed 0x%x, memory at 0x%x holds 0x%x"
                                 % (vector, name, p[name], base + offset, field(offset, size)))
            # A second reader: QEMU's human monitor on the far pointer.
            words = self.machine.hmp("xp /2wx 0x%x" % (base + tp["TP_PM_FAR"]))
            self.assertRegex(words, r": 0x%08x 0x%08x" % (p["pm_far"], p["pm_sel"]))

    def test_far_targets_are_base_plus_label(self):
        lab = labels()
        seen = {}
        for vector in (0x08, 0x20):
            p = self.install(vector)
            self.assertEqual((p["pm_sel"], p["lm_sel"]), (0x08, 0x18))
            seen[vector] = (p["pm_far"] - p["base"], p["lm_far"] - p["base"],
                            p["gdtr_base"] - p["base"], p["cr3"], p["cpu_table"], p["efer"])
        self.assertEqual(seen[0x08], seen[0x20], "offsets or kernel values differ by vector")
        self.assertEqual(seen[0x08][:3], (lab["pm_entry"], lab["lm_entry"], lab["gdt"]))

    def test_copy_equals_binary(self):
        tp, lab = layout(), labels()
        with open(BINARY, "rb") as f:
            binary = f.read()
        copies = {}
        for vector in (0x08, 0x20):
            self.install(vector)
            raw = self.phys(vector * 4096, lab["trampoline_end"])
            copies[vector] = raw
            # Before the parameter block, the assembler's half of it, and all code, stubs
            # and the GDT up to the exception tables (which the BSP patches).
            for start, end in ((0, tp["TP_BASE"]), (tp["TP_END"], lab["rm_ivt"])):
                self.assertEqual(raw[start:end], binary[start:end],
                                 "vector 0x%x: bytes 0x%x-0x%x differ from trampoline.bin"
                                 % (vector, start, end))
            ivt0 = int.from_bytes(raw[lab["rm_ivt"]:lab["rm_ivt"] + 4], "little")
            self.assertEqual(ivt0, (vector * 4096 >> 4) << 16 | lab["rm_stubs"],
                             "IVT entry 0 should be base>>4 : rm_stubs")
        self.assertEqual(copies[0x08][:tp["TP_BASE"]], copies[0x20][:tp["TP_BASE"]])

    def test_real_mode_cs(self):
        for vector in (0x08, 0x20, 0x9c):
            p = self.install(vector)
            self.assertEqual(p["cs"], vector << 8)
            self.assertEqual(p["cs"] * 16 + 0, p["base"])
            self.assertEqual(p["rm_seg"], p["cs"])

    def test_refusals_change_nothing(self):
        tp = layout()
        self.install(0x20)
        before = self.phys(0x20000, tp["TP_END"])
        page = self.phys(0x9e000, 4096)
        for vec in ("0", "0xa0", "0x9f", "0x9e", "0x100"):
            out = self.cmd("tramp install " + vec)
            self.assertTrue(out.startswith("error:"), "%s: %s" % (vec, out))
        self.assertEqual(self.phys(0x20000, tp["TP_END"]), before)
        self.assertEqual(self.phys(0x9e000, 4096), page, "a refused vector's page was written")
        self.assertIn("trampoline at vector 0x20", self.cmd("tramp"))
