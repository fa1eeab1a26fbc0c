"""GDB's own `x/i`, `display/i`, `disassemble` and the TUI's `layout asm`, in the
width the CPU really runs and at the address it really fetches from.

GDB hands a target's disassembly to one disassembler per architecture; GDB 13's
Python API lets us stand in front of it (gdb.disassembler.register_disassembler).
GDB asks about an address as it knows it: in real mode that is IP, so the bytes
are at CS.base + IP, and in 16- and 32-bit code they must be decoded in that
width (capstone, disasm.py). 64-bit code, and any address wider than the CPU's
offsets (the kernel's, while an AP is still in real mode), go back to GDB's
own disassembler."""
import gdb
import gdb.disassembler

from . import cpustate, disasm, guest

LONGEST_INSN = 15               # bytes (SDM Vol 2A 2.3.11)


class CpuWidthDisassembler(gdb.disassembler.Disassembler):
    def __init__(self):
        super().__init__("smplab")

    def __call__(self, info):
        try:
            state = guest.cpu_state()
        except (gdb.error, ValueError):
            return None             # no live CPU (no target yet): GDB decodes
        mode = state.mode
        if mode.bits == 64 or info.address > (1 << mode.bits) - 1:
            return None
        linear = cpustate.linear_address(mode, state.cs.base, info.address)
        code = read_code(linear)
        insns = disasm.decode(code, info.address, mode.bits, 1)
        if not insns:
            return gdb.disassembler.DisassemblerResult(1, "(bad)")
        _, size, text = insns[0]
        return gdb.disassembler.DisassemblerResult(size, text)


def read_code(linear):
    """Up to one instruction's bytes at a linear address; fewer at the end of
    readable memory."""
    inferior = gdb.selected_inferior()
    for size in (LONGEST_INSN, 8, 4, 2, 1):
        try:
            return bytes(inferior.read_memory(linear, size))
        except gdb.MemoryError:
            continue
    raise gdb.MemoryError("cannot read memory at 0x%x" % linear)


def install():
    # None: for whatever architecture the target reports (i386:x86-64 here).
    gdb.disassembler.register_disassembler(CpuWidthDisassembler(), None)
