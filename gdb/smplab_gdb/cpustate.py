"""What mode an x86 CPU is in, and where it really executes.

GDB sees only $pc, which in real mode is IP alone, and it cannot be told
the CPU changed mode. QEMU's own monitor (`info registers`) shows the
hidden part of each segment register (base, limit, flags), CR0 and EFER,
and from those the mode follows (SDM Vol 3A 2.2, 9.8.5):

    CR0.PE = 0                      real mode, 16-bit, linear = CS.base + IP
    EFER.LMA = 1 and CS.L = 1       64-bit long mode
    EFER.LMA = 1 and CS.L = 0       compatibility mode, CS.D picks 16/32-bit
    otherwise                       protected mode, CS.D picks 16/32-bit

This module is pure: it parses text and decodes numbers, so the host
tests run it without GDB.
"""
import re
from collections import namedtuple

Segment = namedtuple("Segment", "selector base limit flags")
Mode = namedtuple("Mode", "name bits paging")

CR0_PE = 1 << 0
CR0_PG = 1 << 31
EFER_LMA = 1 << 10
SEG_FLAG_L = 1 << 21        # descriptor high dword: 64-bit code segment
SEG_FLAG_D = 1 << 22        # default operation size 32-bit

_SEGMENT = re.compile(
    r"^(ES|CS|SS|DS|FS|GS|LDT|TR) ?=([0-9a-f]{4}) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)",
    re.M)
_TABLE = re.compile(r"^(GDT|IDT)= +([0-9a-f]+) ([0-9a-f]+)", re.M)
_REGISTER = re.compile(r"\b([A-Z][A-Z0-9]*)=([0-9a-f]+)\b")


class CpuState:
    """One CPU as QEMU's `info registers` prints it."""

    def __init__(self, text):
        self.text = text
        self.regs = {name: int(value, 16) for name, value in _REGISTER.findall(text)}
        self.segments = {m[0]: Segment(*(int(x, 16) for x in m[1:]))
                         for m in _SEGMENT.findall(text)}
        self.tables = {m[0]: (int(m[1], 16), int(m[2], 16)) for m in _TABLE.findall(text)}
        if "CS" not in self.segments or "CR0" not in self.regs:
            raise ValueError("not the output of QEMU's 'info registers'")

    @property
    def cr0(self):
        return self.regs["CR0"]

    @property
    def efer(self):
        return self.regs.get("EFER", 0)

    @property
    def ip(self):
        return self.regs.get("RIP", self.regs.get("EIP", 0))

    @property
    def cs(self):
        return self.segments["CS"]

    @property
    def mode(self):
        return cpu_mode(self.cr0, self.efer, self.cs.flags)

    @property
    def mode_bits(self):
        return mode_bits(self.cr0, self.efer, self.cs.flags)

    @property
    def linear_pc(self):
        return linear_address(self.mode, self.cs.base, self.ip)

    def where(self):
        """The next instruction as the CPU names it and as memory does."""
        mode = self.mode
        if mode.name == "real":
            return "CS:IP %04x:%04x = linear 0x%x" % (self.cs.selector, self.ip & 0xFFFF,
                                                     self.linear_pc)
        if mode.bits == 64:
            return "RIP 0x%x" % self.ip
        return "CS %04x (base 0x%x) : EIP 0x%x = linear 0x%x" % (
            self.cs.selector, self.cs.base, self.ip & 0xFFFFFFFF, self.linear_pc)


def cpu_mode(cr0, efer, cs_flags):
    paging = bool(cr0 & CR0_PG)
    if not cr0 & CR0_PE:
        return Mode("real", 16, paging)
    bits = 32 if cs_flags & SEG_FLAG_D else 16
    if efer & EFER_LMA:
        if cs_flags & SEG_FLAG_L:
            return Mode("long", 64, paging)
        return Mode("compatibility", bits, paging)
    return Mode("protected", bits, paging)


def linear_address(mode, cs_base, ip):
    if mode.bits == 64:
        return ip
    width = 0xFFFF if mode.bits == 16 else 0xFFFFFFFF
    return (cs_base + (ip & width)) & 0xFFFFFFFF


# The four bits whose change is a mode switch, as Bochs's `modebp` watches
# them: CR0.PE turns protected mode on and CR0.PG paging (SDM Vol 3A 2.5),
# EFER.LMA says IA-32e mode is active (Vol 3A 2.2.1; the CPU sets it when
# paging comes on with EFER.LME set), CS.L picks 64-bit code in it (5.2.1).
MODE_BITS = [("CR0.PE", "cr0", CR0_PE), ("CR0.PG", "cr0", CR0_PG),
             ("EFER.LMA", "efer", EFER_LMA), ("CS.L", "cs_flags", SEG_FLAG_L)]

# After INIT and a Startup IPI all four are clear: the AP starts in real mode.
RESET_MODE_BITS = (0, 0, 0, 0)


def mode_bits(cr0, efer, cs_flags):
    """(PE, PG, LMA, L) as 0 or 1, in the order of MODE_BITS."""
    values = {"cr0": cr0, "efer": efer, "cs_flags": cs_flags}
    return tuple(int(bool(values[reg] & mask)) for _, reg, mask in MODE_BITS)


def mode_changes(before, after):
    """['CR0.PE 0->1', ...]: the mode bits that differ, in the order of MODE_BITS."""
    return ["%s %d->%d" % (name, b, a)
            for (name, _, _), b, a in zip(MODE_BITS, before, after) if b != a]


def describe_mode(mode):
    if mode.name == "long":
        text = "64-bit long mode"
    elif mode.name == "real":
        text = "real mode (16-bit)"
    else:
        text = "%s mode, %d-bit code" % (mode.name, mode.bits)
    return text + (", paging on" if mode.paging else ", paging off")


# Control register bits worth naming (SDM Vol 3A 2.5; EFER: 2.2.1).
CR0_BITS = [(0, "PE"), (1, "MP"), (2, "EM"), (3, "TS"), (4, "ET"), (5, "NE"), (16, "WP"),
            (18, "AM"), (29, "NW"), (30, "CD"), (31, "PG")]
CR4_BITS = [(4, "PSE"), (5, "PAE"), (7, "PGE"), (9, "OSFXSR"), (10, "OSXMMEXCPT"),
            (12, "LA57"), (17, "PCIDE"), (18, "OSXSAVE"), (20, "SMEP"), (21, "SMAP")]
EFER_BITS = [(0, "SCE"), (8, "LME"), (10, "LMA"), (11, "NXE")]


def flag_names(value, bits):
    names = [name for bit, name in bits if value >> bit & 1]
    return " ".join(names) if names else "(none)"
