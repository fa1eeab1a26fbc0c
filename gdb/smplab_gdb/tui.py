"""The TUI's `layout asm`, `layout split` and `layout regs`, right in every mode.

GDB's own assembly window cannot follow an AP out of real mode's start: it
refuses to draw at $pc 0 (and an AP's first instruction is always at IP 0,
CS = vector << 8), and while no symbol covers $pc it starts from the current
source line, in the kernel. Its register window stays "[ Register Values
Unavailable ]" until the next stop, and shows $pc as IP. So smplab draws both
windows itself (GDB 13's gdb.register_window_type) from QEMU's view of the
selected CPU, and the three layouts that show assembly or registers are
redefined to use them. The windows redraw before every prompt."""
import re

import gdb

from . import context, cpustate, guest

ASM_WINDOW = "smplab-asm"
REGS_WINDOW = "smplab-regs"
LAYOUTS = {
    "asm": "%s 1 status 0 cmd 1" % ASM_WINDOW,
    "split": "src 1 %s 1 status 0 cmd 1" % ASM_WINDOW,
    "regs": "%s 1 %s 1 status 0 cmd 1" % (REGS_WINDOW, ASM_WINDOW),
}
_open = set()
_PAIR = re.compile(r"[A-Z][A-Z0-9]*=[0-9a-f]+")
# QEMU's lines that are one segment or table register each, kept whole.
_WHOLE_LINE = re.compile(r"^(ES|CS|SS|DS|FS|GS|LDT|TR|GDT|IDT) ?=")
# Past this line QEMU prints the FPU and vector registers.
_LAST_LINE = "EFER="


def asm_lines(state, height):
    lines = ["%s: %s" % (context.who(), cpustate.describe_mode(state.mode)),
             "  " + state.where()]
    for i, (address, _, text, linear) in enumerate(context.decode_at(state, height - 2)):
        lines.append(context.format_insn(state, address, text, linear, i == 0))
    return lines


def register_lines(state, width):
    """QEMU's registers up to EFER, the NAME=value pairs flowed to the width."""
    lines = [cpustate.describe_mode(state.mode)]
    flowing = ""
    for line in state.text.splitlines()[1:]:
        if _WHOLE_LINE.match(line):
            if flowing:
                lines.append(flowing)
                flowing = ""
            lines.append(line.rstrip())
            continue
        for pair in _PAIR.findall(line):
            if flowing and len(flowing) + 1 + len(pair) > width:
                lines.append(flowing)
                flowing = ""
            flowing = (flowing + " " + pair).lstrip()
        if line.startswith(_LAST_LINE):
            break
    return lines + ([flowing] if flowing else [])


class CpuWindow:
    """A TUI window drawn from the selected CPU's state by lines_of."""

    def __init__(self, tui, title, lines_of):
        self.tui, self.lines_of = tui, lines_of
        tui.title = title
        _open.add(self)

    def render(self):
        if not self.tui.is_valid():
            return
        try:
            if gdb.selected_thread() is None or gdb.selected_thread().is_running():
                lines = ["[ running ]"]
            else:
                lines = self.lines_of(guest.cpu_state(), self.tui)
        except (gdb.error, ValueError, RuntimeError) as e:
            lines = ["[ %s ]" % e]
        self.tui.erase()
        self.tui.write("\n".join(line[:self.tui.width] for line in lines[:self.tui.height]))

    def close(self):
        _open.discard(self)


def redraw(*_):
    for window in list(_open):
        window.render()


def install():
    gdb.register_window_type(ASM_WINDOW, lambda tui: CpuWindow(
        tui, "instructions, in the CPU's mode", lambda state, t: asm_lines(state, t.height)))
    gdb.register_window_type(REGS_WINDOW, lambda tui: CpuWindow(
        tui, "registers, as QEMU sees them", lambda state, t: register_lines(state, t.width)))
    for name, spec in LAYOUTS.items():
        gdb.execute("tui new-layout %s %s" % (name, spec))
    gdb.events.before_prompt.connect(redraw)
