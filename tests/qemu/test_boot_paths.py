"""Boot paths (issue 11): GRUB from build/smplab.iso under SeaBIOS and OVMF, pc and q35,
multiboot 2 and multiboot 1, 8 GiB; no blind broadcast; the trampoline's vector chosen from
the memory map.

Each matrix class boots one machine and checks what a user meets first: the banner (which
loader, where ACPI came from), `cpus`, `mem` (that firmware's map), a manual INIT-SIPI at
vector 0x20, then `boot all` with each Hello once. Oracles besides the kernel's words:
QEMU's `xp` (the trampoline's bytes where it was installed, build/trampoline/trampoline.bin)
and `info lapic` (the BSP's ICR: unchanged means no IPI was sent). OVMF does not run under
this machine's nested KVM (QEMU stops with "KVM internal error" in OVMF's first
instructions), and GRUB under SeaBIOS takes about 50 s there (its real-mode disk reads
exit to QEMU one by one), so those classes run under TCG only; the KVM pass keeps
covering the -kernel boot (tests/qemu/test_smp.py and the rest), and FirmwareX2apicTest
(firmware that hands over in x2APIC mode) needs KVM.
"""
import re
import time

from smplab.status import compact_rows, status_rows
from test_smp import TP_OFFSET, SmpBase, trampoline_bin

APS = [1, 2, 3]
INDEX = {1: 1, 2: 2, 3: 3}
MEM_ROW = re.compile(r"^0x([0-9a-f]{16}) 0x([0-9a-f]{16}) (.+)$")


def mem_rows(out):
    """`mem` -> [(start, end, type)]."""
    return [(int(m.group(1), 16), int(m.group(2), 16), m.group(3))
            for m in (MEM_ROW.match(line) for line in out.splitlines()) if m]


def bsp_icr(machine):
    """The BSP's ICR as QEMU's local APIC model holds it (the last IPI it sent)."""
    text = machine.hmp("info lapic 0")
    return re.search(r"(?m)^ICR\s+(0x[0-9a-f]+)", text).group(1)


class BootPathChecks:
    """What every boot path must give, mixed into a SmpBase class that sets boot_path, mem,
    BANNER (regexes the banner must match) and check_map(rows of `mem`)."""
    accels = ("tcg",)
    BANNER = ()

    def test_1_banner(self):
        for pattern in self.BANNER:
            self.assertRegex(self.banner, pattern)

    def test_2_cpus(self):
        out = self.cmd("cpus")
        ids = [int(m.group(1)) for m in re.finditer(r"(?m)^\s+(\d+)\s+\d+\s+LAPIC\s+enabled",
                                                     out)]
        self.assertEqual(ids, [0] + APS, out)
        self.assertRegex(out, r"(?m)^\s+0 .*BSP \(runs this monitor\)$")

    def test_3_mem(self):
        rows = mem_rows(self.cmd("mem"))
        self.assertTrue(rows)
        for (start, end, _), (nstart, _, _) in zip(rows, rows[1:]):
            self.assertLess(start, end)
            self.assertLessEqual(end, nstart, "regions overlap or are out of order")
        usable = [(s, e) for s, e, t in rows if t == "usable"]
        self.assertTrue(any(s <= 0x100000 and e >= 0x200000 for s, e in usable),
                        "no usable RAM from 1 MiB (the kernel is there): %s" % rows)
        self.check_map(rows)

    def test_4_manual_sequence_at_vector_0x20(self):
        out = self.cmd("tramp install 0x20")
        m = re.search(r"trampoline at vector 0x20: 0x20000-0x([0-9a-f]+) \((\d+) pages\)", out)
        self.assertIsNotNone(m, out)
        self.assertEqual(int(m.group(1), 16) + 1, 0x20000 + int(m.group(2)) * 4096)
        blob = trampoline_bin()
        self.assertEqual(self.m.phys_bytes(0x20000, TP_OFFSET), blob[:TP_OFFSET])
        self.assertRegex(self.cmd("cpudata 1"), r"(?m)^cpu_table\[1\] = 0x[0-9a-f]+; ")
        before = len(self.hellos())
        self.assertIn("INIT: the AP resets", self.cmd("init 1"))
        out = self.cmd_expect_hello("sipi 1 0x20", 1, 1)
        self.assertIn("SIPI vector 0x20: the AP starts in real mode at 2000:0000 = 0x20000", out)
        time.sleep(0.2)
        self.assertEqual(self.hellos()[before:], [("1", "1")], "one Hello per start")
        self.assert_idle_row(status_rows(self.cmd("status")), 1, sipis=1)

    def test_5_boot_all(self):
        before = len(self.hellos())
        out = self.cmd("boot all", timeout=60)
        self.assertIn("  trampoline already at vector 0x20", out)
        self.assert_boot_output(out, APS, INDEX)
        time.sleep(0.2)
        self.assertEqual(sorted(self.hellos()[before:]), [(str(a), str(a)) for a in APS])
        rows = status_rows(self.cmd("status"))
        for apic in APS:
            self.assert_idle_row(rows, apic)


