"""`smplab break-modes APIC` with GDB's own `continue`: another AP's real-mode hit of a mode
breakpoint goes by without a stop.

In protected and long mode GDB recognises a hit ($pc is the linear address) and asks the
breakpoint's stop(), which says no for other APs; GDB steps that AP over it. In real mode
$pc is IP, GDB does not recognise the hit and stops on a bare SIGTRAP. So while a filter
is on, smplab has a catchpoint on SIGTRAP whose condition ($_smplab_trap_stops()) decides:
another AP on one of smplab's breakpoints is let through (the breakpoint hops to that AP's
next instruction, and back once it gets there), a step or a stop GDB recognises is left
to GDB, and any other trap stops, as it would without the catchpoint."""
import gdb

from . import context, guest
from .breaks import BREAKS, SmplabBreakpoint

_catch = []             # the catchpoint, while a filter is on
stepping = {"on": False}    # a stepi/nexti is under way (its trap is GDB's)


class Hop(SmplabBreakpoint):
    """Where the breakpoint another AP stands on waits until that AP has left it."""

    def __init__(self, passed, address):
        super().__init__(address, "hop")
        self.passed = passed


def hop_over(bp, state):
    bp.enabled = False
    size = context.decode_at(state, 1)[0][1]
    BREAKS.armed.append(Hop(bp, state.linear_pc + size))


def land(hop):
    if hop.passed.is_valid():
        hop.passed.enabled = True
    BREAKS.armed.remove(hop)
    hop.delete()


def trap_stops():
    """Should this SIGTRAP stop the user?"""
    if stepping["on"]:
        return False
    guest.forget_states()           # the state of the last stop is stale
    state = guest.cpu_state()
    bp = BREAKS.at(state.linear_pc)
    if state.ip == state.linear_pc:
        return False                # GDB recognises a hit here: its breakpoint decides
    if bp is None:
        return True                 # someone else's breakpoint GDB cannot recognise
    if isinstance(bp, Hop):
        land(bp)
        return False
    if bp.apic_filter is not None and \
            guest.apic_id_of_cpu(guest.cpu_index()) != bp.apic_filter:
        hop_over(bp, state)
        return False
    return True


class TrapStops(gdb.Function):
    """Internal: the condition of smplab's SIGTRAP catchpoint (apfilter.py)."""

    def __init__(self):
        super().__init__("_smplab_trap_stops")

    def invoke(self):
        return int(trap_stops())


def follow(apic):
    """A filter on APIC (or None: no filter, no catchpoint)."""
    if apic is None:
        while _catch:
            _catch.pop().delete()
        return
    if not _catch:
        gdb.execute("catch signal SIGTRAP", to_string=True)
        catch = gdb.breakpoints()[-1]
        catch.condition = "$_smplab_trap_stops()"
        _catch.append(catch)


def install():
    TrapStops()
