"""The trampoline's labels as GDB symbols, so that GDB's own `disassemble` (which needs a
function around $pc), `info symbol`, `bt` and `x/i` name the code the AP runs.

The build makes build/trampoline/trampoline.sym.elf: the trampoline's bytes with its labels
as symbols, from offset 0. GDB gets it twice: at 0, for real mode, where $pc is IP and the
SIPI's CS (vector << 8) puts IP 0 at the trampoline's first byte; and at the trampoline's
base, for protected mode (the trampoline's code segment is flat) and long mode. The second
copy moves when the kernel installs the trampoline elsewhere."""
import os

import gdb

from smplab import BUILD

SYMBOL_FILE = os.path.join(BUILD, "trampoline", "trampoline.sym.elf")
_placed = []            # offsets the file is loaded at


def _add(offset):
    gdb.execute("add-symbol-file %s -o 0x%x" % (SYMBOL_FILE, offset), to_string=True)
    _placed.append(offset)


def _remove(offset):
    gdb.execute("remove-symbol-file -a 0x%x" % offset, to_string=True)
    _placed.remove(offset)


def follow(base):
    """The symbols at 0 and at base (None or 0: not installed yet)."""
    if not os.path.exists(SYMBOL_FILE):
        return
    if 0 not in _placed:
        _add(0)
    for offset in [o for o in _placed if o not in (0, base)]:
        _remove(offset)
    if base and base not in _placed:
        _add(base)
