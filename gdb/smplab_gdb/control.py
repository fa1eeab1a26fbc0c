"""Running and stopping: what GDB's own `continue`, `stepi` and `nexti` do
around smplab's breakpoints, the stop handler, and `smplab continue`.

GDB cannot step off a hardware breakpoint it did not recognise (real mode:
$pc is IP, the breakpoint is at CS*16+IP), so a plain `continue` there
re-hits it at once. Before GDB resumes, its hooks (hooks.py) call in here:

- stepi/nexti: the breakpoint under the CPU is lifted until the next stop;
- continue: the AP is stepped off the breakpoint (only that CPU runs), and
  while break-modes follows it through the trampoline it is stepped on,
  instruction by instruction, checking the four mode bits after each: a
  change the build's trampoline does not make there (a learner's code, a
  patched instruction), an exception stub, a `hlt`, or one of smplab's
  breakpoints ends the climb with a stop. GDB must not then resume (its
  own step-over would skip a breakpoint it recognises), so the hook stops
  the `continue` with an error that says so. Leaving the trampoline ends
  the climb too, and `continue` goes on."""
import gdb

from . import apfilter, context, cpustate, guest, labels, symbols
from .breaks import BREAKS

# How the last stop was classified by on_stop, for `smplab continue`.
last_stop = {"kind": None}
quiet = {"depth": 0}
# The mode bits of each CPU (by index) at its last report: a report says what changed.
seen_bits = {}
# The CPUs break-modes follows through the trampoline, stepping.
climbing = set()

# A climb longer than this is not the trampoline's (it has about 110
# instructions): give up stepping and let `continue` run.
MAX_CLIMB_STEPS = 2000
HLT = 0xF4
STUB_AREAS = ("rm_stubs", "pm_stubs", "lm_stubs")


class Stop(Exception):
    """The climb ended where the user should look."""


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
    locking = gdb.parameter("scheduler-locking")
    gdb.execute("set scheduler-locking step")
    before = linear_pc()
    with BREAKS.lifted(before):
        quiet["depth"] += 1
        gdb.execute("set suppress-cli-notifications on")
        try:
            gdb.execute("stepi", to_string=True)
            if linear_pc() == before and not stays_put(before):
                gdb.execute("stepi", to_string=True)
        finally:
            gdb.execute("set suppress-cli-notifications off")
            gdb.execute("set scheduler-locking %s" % locking)
            quiet["depth"] -= 1


# ---- before GDB resumes (hooks.py) ----

def before_step():
    """GDB's stepi/nexti is about to run."""
    apfilter.stepping["on"] = True
    if not BREAKS.active():
        return
    BREAKS.lift_until_stop(linear_pc())


def before_finish():
    """GDB's finish is about to run: it needs a caller's frame, which C code has and the
    trampoline (which jumps from mode to mode, calling nothing) has not."""
    state = guest.cpu_state()
    BREAKS.load()
    if state.mode.bits != 64 or in_trampoline(state.linear_pc):
        raise gdb.GdbError(
            "smplab: `finish` returns from a C function; the trampoline calls none, so there "
            "is no caller to return to (%s). 'continue' runs to the next mode stop, "
            "'smplab step-mode' to the next mode switch." % cpustate.describe_mode(state.mode))


def before_continue():
    """GDB's continue is about to run: step off smplab's breakpoint, follow
    a climbing AP; raise gdb.GdbError to keep GDB from resuming."""
    if not BREAKS.active():
        return
    index = guest.cpu_index()
    follow = BREAKS.modes_on and index in climbing
    if BREAKS.at(linear_pc()) is None and not follow:
        return
    try:
        climb(index, follow)
    except Stop:
        gdb.execute("display")          # the steps were quiet: show what GDB would at a stop
        raise gdb.GdbError("smplab: stopped here; 'continue' goes on") from None


def climb(index, follow):
    """Step the selected CPU off smplab's breakpoint, and on through the
    trampoline if break-modes follows it. Raises Stop where it ended."""
    for _ in range(MAX_CLIMB_STEPS):
        before = guest.cpu_state()
        step_one()
        state = guest.cpu_state()
        kind = classify(state)
        if kind not in (None, "hook", "filtered"):
            report(kind, state)
            raise Stop()
        if not follow or not in_trampoline(state.linear_pc):
            climbing.discard(index)
            return
        changes = cpustate.mode_changes(before.mode_bits, state.mode_bits)
        if changes and not builds_own_switch(before):
            report("mode change after `%s`" % context.instruction_text(before), state)
            raise Stop()
        stub = exception_stub(state.linear_pc)
        if stub is not None:
            report("exception %s" % stub, state)
            climbing.discard(index)
            raise Stop()
        if next_byte(state) == HLT:
            report("about to halt", state)
            climbing.discard(index)
            raise Stop()
    climbing.discard(index)


def in_trampoline(address):
    return BREAKS.base is not None and 0 <= address - BREAKS.base < labels.tramp_bytes()


