"""The `smplab` commands for GDB."""
import gdb

from . import apfilter, context, control, cpustate, disassembler, guest, hooks, labels, symbols, tui
from .breaks import BREAKS, MODE_STOPS


def parse_int(text, what):
    try:
        return int(gdb.parse_and_eval(text))
    except gdb.error:
        raise gdb.GdbError("smplab: %s '%s' is not a number" % (what, text))


class Smplab(gdb.Command):
    """smplab: step an AP from real mode to long mode.

With smplab loaded, GDB's own continue, stepi, nexti, x/i, display/i,
disassemble and the TUI work in every mode. The smplab commands are their
explained versions, and more:
  smplab break-modes [APIC]  stop at each mode switch, then at ap_entry
  smplab step-mode           run this AP to its next mode switch
  smplab si [N]              step N instructions, printing each
  smplab continue            continue, on past other APs' stops
  smplab mode                this CPU's mode, control registers, segments
  smplab disas [N]           the next N instructions in the CPU's width
  smplab status              each AP's stage, read from guest memory
  smplab cpudata [APIC]      an AP's struct cpu_data
  smplab walk ADDR           page walk of ADDR through this CPU's CR3
  smplab gdt                 the GDT this CPU has loaded"""

    def __init__(self):
        super().__init__("smplab", gdb.COMMAND_USER, prefix=True)

    def invoke(self, arg, from_tty):
        gdb.execute("help smplab")


