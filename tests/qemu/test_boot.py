"""Boot tests: the real kernel reaches its prompt, and the launcher understands how QEMU ended.

LauncherTest does not need smplab's kernel: it assembles tiny 32-bit multiboot kernels with
NASM in a temp dir. Each prints a marker on COM1 (port 0x3f8) and then
  triple  loads an empty IDT and executes ud2 (#UD -> #GP -> #DF -> triple fault; no int3,
          which this machine's nested KVM cannot run),
  reboot  writes 0x52 to port 0xf4 (isa-debug-exit: the kernel's `reboot` contract),
  idle    halts forever.
"""
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from smplab import launch
from smplab.machine import Machine, MachineReset, MachineTimeout

TINY_KERNEL = """
bits 32
section .text
align 4
    dd 0x1BADB002, 0, -0x1BADB002      ; multiboot header: magic, flags, checksum
global _start
_start:
    mov esi, marker
.print:
    lodsb
    test al, al
    jz .printed
    mov dx, 0x3f8
    out dx, al
    jmp .print
.printed:
%ifidn MODE, triple
    lidt [empty_idt]
    ud2
%elifidn MODE, reboot
    mov dx, 0xf4
    mov al, 0x52
    out dx, al
%endif
.halt:
    hlt
    jmp .halt
empty_idt: dw 0
    dd 0
marker: db "tiny kernel: ", MARKER, 13, 10, 0
"""


def qemu_pids_using(path, settle=2.0):
    """PIDs of live processes whose command line mentions `path` (waits up to `settle`
    seconds for killed ones to die)."""
    deadline = time.monotonic() + settle
    while True:
        pids = _pids_using(path)
        if not pids or time.monotonic() > deadline:
            return pids
        time.sleep(0.05)


def _pids_using(path):
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read()
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if path.encode() in cmd and state != "Z":
            pids.append(int(pid))
    return pids


class LauncherTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("nasm", "ld"):
            if not shutil.which(tool):
                raise unittest.SkipTest("%s is not installed" % tool)
        cls.tmp = tempfile.mkdtemp(prefix="smplab-tiny-")
        src = os.path.join(cls.tmp, "tiny.asm")
        with open(src, "w") as f:
            f.write(TINY_KERNEL)
        cls.kernels = {}
        for mode in ("triple", "reboot", "idle"):
            obj, elf = (os.path.join(cls.tmp, mode + ext) for ext in (".o", ".elf"))
            subprocess.run(["nasm", "-f", "elf32", "-DMODE=" + mode, '-DMARKER="%s"' % mode,
                            src, "-o", obj], check=True)
            subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x100000", "-e", "_start",
                            obj, "-o", elf], check=True)
            cls.kernels[mode] = elf

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def machine(self, mode, **options):
        m = Machine(smp="2", kernel=self.kernels[mode], **options)
        self.addCleanup(lambda: self.assertEqual(qemu_pids_using(self.kernels[mode]), [],
                                                 "QEMU left behind"))
        self.addCleanup(m.close)
        return m

    def test_triple_fault_is_explained(self):
        m = self.machine("triple")
        m.wait_for("tiny kernel: triple", timeout=30)
        self.assertEqual(m.wait_exit(30), launch.TRIPLE_FAULT_STATUS)
        self.assertIn("smplab: " + launch.TRIPLE_FAULT_MSG, m.stderr)

    def test_pause_on_reset_keeps_the_registers(self):
        m = self.machine("triple", pause_on_reset=True)
        with self.assertRaises(MachineReset):
            m.wait_for("never printed", timeout=30)
        self.assertIn("tiny kernel: triple", m.transcript)
        # The CPU as the triple fault left it (the empty IDT loaded), not reset.
        self.assertRegex(m.hmp("info registers"), r"IDT= +0+ 00000000")
        self.assertIsNone(m.poll())
        deadline = time.monotonic() + 5
        while launch.PAUSED_ON_RESET_MSG not in m.stderr and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn("smplab: " + launch.PAUSED_ON_RESET_MSG, m.stderr)
        m.qmp("quit")
        self.assertEqual(m.wait_exit(30), 0)

    def test_reboot_request_restarts_qemu(self):
        m = self.machine("reboot")
        for _ in range(3):
            m.wait_for("tiny kernel: reboot", timeout=30)
        self.assertIn("smplab: " + launch.REBOOT_MSG, m.stderr)
        self.assertIsNone(m.poll())

    def test_quit_is_quiet_and_qmp_works(self):
        m = self.machine("idle")
        m.wait_for("tiny kernel: idle", timeout=30)
        self.assertIn("EIP=", m.hmp("info registers"))
        self.assertTrue(m.qmp("query-status")["running"])
        m.qmp("quit")
        self.assertEqual(m.wait_exit(30), 0)
        self.assertNotIn("smplab:", m.stderr)

    def test_timeout_reports_output_and_cleans_up(self):
        m = self.machine("idle")
        m.wait_for("tiny kernel: idle", timeout=30)
        t0 = time.monotonic()
        with self.assertRaises(MachineTimeout) as cm:
            m.wait_for("never printed", timeout=0.5)
        self.assertLess(time.monotonic() - t0, 5)
        self.assertIn("tiny kernel: idle", str(cm.exception))
        self.assertIn("launcher still running", str(cm.exception))
        m.close()
        self.assertEqual(qemu_pids_using(self.kernels["idle"]), [])


class BootTest(unittest.TestCase):
    accels = ("tcg", "kvm")

    def test_prompt_appears(self):
        with Machine(smp="4", accel=self.accel) as m:
            banner = m.wait_prompt(timeout=30)
            self.assertIn("smplab", banner)
