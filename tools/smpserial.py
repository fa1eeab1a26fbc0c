"""Drive smplab over its serial port: the library behind the QEMU tests and the lab checks.

    from smpserial import Machine
    with Machine(smp="4") as m:          # boots tools/launch.py in its own session
        m.wait_prompt(timeout=30)        # the banner up to the first "smplab> "
        out = m.cmd("help")              # text between the echoed line and the next prompt
        regs = m.hmp("info registers")   # QEMU's human monitor, via the launcher's --qmp

Machine(smp, accel, mem, extra, kernel) runs `python3 tools/launch.py ... --qmp SOCKET` with
stdin/stdout/stderr pipes in a new session; close() (also on `with` exit, __del__ and at
interpreter exit) kills that whole process group, QEMU included. accel=None means
$SMPLAB_TEST_ACCEL (set by tests/run.py for its TCG and KVM passes), else "tcg".

Reading never blocks forever: two threads collect stdout and stderr; wait_for() waits on a
condition with a timeout and raises MachineTimeout (an AssertionError, so unittest reports a
failure) whose message has the last ~2000 characters received, whether the launcher exited
and its stderr. The kernel ends lines with \\r\\n and echoes what is typed; cmd() sends the
line with "\\r" (the Enter key of a terminal) and returns its output with \\r removed.
"""
import atexit
import codecs
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from launch import Qmp, QmpError, kvm_usable  # noqa: E402,F401  (kvm_usable re-exported)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCH = os.path.join(ROOT, "tools", "launch.py")
PROMPT = "smplab> "
SPLICED_HELLO = re.compile(r"(?<=[^\n])Hello World from CPU \d+ \(APIC ID \d+\)\n")
_live = weakref.WeakSet()


class MachineTimeout(AssertionError):
    pass


def boot_path_from_env():
    """The boot path `make test`/`make lab` asked for (BOOT=, FIRMWARE=, MACHINE=, GRUB_ENTRY=
    reach the tests as SMPLAB_BOOT and so on); QEMU's -kernel on SeaBIOS by default."""
    return {key: os.environ[var] for key, var in (
        ("boot", "SMPLAB_BOOT"), ("firmware", "SMPLAB_FIRMWARE"),
        ("machine", "SMPLAB_MACHINE"), ("grub_entry", "SMPLAB_GRUB_ENTRY"))
        if os.environ.get(var)}


class Machine:
    def __init__(self, smp="4", accel=None, mem="128M", extra="", kernel=None,
                 launcher_args=(), boot_path=None):
        """boot_path: launcher options as a dict (boot, firmware, machine, grub_entry);
        None takes them from the environment (boot_path_from_env). A kernel= always boots
        by -kernel."""
        self.accel = accel or os.environ.get("SMPLAB_TEST_ACCEL", "tcg")
        self._tmp = tempfile.mkdtemp(prefix="smplab-test-")
        self.qmp_path = os.path.join(self._tmp, "qmp.sock")
        argv = [sys.executable, LAUNCH, "--smp", str(smp), "--accel", self.accel,
                "--mem", mem, "--extra", extra, "--qmp", self.qmp_path]
        if kernel:
            argv += ["--kernel", kernel]
        else:
            path = boot_path_from_env() if boot_path is None else boot_path
            for key, value in sorted(path.items()):
                argv += ["--" + key.replace("_", "-"), value]
        argv += list(launcher_args)
        self._text = ""            # everything received on stdout (the transcript)
        self._pos = 0              # how far wait_for() has consumed it
        self._err = ""
        self._cond = threading.Condition()
        self._qmp = None
        self._closed = False
        self.last_match = None
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self._threads = [threading.Thread(target=self._pump, args=(self.proc.stdout, "_text"),
                                          daemon=True),
                         threading.Thread(target=self._pump, args=(self.proc.stderr, "_err"),
                                          daemon=True)]
        for t in self._threads:
            t.start()
        _live.add(self)

    # ---- receiving ---------------------------------------------------------------------
    def _pump(self, pipe, attr):
        dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while True:
            chunk = os.read(pipe.fileno(), 4096)
            text = dec.decode(chunk, final=not chunk)
            with self._cond:
                setattr(self, attr, getattr(self, attr) + text)
                self._cond.notify_all()
            if not chunk:
                return

    @property
    def transcript(self):
        """Everything QEMU printed on the serial port so far."""
        with self._cond:
            return self._text

    @property
    def stderr(self):
        with self._cond:
            return self._err

    def wait_for(self, pattern, timeout=10):
        """Wait until `pattern` (a literal string, or a compiled regex) appears after what
        earlier waits consumed; return the text from there up to the end of the match."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = regex.search(self._text, self._pos)
                if m:
                    out, self._pos, self.last_match = self._text[self._pos:m.end()], m.end(), m
                    return out
                left = deadline - time.monotonic()
                eof = not self._threads[0].is_alive()
                if left <= 0 or eof:
                    raise MachineTimeout(self._explain(
                        "%s waiting for %r" % ("output ended" if eof else
                                               "timed out after %gs" % timeout, regex.pattern)))
                self._cond.wait(min(left, 0.5))

    def wait_prompt(self, timeout=10):
        return self.wait_for(PROMPT, timeout)

    def _explain(self, what):
        status = self.proc.poll()
        state = ("launcher still running" if status is None
                 else "launcher exited with status %d" % status)
        return "%s; %s\n--- last output ---\n%s\n--- launcher stderr ---\n%s" % (
            what, state, self._text[-2000:], self._err[-2000:])

    def wait_exit(self, timeout=10):
        """Wait for the launcher to end; return its exit status."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with self._cond:
                raise MachineTimeout(self._explain("launcher still running after %gs" % timeout))

    # ---- sending -------------------------------------------------------------------------
    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            with self._cond:
                raise MachineTimeout(self._explain("cannot send %r: QEMU's stdin is closed" % data))

    def cmd(self, line, timeout=10):
        """Type `line` + Enter; return the output between the echo and the next prompt."""
        self.send_raw(line + "\r")
        out = self.wait_prompt(timeout).replace("\r", "")
        out = out[:-len(PROMPT)]
        # An AP may print (its Hello) between the prompt and the echo, or in the middle
        # of the echo, which the kernel writes a key at a time: take those lines out of
        # the echo and give them back at the start of the output.
        spliced = SPLICED_HELLO.findall(out)
        out = SPLICED_HELLO.sub("", out)
        lines = out.split("\n")
        for i, echo in enumerate(lines):
            if echo.endswith(line):
                return "".join(spliced) + "\n".join(lines[i + 1:])
        raise AssertionError("expected the echo of %r, got %r" % (line, out[:200]))

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
        # SIGTERM first so the launcher removes its temp dir; SIGKILL whatever is left.
        for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, None)):
            try:
                os.killpg(self.proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(grace)
                break
            except subprocess.TimeoutExpired:
                pass
        try:        # QEMU may outlive the launcher by a moment; the group must be empty
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for t in self._threads:
            t.join(2)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


@atexit.register
def _close_all():
    for m in list(_live):
        m.close()
