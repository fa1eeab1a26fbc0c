"""GDB's own commands, made to work from smplab's breakpoints: GDB runs a
user-defined `hook-CMD` before CMD (and its aliases: `c`, `si`, `ni`, `fin`), and
an error in the hook keeps CMD from running. The hooks call control.py."""
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


def install():
    BeforeResume()
    for command in HOOKS:
        gdb.execute("define hook-%s\nsmplab before-resume %s\nend" % (command, command))
