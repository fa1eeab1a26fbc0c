"""Drive smplab over its serial console: the library behind the QEMU tests and the lab checks.

    from smplab.machine import Machine
    with Machine(smp="4") as m:          # tools/launch.py on a pty of its own (pexpect)
        m.wait_prompt(timeout=30)        # the banner up to the first "smplab> "
        out = m.cmd("help")              # text between the echoed line and the next prompt
        regs = m.hmp("info registers")   # QEMU's human monitor, via the launcher's --qmp

Machine(smp, accel, mem, extra, kernel) runs `tools/launch.py --serial-only ... --qmp SOCKET`
the way a terminal runs it: pexpect gives it a pseudo-terminal, QEMU puts that in raw mode,
and every byte sent reaches the guest's UART (Ctrl-C included). The launcher's own messages
(stderr) go to a file, read back by .stderr. accel is "tcg" or "kvm".
close() (also on `with` exit and at interpreter exit) ends the launcher and QEMU with it.

Reading never blocks forever: wait_for() raises MachineTimeout (an AssertionError, so the test
reports a failure) whose message has the last ~2000 characters received, whether the launcher
exited, and its stderr. With pause_on_reset=True a guest reset (a triple fault) pauses QEMU
with the CPUs as they were (launch.py --pause-on-reset): wait_for() sees it through QMP and
raises MachineReset, a MachineTimeout, at once; .hmp("info registers -a") then shows them.
The kernel ends lines with \\r\\n and echoes what is typed; cmd() sends the line with "\\r"
(the Enter key of a terminal) and returns its output with \\r removed.
"""
import atexit
import os
import re
import shutil
import sys
import tempfile
import time
import termios
import weakref

import pexpect

from smplab import ROOT
from smplab.qmp import Qmp

LAUNCH = os.path.join(ROOT, "tools", "launch.py")
PROMPT = "smplab> "
# What the monitor writes before lines an AP printed while the prompt waited: it erases
# the prompt line (ECMA-48 EL) and returns to its start; after the lines, it draws the
# prompt and what was typed so far again.
ERASE_PROMPT = "\x1b[2K\r"
SEND_CHUNK = 256            # bytes typed between two reads of the output (see send_raw)
RESET_POLL = 0.1            # seconds between two QMP looks for a reset (pause_on_reset)
_live = weakref.WeakSet()


class MachineTimeout(AssertionError):
    pass


class MachineReset(MachineTimeout):
    """The guest reset itself and QEMU paused it (pause_on_reset)."""


def boot_path_from_env():
    """The boot path `make test`/`make lab` asked for (BOOT=, FIRMWARE=, MACHINE=, GRUB_ENTRY=
    reach the tests as SMPLAB_BOOT and so on); QEMU's -kernel on SeaBIOS by default."""
    return {key: os.environ[var] for key, var in (
        ("boot", "SMPLAB_BOOT"), ("firmware", "SMPLAB_FIRMWARE"),
        ("machine", "SMPLAB_MACHINE"), ("grub_entry", "SMPLAB_GRUB_ENTRY"))
        if os.environ.get(var)}


class _Transcript:
    """pexpect's logfile_read: keeps everything received (in pieces, joined when read: a
    long session receives a megabyte in thousands of reads)."""

    def __init__(self):
        self._pieces = []
        self.length = 0

    def write(self, data):
        self._pieces.append(data)
        self.length += len(data)

    @property
    def text(self):
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    def flush(self):
        pass


def _console_setup(stderr_path):
    """Runs in the child before the launcher starts: its stderr goes to a file, and the pty
    passes the kernel's \\r\\n through as they are (no \\n -> \\r\\n on output)."""
    def setup():
        fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
        attrs = termios.tcgetattr(1)
        attrs[1] &= ~termios.ONLCR
        termios.tcsetattr(1, termios.TCSANOW, attrs)
    return setup