def builds_own_switch(state):
    """Is the instruction at state's pc the build's own (the trampoline's
    bytes there are those NASM made)? Its mode switches are reported at
    the label stop that follows them, not as stops of their own."""
    offset = state.linear_pc - BREAKS.base
    own = labels.tramp_image()[offset:offset + 15]
    insn = context.decode_at(state, 1)
    if not insn or len(own) < insn[0][1]:
        return False
    size = insn[0][1]
    return bytes(gdb.selected_inferior().read_memory(state.linear_pc, size)) == own[:size]


def exception_stub(address):
    """'#UD invalid opcode (vector 6)' when address is in an exception stub,
    else None. (Under KVM a step that faults comes back one instruction into
    the stub, under TCG at its start.)"""
    offset = address - BREAKS.base
    for area in STUB_AREAS:
        start = BREAKS.labels.get(area)
        if start is None:
            continue
        vector = (offset - start) // guest.LAYOUT["TRAMP_STUB_SIZE"]
        if 0 <= vector < guest.LAYOUT["TRAMP_EXCEPTIONS"]:
            return "%s (vector %d)" % (guest.exception_name(vector), vector)
    return None


def next_byte(state):
    return bytes(gdb.selected_inferior().read_memory(state.linear_pc, 1))[0]


# ---- stops ----

def classify(state):
    """'hook', 'filtered', a breakpoint name, or None for other stops."""
    bp = BREAKS.at(state.linear_pc)
    if bp is None:
        return None
    if bp.smplab_name == "install-hook":
        return "hook"
    apic = guest.apic_id_of_cpu(guest.cpu_index())
    if bp.apic_filter is not None and apic != bp.apic_filter:
        return "filtered"
    return bp.smplab_name


def report(kind, state, sigtrap=False):
    """The one line (and the next instructions) of a stop of smplab's."""
    BREAKS.load()
    index = guest.cpu_index()
    if kind == "rm_entry":
        seen_bits[index] = cpustate.RESET_MODE_BITS   # INIT and SIPI: real mode afresh
    changes = (cpustate.mode_changes(seen_bits[index], state.mode_bits)
               if index in seen_bits else [])
    seen_bits[index] = state.mode_bits
    if kind in BREAKS.labels or kind == "ap_entry":
        BREAKS.reached(kind)
        if BREAKS.modes_on and in_trampoline(state.linear_pc):
            climbing.add(index)
        kind = "breakpoint %s" % kind
    if sigtrap:
        kind += (" (GDB reports SIGTRAP: it compares the breakpoint's linear address "
                 "with $pc = IP 0x%x)" % (state.ip & 0xFFFF))
    context.show(kind, changes)


def on_stop(event):
    """Say what this stop is."""
    apfilter.stepping["on"] = False
    BREAKS.put_back()
    if quiet["depth"]:
        return
    try:
        symbols.follow(guest.tramp_base())
        state = guest.cpu_state()
        kind = classify(state)
    except (gdb.error, ValueError) as e:
        print("smplab: cannot read this CPU's state: %s" % e)
        return
    last_stop["kind"] = kind
    if kind == "filtered":
        print("smplab: another AP passed a mode breakpoint; 'continue' goes on to "
              "the one you asked for")
        return
    if kind not in (None, "hook"):
        report(kind, state, sigtrap=state.ip != state.linear_pc)
        return
    if not in_trampoline(state.linear_pc):
        climbing.discard(guest.cpu_index())
    if isinstance(event, gdb.SignalEvent) and event.stop_signal != "SIGTRAP":
        report("stopped by %s" % event.stop_signal, state)
    else:
        report("stopped", state)


def resume():
    """`smplab continue`: GDB's continue, on past another AP's real-mode
    stop when break-modes watches one AP."""
    while True:
        last_stop["kind"] = None
        try:
            gdb.execute("continue")
        except gdb.error:
            return              # the hook stopped it, and said where
        if last_stop["kind"] != "filtered":
            return


def at_first_prompt(_prompt=None):
    """At the first prompt with a CPU to ask (GDB takes neither setting before it is
    connected):
    - only the CPU being stepped runs during stepi, nexti, step and next (continue still
      runs them all): with every vCPU running during a step, QEMU's gdbstub now and then
      reported the step done with the CPU where it was (measured: 2 of 7 TUI test runs
      under TCG, none of 8 with this);
    - under KVM, GDB's int3s become hardware breakpoints (guest.kernel_code_read_only)."""
    if gdb.selected_thread() is None or gdb.selected_thread().is_running():
        return
    gdb.events.before_prompt.disconnect(at_first_prompt)
    gdb.execute("set scheduler-locking step")
    if guest.under_kvm():
        guest.kernel_code_read_only()


def install():
    gdb.events.stop.connect(on_stop)
    gdb.events.before_prompt.connect(at_first_prompt)