def seabios_low_map(test, rows):
    """SeaBIOS's e820: RAM from 0 to the EBDA at 0x9fc00, then reserved."""
    test.assertEqual(rows[0], (0, 0x9fc00, "usable"))
    test.assertEqual(rows[1], (0x9fc00, 0xa0000, "reserved"))


class IsoPcBiosTest(BootPathChecks, SmpBase):
    """GRUB (BIOS) on the i440FX pc, multiboot 2: the default entry of the ISO."""
    boot_path = {"boot": "iso", "machine": "pc", "firmware": "bios"}
    BANNER = (r"(?m)^Boot    multiboot 2 from GRUB [^,]*, multiboot memory map$",
              # SeaBIOS makes an ACPI 1.0 RSDP; GRUB passes its copy in the old tag.
              r"(?m)^ACPI    RSDP from the loader's ACPI 1.0 \(old RSDP\) tag, MADT at 0x",
              r"(?m)^LAPIC   xAPIC, BSP APIC ID 0$")

    def check_map(self, rows):
        seabios_low_map(self, rows)
        self.assertIn((0x100000, 0x7fe0000, "usable"), rows)


class IsoPcBiosMultiboot1Test(IsoPcBiosTest):
    """The ISO's multiboot 1 entry under SeaBIOS: the RSDP is found by searching."""
    boot_path = dict(IsoPcBiosTest.boot_path, grub_entry="multiboot")
    BANNER = (r"(?m)^Boot    multiboot 1 from GRUB [^,]*, multiboot memory map$",
              r"(?m)^ACPI    RSDP at 0xf[0-9a-f]{4} \(EBDA and BIOS area search\), MADT at")


class IsoQ35Bios8GTest(BootPathChecks, SmpBase):
    """GRUB (BIOS) on q35 with 8 GiB: RAM above 4 GiB, which the kernel does not map."""
    mem = "8G"
    boot_path = {"boot": "iso", "machine": "q35", "firmware": "bios"}
    BANNER = (r"(?m)^Boot    multiboot 2 from GRUB [^,]*, multiboot memory map$",
              r"(?m)^ACPI    RSDP from the loader's ACPI 1.0 \(old RSDP\) tag, MADT at 0x")

    def check_map(self, rows):
        seabios_low_map(self, rows)
        # q35 puts 2 GiB below 4 GiB and the other 6 GiB from 4 GiB up.
        self.assertIn((0x100000000, 0x280000000, "usable"), rows)
        self.assertTrue(any(e == 0x80000000 or e == 0x7ffdf000 for s, e, t in rows
                            if t == "usable" and s == 0x100000), rows)


class IsoQ35UefiTest(BootPathChecks, SmpBase):
    """GRUB (UEFI) on OVMF, q35, multiboot 2: ACPI only through GRUB's new RSDP tag."""
    boot_path = {"boot": "iso", "machine": "q35", "firmware": "uefi"}
    BANNER = (r"(?m)^Boot    multiboot 2 from GRUB [^,]* on UEFI firmware, multiboot memory "
              r"map$",
              r"(?m)^ACPI    RSDP from the loader's ACPI 2.0\+ \(new RSDP\) tag, MADT at 0x")

    def check_map(self, rows):
        # OVMF keeps ACPI NVS and runtime regions of its own inside the low 128 MiB.
        self.assertTrue(any(t == "ACPI NVS" and e <= 0x8000000 for s, e, t in rows), rows)
        self.assertEqual(rows[0][:1], (0,))


