"""What smplab prints at a stop: which AP, which mode, where, and the next
instructions decoded in the width the CPU is really running."""
import gdb

from . import cpustate, disasm, guest, labels
from .breaks import BREAKS


def place_name(address):
    """Trampoline label or kernel symbol for a linear address."""
    BREAKS.load()
    name = labels.name_at(BREAKS.labels, BREAKS.base, address)
    if name:
        return name
    try:
        text = gdb.execute("info symbol 0x%x" % address, to_string=True)
    except gdb.error:
        return None
    if text.startswith("No symbol"):
        return None
    return text.split(" in section")[0].replace(" + ", "+").strip()


def decode_at(state, count):
    """[(shown_address, size, text, linear)] from the current instruction."""
    mode = state.mode
    linear = state.linear_pc
    size = 15 * count                   # an x86 instruction is at most 15 bytes
    if mode.bits != 64:
        size = min(size, (1 << 32) - linear)
    while True:
        try:
            code = bytes(gdb.selected_inferior().read_memory(linear, size))
            break
        except gdb.MemoryError:
            if size <= 15:
                raise
            size //= 2                  # the end of the range may be unreadable
    # In real mode show addresses as the CPU sees them: offsets in CS.
    shown = state.ip & 0xFFFF if mode.name == "real" else linear
    return [(a, size, text, linear + (a - shown))
            for a, size, text in disasm.decode(code, shown, mode.bits, count)]


def format_insn(state, address, text, linear, current):
    marker = "=>" if current else "  "
    name = place_name(linear)
    label = " <%s>" % name if name else ""
    if state.mode.name == "real":
        where = "%04x:%04x (0x%05x)" % (state.cs.selector, address, linear)
    else:
        where = "0x%x" % linear
    return "%s %s%s:  %s" % (marker, where, label, text)


def who(thread=None):
    thread = thread or gdb.selected_thread()
    index = guest.cpu_index(thread)
    apic = guest.apic_id_of_cpu(index)
    role = "BSP" if index == 0 else "AP"
    return "%s with APIC ID %d (GDB thread %d)" % (role, apic, thread.num)


def show(reason, changes=(), count=3):
    """What this stop is (reason), which CPU, its mode and what of it changed
    since smplab last reported this CPU, on one line; then where it is and
    its next instructions."""
    state = guest.cpu_state()
    print("smplab: %s: %s, %s%s" % (reason, who(), cpustate.describe_mode(state.mode),
                                     "; " + ", ".join(changes) if changes else ""))
    print("        %s" % state.where())
    try:
        lines = decode_at(state, count)
    except gdb.MemoryError:
        print("        (GDB cannot read memory at 0x%x)" % state.linear_pc)
        return state
    for i, (address, _, text, linear) in enumerate(lines):
        print("  " + format_insn(state, address, text, linear, i == 0))
    return state


def instruction_text(state):
    """The instruction at state's pc, decoded in its width."""
    insns = decode_at(state, 1)
    return insns[0][2] if insns else "(bad)"


def one_line(state):
    """A single instruction line, for `smplab si`."""
    address, _, text, linear = decode_at(state, 1)[0]
    return format_insn(state, address, text, linear, True)
