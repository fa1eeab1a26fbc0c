"""Drive GDB the way a person does at a terminal, one command at a time, for the tests and labs.

    gdb = Gdb(port)                 # gdb -q -nx -x gdb/gdbinit, target remote :port
    out = gdb.run("smplab mode")    # the command's output, up to GDB's next prompt
    gdb.send("continue")            # type a command that runs the CPU ...
    gdb.interrupt()                 # ... Ctrl-C, as at the keyboard
    out = gdb.wait(timeout=30)      # ... and collect its output once GDB prompts again
    gdb.close()

GDB runs on a pseudo-terminal (pexpect), 80 columns wide, with TERM=dumb so that readline
draws no escape sequences (term="xterm" for the TUI, whose screen a test reads through a
terminal emulator). What a command printed is the text between the echo of the line
typed and GDB's next "(gdb) " prompt, with the terminal's \\r removed."""
import os

import pexpect

from smplab import ROOT

PROMPT = "(gdb) "


class GdbTimeout(AssertionError):
    pass


class Gdb:
    def __init__(self, port, elf_dir=ROOT, term="dumb"):
        env = dict(os.environ, TERM=term)
        # The recorded sessions of lab 6 were taken at 80 columns.
        self.child = pexpect.spawn(
            "gdb", ["-q", "-nx", "-x", os.path.join(ROOT, "gdb", "gdbinit"),
                    "-ex", "set width 80", "-ex", "set height 0",
                    "-ex", "target remote :%d" % port],
            cwd=elf_dir, env=env, encoding="utf-8", codec_errors="replace",
            dimensions=(24, 80), timeout=30, maxread=65536)
        self._log = []
        self.child.logfile_read = self
        self._typed = None
        self._expect_prompt(30)             # connected and ready

    # pexpect's logfile_read: the transcript
    def write(self, data):
        self._log.append(data)

    def flush(self):
        pass

    @property
    def transcript(self):
        return "".join(self._log)

    def _expect_prompt(self, timeout):
        try:
            self.child.expect_exact(PROMPT, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            what = "exited" if isinstance(e, pexpect.EOF) else \
                "did not prompt within %ss" % timeout
            raise GdbTimeout("GDB %s; its output:\n%s" % (what, self.transcript[-3000:])) \
                from None
        return self.child.before.replace("\r", "")

    def send(self, command):
        """Type a command and Enter; wait() collects its output."""
        self._typed = command
        self.child.sendline(command)

    def wait(self, timeout=30):
        out = self._expect_prompt(timeout)
        # The terminal shows the line typed first (readline echoes it).
        first, _, rest = out.partition("\n")
        return rest if first.endswith(self._typed) else out

    def run(self, command, timeout=30):
        self.send(command)
        return self.wait(timeout)

    def interrupt(self):
        """Ctrl-C: GDB stops the target; wait() then returns the stop it reports."""
        self.child.sendintr()

    def close(self):
        self.child.close(force=True)