class UefiMultiboot1Test(SmpBase):
    """Under OVMF the multiboot 1 entry has no RSDP: every broadcast is refused and no IPI
    leaves the BSP."""
    accels = ("tcg",)
    boot_path = {"boot": "iso", "machine": "q35", "firmware": "uefi", "grub_entry": "multiboot"}

    def test_no_madt_no_ipi(self):
        self.assertRegex(self.banner, r"(?m)^ACPI    no RSDP: multiboot 1 cannot pass one "
                                      r"\(boot by multiboot 2\), and the EBDA and BIOS area")
        self.assertIn("error: no MADT: no RSDP found", self.cmd("cpus"))
        icr = bsp_icr(self.m)
        for line in ("boot all", "boot all fast", "init all", "sipi all 8", "sipi all 8 force"):
            out = self.cmd(line)
            self.assertIn("refused: no MADT (no RSDP found), so nothing tells which processors "
                          "a broadcast would wake", out, line)
            self.assertNotIn("ICR", out)
        self.assertIn("error: no MADT (no RSDP found), so smplab knows no processor to start",
                      self.cmd("boot 1"))
        self.assertIn("no APs known: no MADT", self.cmd("status"))
        self.assertIn("no start-up steps yet", self.cmd("trace"))
        self.assertEqual(bsp_icr(self.m), icr, "an IPI was sent")


class ReservedDefaultVectorTest(SmpBase):
    """reserve=0x8000+0x3000 makes the preferred vector 0x08 unusable (as firmware that keeps
    low memory would): `boot` says so and takes the next usable one, 0x0b."""
    accels = ("tcg",)
    smp = "2"
    extra = "-append 'reserve=0x8000+0x3000'"
    boot_path = {"boot": "kernel"}

    def test_next_usable_vector_chosen(self):
        self.assertIn("Option  reserve=0x8000+0x3000: marked reserved in the memory map",
                      self.banner)
        rows = mem_rows(self.cmd("mem"))
        self.assertIn((0x8000, 0xb000, "reserved"), rows)
        self.assertIn("error: vector 0x08 (0x8000-0x9fff): those pages are not usable RAM",
                      self.cmd("tramp install 8"))
        self.assertIn("no trampoline installed; 'tramp install 0x0b'", self.cmd("tramp"))
        out = self.cmd_expect_hello("boot 1", 1, 1)
        self.assertIn("  vector 0x08: those pages are not usable RAM in the memory map", out)
        self.assertIn("using 0x0b, the first vector from there", out)
        self.assertIn("  tramp install 0x0b: ", out)
        self.assertRegex(out, r"(?m)^boot: 1 of 1 AP idle")
        blob = trampoline_bin()
        self.assertEqual(self.m.phys_bytes(0xb000, TP_OFFSET), blob[:TP_OFFSET])
        self.assertNotEqual(self.m.phys_bytes(0x8000, TP_OFFSET), blob[:TP_OFFSET])


class UnlistedProcessorTest(SmpBase):
    """A CPU plugged in after boot is in the MADT as disabled; a broadcast wakes it anyway,
    and `boot all` and `status` report that it answered."""
    accels = ("tcg",)
    smp = "2,maxcpus=4"
    boot_path = {"boot": "kernel"}

    def test_unlisted_answer_reported(self):
        cpus = self.m.qmp("query-hotpluggable-cpus")
        free = [c for c in cpus if "qom-path" not in c]
        plug = min(free, key=lambda c: c["props"]["core-id"])      # APIC ID 2
        self.m.qmp("device_add", driver=plug["type"], id="hot", **plug["props"])
        self.assertRegex(self.cmd("cpus"), r"(?m)^\s+2\s+2\s+LAPIC\s+disabled$")
        out = self.cmd("boot all fast", timeout=30)
        self.assertRegex(out, r"(?m)^  APIC 1: idle, \d+ us after the first SIPI$")
        self.assertIn("  APIC 2: answered the broadcast, but the MADT does not list it as an "
                      "enabled CPU; its record says no-cpudata", out)
        self.assertRegex(out, r"(?m)^boot: 1 of 1 AP idle, and 1 processor the MADT does not "
                              r"list answered, \d+ us in all$")
        self.assertIn("APIC 2: answered the broadcast", self.cmd("status"))
        # Started one at a time, the plugged CPU hears nothing and is not reported.
        out = self.cmd("boot 1 fast")
        self.assertNotIn("APIC 2", out)


