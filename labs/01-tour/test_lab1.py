"""Lab 1 check: the sessions in README.md, and QEMU's second opinion."""
import os
import re

from smplab.testcase import LabCheck


class Lab1Check(LabCheck):
    README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")

    def test_readme_sessions(self):
        self.replay_readme()

    def test_qemu_agrees(self):
        machine = self.fresh_machine()
        cpus = re.findall(r"^\s+\d+\s+\d+\s+LAPIC\s+enabled", self.cmd("cpus"), re.M)
        self.assertEqual(len(cpus), len(re.findall(r"CPU #\d+", machine.hmp("info cpus"))))
        cr3 = int(re.search(r"CR3\s+0x([0-9a-f]+)", self.cmd("regs")).group(1), 16)
        qemu_cr3 = int(re.search(r"CR3=([0-9a-f]+)", machine.hmp("info registers")).group(1), 16)
        self.assertEqual(cr3, qemu_cr3)
        x2apic = machine.qmp("qom-get", path="/machine/unattached/device[0]", property="x2apic")
        mode = re.search(r"^mode\s+(\S+)", self.cmd("lapic"), re.M).group(1)
        self.assertEqual(mode, "x2APIC" if x2apic else "xAPIC")
