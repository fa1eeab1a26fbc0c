"""Decode instructions in the width the CPU runs them (GDB's x/i cannot:
on a qemu-system-x86_64 target it refuses the i8086 and i386
architectures and decodes everything as 64-bit). Uses capstone."""
try:
    import capstone
except ImportError:              # the project's set-up installs python3-capstone
    capstone = None

_MODES = {}


def decode(code, address, bits, count):
    """[(address, size, text)] for up to count instructions."""
    if capstone is None:
        raise RuntimeError("python3-capstone is not installed: run 'make deps'")
    if bits not in _MODES:
        mode = {16: capstone.CS_MODE_16, 32: capstone.CS_MODE_32, 64: capstone.CS_MODE_64}
        _MODES[bits] = capstone.Cs(capstone.CS_ARCH_X86, mode[bits])
    out = []
    for insn in _MODES[bits].disasm(code, address):
        text = insn.mnemonic + (" " + insn.op_str if insn.op_str else "")
        out.append((insn.address, insn.size, text))
        if len(out) == count:
            break
    return out
