"""GDB's own commands, made to work from smplab's breakpoints: GDB runs a
user-defined `hook-CMD` before CMD (and its aliases: `c`, `si`, `ni`, `fin`), and
an error in the hook keeps CMD from running. The hooks call control.py.

GDB has one hook per command. A hook the user defined before smplab was loaded
keeps its lines, after smplab's; one defined later replaces smplab's, and
`smplab break-modes` says which line to add back."""
import gdb

from . import control

HOOKS = {"continue": control.before_continue,
         "stepi": control.before_step,
         "nexti": control.before_step,
         "finish": control.before_finish}


class BeforeResume(gdb.Command):
    """Internal: what smplab does before GDB's continue, stepi, nexti and finish
    resume the CPUs (the hooks hook-continue, hook-stepi, hook-nexti, hook-finish call it)."""

    def __init__(self):
        super().__init__("smplab before-resume", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        HOOKS[arg.strip()]()


def our_line(command):
    return "smplab before-resume %s" % command


def user_lines(command):
    """The lines of the user's own hook-command, or None if there is none."""
    try:
        shown = gdb.execute("show user hook-%s" % command, to_string=True)
    except gdb.error:
        return None
    # 'User command "hook-continue":' then the body, indented by two spaces.
    return [line[2:] for line in shown.splitlines()[1:] if line.strip()]


def install():
    BeforeResume()
    for command in HOOKS:
        theirs = [line for line in user_lines(command) or [] if line != our_line(command)]
        if theirs:
            print("smplab: your hook-%s runs after smplab's" % command)
        gdb.execute("define hook-%s\n%s\nend" % (command, "\n".join([our_line(command)] + theirs)))


def warn_if_replaced():
    """Say which hooks a later `define` replaced, and the line that puts smplab back."""
    for command in HOOKS:
        if our_line(command) not in (user_lines(command) or []):
            print("smplab: hook-%s no longer calls smplab, so GDB's %s cannot leave smplab's "
                  "breakpoints; make '%s' its first line" % (command, command, our_line(command)))