class ApicId64Test(SmpBase):
    """Two sockets of 33 cores: QEMU numbers the second socket's cores from APIC ID 64, so
    this 34-CPU machine has an AP with APIC ID 64. Slots follow the MADT, not the APIC ID:
    `boot all` starts all 33 APs with one broadcast, and APIC 64 answers like the others."""
    accels = ("tcg",)
    smp = "34,sockets=2,cores=33,maxcpus=66"
    boot_path = {"boot": "kernel"}

    def test_apic_64_starts(self):
        self.assertRegex(self.cmd("cpus"), r"(?m)^\s+64\s+33\s+LAPIC\s+enabled$")
        out = self.cmd("boot all fast", timeout=60)
        self.assertIn("  SIPI -> all but self", out)
        self.assertRegex(out, r"(?m)^boot: 33 of 33 APs idle, \d+ us in all$")
        self.assertEqual(self.m.transcript.count("Hello World from CPU 33 (APIC ID 64)"), 1)
        self.assertIn("66 slots", self.cmd("tramp"))
        rows = compact_rows(self.cmd("status"))     # 33 APs: the compact form
        self.assertEqual(sorted(rows), list(range(1, 33)) + [64])
        self.assertEqual(rows[64][0], "idle")
        self.assertEqual(status_rows(self.cmd("status 64"))[64][0], "idle")
        out = self.cmd("on 64 hello")
        self.assertIn("Hello World from CPU 33 (APIC ID 64)", out)
        out = self.cmd("boot 64", timeout=30)
        self.assertIn("INIT assert -> APIC 64", out)
        self.assertRegex(out, r"(?m)^boot: 1 of 1 AP idle, \d+ us in all$")
        # The manual sequence, typed.
        self.assertIn("INIT: the AP resets", self.cmd("init 64"))
        self.assertEqual(status_rows(self.cmd("status 64"))[64][:2], ("init", 0))
        self.cmd_expect_hello("sipi 64 8", 64, 33)
        self.assertEqual(status_rows(self.cmd("status 64"))[64][:2], ("idle", 1))

    def test_one_by_one(self):
        """`boot all one-by-one`: no broadcast, each AP's own INIT and SIPI, in MADT order."""
        for bad in ("boot 1 one-by-one", "boot all fast fast", "boot all one-by-one one-by-one",
                    "boot all slow"):
            self.assertTrue(self.cmd(bad).startswith(("error:", "usage:")), bad)
        out = self.cmd("boot all fast one-by-one", timeout=60)
        self.assertNotIn("all but self", out)
        inits = [int(a) for a in re.findall(r"INIT assert -> APIC (\d+)", out)]
        self.assertEqual(inits, list(range(1, 33)) + [64])
        self.assertRegex(out, r"(?m)^boot: 33 of 33 APs idle, \d+ us in all$")

class FirmwareX2apicTest(SmpBase):
    """With more than 255 CPUs SeaBIOS hands over in x2APIC mode (IA32_APIC_BASE bits 10 and
    11 set), as UEFI firmware on large machines does: the kernel keeps it and says so. The
    MADT lists 288 CPUs, x2APIC IDs up to 287, and each has a slot: an AP above 255 starts
    like any other. KVM only: x2APIC IDs above 255 need the split irqchip and an IOMMU with
    interrupt remapping, which TCG refuses. (`boot all` brings up all 287 APs too, but 288
    vCPUs on this project's 2 host cores take tens of seconds under nested KVM: make bench
    and the issue notes carry that figure, not make test.)"""
    accels = ("kvm",)
    smp = "288"
    mem = "512M"
    extra = "-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on,eim=on"
    boot_path = {"boot": "kernel"}

    def test_x2apic_kept_and_an_ap_above_255_starts(self):
        self.assertRegex(self.banner, r"(?m)^LAPIC   x2APIC \(the firmware had enabled it; "
                                      r"kept\), BSP APIC ID 0$")
        self.assertRegex(self.banner, r"(?m)^CPUs    288 enabled in the ACPI MADT, APIC IDs 0 1 "
                                      r"2 .* \.\.\. \(the highest 287\); 1 I/O APIC$")
        self.assertNotIn("warning", self.banner)
        self.assertRegex(self.cmd("lapic"), r"(?m)^mode     x2APIC ")
        self.assertIn("288 slots", self.cmd("tramp install 8"))
        out = self.cmd_expect_hello("boot 287 fast", 287, 287)
        self.assertIn("ICR 0x0000011f0000c500 sent", out)   # x2APIC: ID in bits 63:32
        self.assertRegex(out, r"(?m)^boot: 1 of 1 AP idle")
        out = self.cmd_expect_hello("boot 1 fast", 1, 1)
        self.assertRegex(out, r"(?m)^boot: 1 of 1 AP idle")
        self.assertIn("Hello World from CPU 287 (APIC ID 287)", self.cmd("on 287 hello"))
        self.assertEqual(status_rows(self.cmd("status 287"))[287][:2], ("idle", 1))