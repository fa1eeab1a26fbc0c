"""Drive GDB through pipes, one command at a time, for the tests and labs.

    gdb = Gdb(port)                 # gdb -q -nx, gdb/gdbinit, target remote :port
    out = gdb.run("smplab mode")    # the command's output (stdout and stderr)
    gdb.send("smplab continue")     # start a command that blocks (resumes the CPU) ...
    out = gdb.wait(timeout=30)      # ... and collect its output once it returns
    gdb.close()

Each command is followed by an `echo` of a unique marker, so the output of
one command ends where its marker appears. GDB reads commands from a pipe
as it would from a terminal, one line after the previous one finished."""
import os
import re
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class GdbTimeout(AssertionError):
    pass


class Gdb:
    def __init__(self, port, elf_dir=ROOT):
        self.proc = subprocess.Popen(
            # GDB on a pipe wraps lines at $TERM's width (79 with no TERM): fix it at
            # 80, the width lab 6's recorded sessions were taken at
            ["gdb", "-q", "-nx", "-x", os.path.join(ROOT, "gdb", "gdbinit"),
             "-ex", "set width 80", "-ex", "target remote :%d" % port],
            cwd=elf_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
        self._text = ""
        self._cond = threading.Condition()
        self._count = 0
        self._pending = None
        threading.Thread(target=self._pump, daemon=True).start()
        self.transcript_start = 0
        self.run("echo", timeout=30)        # connected and ready

    def _pump(self):
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            with self._cond:
                if not chunk:
                    self._text += "\n<gdb exited>\n"
                    self._cond.notify_all()
                    return
                self._text += chunk.decode("utf-8", "replace")
                self._cond.notify_all()

    @property
    def transcript(self):
        return self._text

    def send(self, command):
        self._count += 1
        marker = "@@smplab-done-%d@@" % self._count
        self._pending = (marker, len(self._text))
        self.proc.stdin.write(("%s\necho %s\\n\n" % (command, marker)).encode())
        self.proc.stdin.flush()

    def wait(self, timeout=30):
        marker, start = self._pending
        deadline = time.monotonic() + timeout
        with self._cond:
            while marker not in self._text[start:]:
                left = deadline - time.monotonic()
                if left <= 0 or "<gdb exited>" in self._text[start:]:
                    raise GdbTimeout("GDB did not finish within %ss; its output:\n%s"
                                     % (timeout, self._text[-3000:]))
                self._cond.wait(left)
            end = self._text.index(marker, start)
        # The prompt GDB printed after the previous command comes first.
        return re.sub(r"^(\(gdb\) )+", "", self._text[start:end])

    def run(self, command, timeout=30):
        self.send(command)
        return self.wait(timeout)

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass
        self.proc.wait()