class BreakModes(gdb.Command):
    """Stop at every mode switch of the trampoline: rm_entry (real mode),
pm_entry (protected), lm_entry (long), then ap_entry (C). Works before or
after `tramp install`, at any vector. With APIC, only that AP stops.
`smplab break-modes off` removes them."""

    def __init__(self):
        super().__init__("smplab break-modes", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        if arg == "off":
            BREAKS.stop_modes()
            apfilter.follow(None)
            print("smplab: mode breakpoints removed")
            return
        apic = parse_int(arg, "APIC ID") if arg else None
        BREAKS.start_modes(apic)
        apfilter.follow(apic)
        hooks.warn_if_replaced()
        where = ("at 0x%x" % BREAKS.base if BREAKS.base is not None
                 else "once the kernel installs the trampoline")
        print("smplab: breaking at %s %s%s; %d hardware breakpoints at a time" % (
            ", ".join(MODE_STOPS), where,
            "" if apic is None else ", APIC ID %d only" % apic, BREAKS.limit))


class StepMode(gdb.Command):
    """Run this AP until it reaches its next mode switch (rm_entry, pm_enter,
pm_entry, lm_enter, lm_entry, c_call, then ap_entry)."""

    def __init__(self):
        super().__init__("smplab step-mode", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        BREAKS.load()
        state = guest.cpu_state()
        name = labels.next_switch(BREAKS.labels, BREAKS.base, state.linear_pc)
        address = BREAKS.address_of(name or "ap_entry")
        apic = guest.apic_id_of_cpu(guest.cpu_index())
        modes_were_on = BREAKS.modes_on
        BREAKS.modes_on = False          # the one target fits any limit
        BREAKS.extra = (name or "ap_entry", address, apic)
        BREAKS.rearm()
        try:
            control.resume()
        finally:
            BREAKS.extra = None
            BREAKS.modes_on = modes_were_on
            BREAKS.rearm()


class StepInstruction(gdb.Command):
    """Step N instructions (default 1) in whatever mode the CPU is in,
also from one of smplab's breakpoints; each step prints its instruction."""

    def __init__(self):
        super().__init__("smplab si", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        count = parse_int(arg, "N") if arg.strip() else 1
        for _ in range(count):
            control.step_one()
            print(context.one_line(guest.cpu_state()))


class Continue(gdb.Command):
    """Continue, stepping off one of smplab's breakpoints first."""

    def __init__(self):
        super().__init__("smplab continue", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        control.resume()


class ShowMode(gdb.Command):
    """This CPU's mode, its control registers decoded, its segments and the
linear address of its next instruction."""

    def __init__(self):
        super().__init__("smplab mode", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        state = guest.cpu_state()
        print("%s: %s" % (context.who(), cpustate.describe_mode(state.mode)))
        print("  next instruction  %s" % state.where())
        print("  CR0  0x%08x  %s" % (state.cr0, cpustate.flag_names(state.cr0, cpustate.CR0_BITS)))
        print("  CR3  0x%08x" % state.regs.get("CR3", 0))
        cr4 = state.regs.get("CR4", 0)
        print("  CR4  0x%08x  %s" % (cr4, cpustate.flag_names(cr4, cpustate.CR4_BITS)))
        print("  EFER 0x%08x  %s" % (state.efer, cpustate.flag_names(state.efer, cpustate.EFER_BITS)))
        for name in ("CS", "DS", "SS"):
            seg = state.segments[name]
            print("  %s   %04x  base 0x%x limit 0x%x flags 0x%08x" % (
                name, seg.selector, seg.base, seg.limit, seg.flags))


class Disassemble(gdb.Command):
    """The next N instructions (default 8), decoded in the CPU's width."""

    def __init__(self):
        super().__init__("smplab disas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        count = parse_int(arg, "N") if arg.strip() else 8
        state = guest.cpu_state()
        for i, (address, _, text, linear) in enumerate(context.decode_at(state, count)):
            print(context.format_insn(state, address, text, linear, i == 0))


# The same columns as the monitor's `status`: the stage table's (smplab.layout).
TIME_COLUMNS = [(s["column"], s["name"]) for s in guest.LAYOUT.timed]


class Status(gdb.Command):
    """Each AP's state and stage times, read from guest memory, in the
monitor's words. An AP is 'timeout' if it was when the kernel last looked
(the monitor's last `status`, or a wait of `boot`): GDB cannot read the
clock itself."""

    def __init__(self):
        super().__init__("smplab status", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        print("APIC  state       SIPIs" + "".join(" %*s" % c for c in TIME_COLUMNS) +
              "   (us after SIPI)")
        for slot, apic in guest.ap_slots():
            v = guest.ap_view(slot, apic)
            line = "%4d  %-10s  %5d" % (apic, v["state"], v["sipis"])
            for (width, _), t in zip(TIME_COLUMNS, v["times"]):
                line += " %*s" % (width, "-" if t is None else t)
            if v["fault"]:
                name, error, ip, stage = v["fault"]
                line += "   %s, error code 0x%x, at 0x%x, after stage %s" % (
                    name, error, ip, stage)
            elif v["timeout"]:
                line += "   no answer; last stage: %s%s" % (
                    v["timeout"], " (no INIT before the SIPI: 'init APIC' first)"
                    if v["no_init"] else "")
            if v["stack_overflow"]:
                line += "   STACK OVERFLOW (canary overwritten)"
            print(line)


class CpuData(gdb.Command):
    """An AP's struct cpu_data (all of them without APIC)."""

    def __init__(self):
        super().__init__("smplab cpudata", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            apic = parse_int(arg, "APIC ID")
            aps = [(guest.slot_of(apic), apic)]
        else:
            aps = guest.ap_slots()
        shown = 0
        for slot, apic in aps:
            cd = guest.cpu_data(slot) if slot is not None else None
            if cd is None:
                if arg.strip():
                    print("APIC %d: no cpu_data" % apic)
                continue
            shown += 1
            entry = int(cd["entry"])
            print("APIC %d: cpu_data at 0x%x" % (apic, int(cd.address)))
            print("  apic_id    %d\n  index      %d" % (int(cd["apic_id"]), int(cd["index"])))
            print("  entry      0x%x <%s>" % (entry, context.place_name(entry) or "?"))
            print("  stack      0x%x-0x%x (%d KiB), top 0x%x" % (
                int(cd["stack_base"]), int(cd["stack_top"]) - 1,
                int(cd["stack_size"]) // 1024, int(cd["stack_top"])))
            print("  cr3        0x%x\n  record     0x%x" % (int(cd["cr3"]), int(cd["record"])))
        if not shown and not arg.strip():
            print("no cpu_data yet")


class Walk(gdb.Command):
    """Walk ADDR through this CPU's CR3 (4-level paging, SDM Vol 3A 4.5)."""

    def __init__(self):
        super().__init__("smplab walk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        from . import paging
        address = parse_int(arg, "ADDR")
        state = guest.cpu_state()
        if not state.cr0 & cpustate.CR0_PG:
            print("paging is off on this CPU: linear 0x%x is physical 0x%x" % (address, address))
            return
        for line in paging.walk(state.regs["CR3"], address, guest.read_physical_u64):
            print(line)


class Gdt(gdb.Command):
    """Decode the GDT this CPU has loaded (SDM Vol 3A 3.4.5)."""

    def __init__(self):
        super().__init__("smplab gdt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        from . import paging
        state = guest.cpu_state()
        base, limit = state.tables["GDT"]
        print("GDTR base 0x%x limit 0x%x" % (base, limit))
        raw = bytes(gdb.selected_inferior().read_memory(base, limit + 1))
        for line in paging.describe_gdt(raw):
            print(line)


def register():
    for command in (Smplab, BreakModes, StepMode, StepInstruction, Continue, ShowMode,
                    Disassemble, Status, CpuData, Walk, Gdt):
        command()
    control.install()
    apfilter.install()
    hooks.install()
    guest.watch_for_changes()
    disassembler.install()
    tui.install()
    symbols.follow(None)