class Machine:
    def __init__(self, smp="4", accel="tcg", mem="128M", extra="", kernel=None,
                 launcher_args=(), boot_path=None, pause_on_reset=False):
        """boot_path: launcher options as a dict (boot, firmware, machine, grub_entry);
        None takes them from the environment (boot_path_from_env). A kernel= always boots
        by -kernel. pause_on_reset: a guest reset pauses QEMU (see MachineReset)."""
        self.accel = accel
        self.pause_on_reset = pause_on_reset
        self._tmp = tempfile.mkdtemp(prefix="smplab-test-")
        self.qmp_path = os.path.join(self._tmp, "qmp.sock")
        self._err_path = os.path.join(self._tmp, "launcher.err")
        args = [LAUNCH, "--serial-only", "--smp", str(smp), "--accel", self.accel,
                "--mem", mem, "--extra", extra, "--qmp", self.qmp_path]
        if kernel:
            args += ["--kernel", kernel]
        else:
            path = boot_path_from_env() if boot_path is None else boot_path
            for key, value in sorted(path.items()):
                args += ["--" + key.replace("_", "-"), value]
        args += list(launcher_args) + (["--pause-on-reset"] if pause_on_reset else [])
        self._log = _Transcript()
        self._qmp = None
        self._closed = False
        self.last_match = None
        self.child = pexpect.spawn(sys.executable, args, encoding="utf-8",
                                   codec_errors="replace", echo=False, timeout=10,
                                   maxread=65536, dimensions=(24, 80),
                                   preexec_fn=_console_setup(self._err_path))
        self.child.logfile_read = self._log
        _live.add(self)

    # ---- receiving ---------------------------------------------------------------------
    @property
    def transcript(self):
        """Everything QEMU printed on the serial port so far (read now)."""
        self._drain()
        return self._log.text

    @property
    def stderr(self):
        """What the launcher said (its messages start "smplab: ")."""
        try:
            with open(self._err_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_for(self, pattern, timeout=10):
        """Wait until `pattern` (a literal string, or a compiled regex) appears after what
        earlier waits consumed; return the text from there up to the end of the match."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = max(0, deadline - time.monotonic())
                try:
                    self.child.expect(regex, timeout=min(left, RESET_POLL)
                                      if self.pause_on_reset else left)
                    break
                except pexpect.TIMEOUT:
                    if self.pause_on_reset and self.reset_paused():
                        raise MachineReset(self._explain("the guest reset itself (QEMU "
                                                         "paused it) while waiting for %r"
                                                         % regex.pattern)) from None
                    if not left:
                        raise
        except pexpect.TIMEOUT:
            raise MachineTimeout(self._explain("timed out after %gs waiting for %r"
                                               % (timeout, regex.pattern))) from None
        except pexpect.EOF:
            raise MachineTimeout(self._explain("output ended waiting for %r"
                                               % regex.pattern)) from None
        self.last_match = self.child.match
        return self.child.before + self.child.after

    def wait_prompt(self, timeout=10):
        return self.wait_for(PROMPT, timeout)

    def _explain(self, what):
        status = self.child.exitstatus if not self.child.isalive() else None
        state = ("launcher still running" if self.child.isalive()
                 else "launcher exited with status %s" % status)
        return "%s; %s\n--- last output ---\n%s\n--- launcher stderr ---\n%s" % (
            what, state, self.transcript[-2000:], self.stderr[-2000:])

    def poll(self):
        """The launcher's exit status, or None while it runs."""
        if self.child.isalive():
            return None
        return self.child.exitstatus if self.child.exitstatus is not None \
            else 128 + (self.child.signalstatus or 0)

    def wait_exit(self, timeout=10):
        """Wait for the launcher to end; return its exit status."""
        try:
            self.child.expect(pexpect.EOF, timeout=timeout)
        except pexpect.TIMEOUT:
            raise MachineTimeout(self._explain("launcher still running after %gs" % timeout)) \
                from None
        self.child.wait()
        return self.poll()

    # ---- sending -------------------------------------------------------------------------
    def send_raw(self, data):
        """Type bytes (or a str). Long input goes in chunks, reading what the kernel printed
        in between, so neither side fills the pty and waits for the other."""
        if isinstance(data, str):
            data = data.encode()
        fd = self.child.child_fd
        blocking = os.get_blocking(fd)
        os.set_blocking(fd, False)      # a full pty must not stop us reading the output
        try:
            for i in range(0, len(data), SEND_CHUNK):
                chunk = data[i:i + SEND_CHUNK]
                while chunk:            # bytes as they are (send() would encode a str)
                    if not self.child.isalive():
                        raise MachineTimeout(self._explain(
                            "cannot send %r: the launcher exited" % chunk[:40]))
                    try:
                        chunk = chunk[os.write(fd, chunk):]
                    except BlockingIOError:
                        # The kernel is busy printing and reads no input until its
                        # output is read: read it, then try again.
                        self._drain()
                        time.sleep(0.001)
                self._drain()
        finally:
            os.set_blocking(fd, blocking)

    def _drain(self):
        """Read what the kernel printed so far into pexpect's buffer (an expect that can
        only time out), where the next wait_for() finds it."""
        while self.child.isalive():
            seen = self._log.length
            self.child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0)
            if self._log.length == seen:
                return

    def cmd(self, line, timeout=10):
        """Type `line` + Enter; return the output between the echo and the next prompt,
        preceded by the lines APs printed above the prompt while it was typed."""
        self.send_raw(line + "\r")
        # The echo ends with the typed line and the Enter's "\r\n"; lines an AP printed
        # above the prompt come before it.
        echo = re.escape(line) if line else "(?:^|%s)" % re.escape(PROMPT)
        self.wait_for(re.compile(echo + "\r\n"), timeout)
        above = [text.rsplit(ERASE_PROMPT, 1)[-1] + "\n"
                 for text in self.child.before.split("\r\n")[:-1]]
        out = self.wait_prompt(timeout).replace("\r", "")
        return "".join(above) + out[:-len(PROMPT)]

    # ---- QEMU monitor --------------------------------------------------------------------
    def qmp(self, command, **args):
        """Run a QMP command; reconnects once (QEMU recreates the socket after a reboot)."""
        for attempt in (0, 1):
            try:
                if self._qmp is None:
                    self._qmp = Qmp(self.qmp_path, timeout=30)
                return self._qmp.command(command, **args)
            except EOFError:
                self._qmp.close()
                self._qmp = None
                if attempt:
                    raise

    def reset_paused(self):
        """True when a guest reset paused QEMU (pause_on_reset; run state "shutdown")."""
        return self.qmp("query-status")["status"] == "shutdown"

    def phys_bytes(self, addr, count):
        """count bytes of guest-physical memory at addr, read by QEMU (`xp /Nbx`)."""
        text = self.hmp("xp /%dbx 0x%x" % (count, addr))
        # Each line is "ADDR: 0x.. 0x.. ..."; take the bytes after every colon.
        data = []
        for line in text.splitlines():
            if ":" in line:
                data += [int(b, 16) for b in
                         re.findall(r"0x([0-9a-f]{2})\b", line.split(":", 1)[1])]
        if len(data) != count:
            raise MachineTimeout("xp gave %d bytes, wanted %d:\n%s" % (len(data), count, text))
        return bytes(data)

    def hmp(self, text):
        """A human monitor command (e.g. "info registers"); returns its text."""
        return self.qmp("human-monitor-command", **{"command-line": text})

    # ---- cleanup -------------------------------------------------------------------------
    def close(self):
        if self._closed:
            return
        self._closed = True
        if self._qmp:
            self._qmp.close()
        # SIGTERM first so the launcher removes its temp files; SIGKILL whatever is left
        # (QEMU dies with the launcher: PR_SET_PDEATHSIG).
        self.child.terminate(force=True)
        self.child.close(force=True)
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@atexit.register
def _close_all():
    for m in list(_live):
        m.close()
