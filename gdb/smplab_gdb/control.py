"""Running and stopping: the stop handler, and how smplab resumes a CPU
that sits on one of its own breakpoints.

GDB cannot step off a hardware breakpoint it did not recognise (real
mode: $pc is IP, the breakpoint is at CS*16+IP); under KVM a plain `si`
there does not move. smplab lifts its breakpoint at the current linear
address, steps one instruction, and puts it back."""
import gdb

from . import context, guest
from .breaks import BREAKS

# How the last stop was classified by on_stop, for the resume loop.
last_stop = {"kind": None}
quiet = {"depth": 0}
resuming = {"active": False}


def linear_pc():
    return guest.cpu_state().linear_pc


# Instructions after which the CPU may stand where it was: REP/REPNE
# prefixes (one iteration per step), HLT, and a jump to itself.
STAY_PUT = (b"\xf2", b"\xf3", b"\xf4", b"\xeb\xfe")


def stays_put(address):
    first = guest.read_physical_u64(address).to_bytes(8, "little")
    return first.startswith(STAY_PUT)


def step_one():
    """stepi the selected CPU, lifting smplab's breakpoint under it. Only
    that CPU runs (scheduler-locking step): the others stay where they are.
    Under TCG on a loaded host a step now and then came back with the CPU
    where it was (seen in lab 6's replay during make test); a step that left
    the CPU at an instruction that cannot stay put is taken again, once."""
    gdb.execute("set scheduler-locking step")
    before = linear_pc()
    with BREAKS.lifted(before):
        quiet["depth"] += 1
        gdb.execute("set suppress-cli-notifications on")
        try:
            gdb.execute("stepi")
            if linear_pc() == before and not stays_put(before):
                gdb.execute("stepi")
        finally:
            gdb.execute("set suppress-cli-notifications off")
            quiet["depth"] -= 1


def resume():
    """Continue until a stop the user should see."""
    resuming["active"] = True
    try:
        while True:
            step_one()
            # The step may land on another of smplab's breakpoints (the next
            # instruction is a mode stop): that is a stop, not one to run past.
            if stopped_on_own_breakpoint():
                return
            last_stop["kind"] = None
            gdb.execute("continue")
            if last_stop["kind"] not in ("hook", "filtered"):
                return
    finally:
        resuming["active"] = False


def stopped_on_own_breakpoint():
    kind, _ = classify(None)
    if kind in (None, "hook", "filtered"):
        return False
    BREAKS.reached(kind)
    context.show("breakpoint %s" % kind)
    return True


def classify(event):
    """'hook', 'filtered', a breakpoint name, or None for other stops."""
    state = guest.cpu_state()
    bp = BREAKS.at(state.linear_pc)
    if bp is None:
        return None, state
    if bp.smplab_name == "install-hook":
        return "hook", state
    apic = guest.apic_id_of_cpu(guest.cpu_index())
    if bp.apic_filter is not None and apic != bp.apic_filter:
        return "filtered", state
    return bp.smplab_name, state


def on_stop(event):
    """Say what this stop is; the install hook re-arms the mode stops."""
    if quiet["depth"]:
        return
    try:
        kind, state = classify(event)
    except (gdb.error, ValueError) as e:
        print("smplab: cannot read this CPU's state: %s" % e)
        return
    last_stop["kind"] = kind
    if kind == "hook":
        vector = int(gdb.parse_and_eval("$rdi")) & 0xFF
        BREAKS.installing(vector)
        print("smplab: the kernel is installing the trampoline at vector 0x%02x "
              "(0x%x); the mode breakpoints are armed there now" % (vector, vector << 12))
        if not resuming["active"]:
            print("smplab: go on with 'smplab continue'")
        return
    if kind == "filtered":
        if not resuming["active"]:
            print("smplab: another AP passed a mode breakpoint; 'smplab continue' "
                  "goes on to the one you asked for")
        return
    if kind is not None:
        BREAKS.reached(kind)
        reason = "breakpoint %s" % kind
        if state.ip != state.linear_pc:
            reason += (" (GDB reports SIGTRAP: it compares the breakpoint's linear "
                       "address with $pc = IP 0x%x)" % (state.ip & 0xFFFF))
    elif isinstance(event, gdb.SignalEvent) and event.stop_signal != "SIGTRAP":
        reason = "stopped by %s" % event.stop_signal
    else:
        reason = "stopped"
    context.show(reason)


def install():
    gdb.events.stop.connect(on_stop)
