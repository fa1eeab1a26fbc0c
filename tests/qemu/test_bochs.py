"""The ISO in a second emulator: Bochs 2.7 with four CPUs boots GRUB's default entry
(multiboot 2) and `boot all` brings every AP to idle, each Hello once.

Bochs's BIOS, ACPI tables and local APIC model are its own, not QEMU's, so this checks
that nothing in the boot path leans on QEMU. Bochs draws its screen with the `term`
display library, which wants a terminal: it gets a pseudo-terminal that nobody reads, and
COM1 is a TCP socket on 127.0.0.1 that the test connects to. TCG-pass only (Bochs is an
emulator of its own).
"""
import os
import pty
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ISO = os.path.join(ROOT, "build", "smplab.iso")
BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGABIOS = "/usr/share/bochs/VGABIOS-lgpl-latest"
PROMPT = b"smplab> "
HELLO = re.compile(r"Hello World from CPU (\d+) \(APIC ID (\d+)\)")
BOCHSRC = """megs: 128
cpu: count=4, ips=50000000
romimage: file={bios}
vgaromimage: file={vgabios}
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
display_library: term
com1: enabled=1, mode=socket-server, dev=127.0.0.1:{port}
log: {log}
clock: sync=none
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BochsTest(unittest.TestCase):
    accels = ("tcg",)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smplab-bochs-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.port = free_port()
        rc = os.path.join(self.tmp, "bochsrc")
        with open(rc, "w") as f:
            f.write(BOCHSRC.format(bios=BIOS, vgabios=VGABIOS, iso=ISO, port=self.port,
                                   log=os.path.join(self.tmp, "bochs.log")))
        commands = os.path.join(self.tmp, "commands")
        with open(commands, "w") as f:
            f.write("c\n")                  # past the built-in debugger's first stop
        master, slave = pty.openpty()
        self.addCleanup(os.close, master)
        self.proc = subprocess.Popen(["bochs", "-q", "-f", rc, "-rc", commands],
                                     stdin=slave, stdout=slave, stderr=slave, cwd=self.tmp,
                                     env=dict(os.environ, TERM="xterm"),
                                     start_new_session=True)
        os.close(slave)
        self.addCleanup(self.stop)
        self.sock = self.connect()
        self.addCleanup(self.sock.close)
        self.text = b""

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def connect(self):
        deadline = time.monotonic() + 30
        while True:
            try:
                return socket.create_connection(("127.0.0.1", self.port), timeout=1)
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.fail("Bochs did not open its COM1 socket (exit status %s)"
                              % self.proc.poll())
                time.sleep(0.2)

    def read_until(self, done, timeout):
        """Read COM1 until done(text) or the timeout; returns the text as str."""
        deadline = time.monotonic() + timeout
        while not done(self.text):
            if time.monotonic() > deadline:
                self.fail("timed out; COM1 said:\n" + self.text.decode(errors="replace")[-2000:])
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            if not data:
                self.fail("Bochs closed COM1:\n" + self.text.decode(errors="replace")[-2000:])
            self.text += data
        return self.text.decode(errors="replace").replace("\r", "")

    def test_iso_boots_and_starts_every_ap(self):
        banner = self.read_until(lambda t: t.endswith(PROMPT), 120)
        self.assertNotIn("error:", banner.split("smplab - ")[0], "GRUB printed an error")
        self.assertRegex(banner, r"(?m)^Boot    multiboot 2 from GRUB ")
        self.assertRegex(banner, r"(?m)^CPUs    4 enabled in the ACPI MADT, APIC IDs 0 1 2 3;")
        start = len(self.text)
        self.sock.sendall(b"boot all\r")
        self.read_until(lambda t: re.search(rb"\nboot: .*\n", t[start:]) and t.endswith(PROMPT),
                        120)
        out = self.text[start:].decode(errors="replace").replace("\r", "")
        self.assertRegex(out, r"(?m)^boot: 3 of 3 APs idle, \d+ us in all$")
        self.assertEqual(sorted(HELLO.findall(out)), [("1", "1"), ("2", "2"), ("3", "3")])
