"""Reading smplab's own state out of guest memory: the trampoline's
place, the CPUs from the MADT, each AP's cpu_data and stage record.
Needs GDB and the kernel's symbols (build/smplab.elf)."""
import gdb

from smplab import layout

from . import cpustate

LAYOUT = layout.load()
STAGES = LAYOUT.stage_names
STAGE_TIMED = len(LAYOUT.timed)
STEP_NAMES = LAYOUT.step_names


def value(expr):
    return gdb.parse_and_eval(expr)


def tramp_base():
    """Physical base of the installed trampoline, or None."""
    vector = int(value("installed_vector"))
    return None if vector < 0 else vector << 12


def cpu_count():
    return int(value("acpi.madt.ncpus"))


def apic_id_of_cpu(index):
    """QEMU numbers CPUs in MADT order; before ACPI is read, assume index."""
    if index < cpu_count():
        return int(value("acpi.madt.cpus[%d].apic_id" % index))
    return index


def slot_count():
    """CPUs with a slot: the first ones of the MADT (kernel/smp/ap_state.c)."""
    return int(value("ap_slot_count"))


def slot_of(apic_id):
    """The slot (CPU number) of an APIC ID, or None."""
    for i in range(slot_count()):
        if int(value("acpi.madt.cpus[%d].apic_id" % i)) == apic_id:
            return i
    return None


def ap_slots():
    """[(slot, APIC ID)] of the enabled APs with a slot, in MADT order (QEMU's CPU 0 is
    the BSP)."""
    aps = []
    for i in range(1, slot_count()):
        cpu = value("acpi.madt.cpus[%d]" % i)
        if bool(cpu["enabled"]):
            aps.append((i, int(cpu["apic_id"])))
    return aps


def cpu_data(slot):
    """The struct cpu_data of the AP in this slot, or None."""
    pointer = value("cpu_table[%d]" % slot)
    return None if int(pointer) == 0 else pointer.dereference()


def ap_view(slot, apic_id):
    """What `status` shows for the AP in this slot, as a dict. GDB cannot read the
    clock: an AP has timed out if it had when the kernel last judged (ap_view_clock,
    kernel/smp/ap_state.c), as the monitor's last `status` or `boot` did."""
    start = value("aps[%d].start" % slot)
    step = STEP_NAMES[int(start["step"])]
    cd = cpu_data(slot)
    view = {"apic_id": apic_id, "state": step, "sipis": int(start["sipis"]),
            "times": [None] * STAGE_TIMED, "fault": None, "timeout": None, "no_init": False,
            "stack_overflow": cd is not None and int(cd["stack_base"]) != 0 and
            not stack_intact(int(cd["stack_base"]))}
    if step != "sipi":
        return view
    mhz = int(value("tsc_frequency")) // 1000000
    sipi_tsc = int(start["sipi_tsc"])
    stage = 0
    if int(start["record"]):
        record = start["record"].dereference()
        stage = int(record["stage"])
        if stage:
            view["state"] = stage_name(stage)
        for i in range(STAGE_TIMED):
            tsc = int(record["tsc"][i])
            if tsc:
                view["times"][i] = microseconds(tsc - sipi_tsc, mhz)
        if view["state"] == "fault":
            view["fault"] = (exception_name(int(record["fault_vector"])),
                             int(record["fault_error"]), int(record["fault_ip"]),
                             stage_name(int(record["fault_stage"])))
    clock = value("ap_view_clock")
    if (int(clock["tsc"]) and view["state"] not in LAYOUT.final and
            microseconds(int(clock["tsc"]) - sipi_tsc, mhz) > int(clock["timeout_ms"]) * 1000):
        view["state"], view["timeout"] = "timeout", stage_name(stage)
        view["no_init"] = bool(int(start["no_init"])) and stage == 0
    return view


def stack_intact(stack_base):
    """Is the canary below an AP's stack whole (cpu_data_stack_intact, kernel/smp/cpu_data.c):
    the padding page under stack_base and the stack's lowest word?"""
    canary = LAYOUT["STACK_CANARY_HIGH"] << 32 | LAYOUT["STACK_CANARY_LOW"]
    padding = LAYOUT["STACK_PADDING"]
    words = bytes(gdb.selected_inferior().read_memory(stack_base - padding, padding + 8))
    return words == canary.to_bytes(8, "little") * (len(words) // 8)


def stage_name(code):
    """A stage record's code in the monitor's word (record_stage_name)."""
    return STAGES[code] if code < LAYOUT["STAGE_RECORDED"] else "corrupt"


def microseconds(cycles, mhz):
    """A TSC difference (64-bit, may be negative) in microseconds, truncated toward
    zero as the kernel's int64_t division does."""
    signed = (cycles + (1 << 63)) % (1 << 64) - (1 << 63)
    return signed // mhz if signed >= 0 else -(-signed // mhz)


def exception_name(vector):
    """The kernel's own name for a vector (kernel/arch/exceptions.c), so that
    GDB and the monitor use the same words."""
    name = value("exception_names[%d]" % vector) if vector < 32 else None
    if name is None or int(name) == 0:
        return "reserved vector"
    return name.string()


def read_physical_u64(address):
    """One 8-byte word of physical memory, through QEMU's monitor (GDB
    itself reads through the selected CPU's page tables)."""
    text = gdb.execute("monitor xp /1gx 0x%x" % address, to_string=True)
    return int(text.split(":")[1].split()[0], 16)


# QEMU's view of each CPU, kept until the CPUs run or GDB writes a register or
# memory: `x/8i` asks the disassembler eight times, and each ask of QEMU's monitor
# is a round trip.
_states = {}


def forget_states(_event=None):
    _states.clear()


def cpu_state(thread=None):
    """QEMU's view of a CPU (default: the selected thread's)."""
    index = cpu_index(thread)
    if index not in _states:
        gdb.execute("monitor cpu %d" % index, to_string=True)
        _states[index] = cpustate.CpuState(
            gdb.execute("monitor info registers", to_string=True))
    return _states[index]


def watch_for_changes():
    for event in (gdb.events.stop, gdb.events.cont, gdb.events.register_changed,
                  gdb.events.memory_changed, gdb.events.exited):
        event.connect(forget_states)


def cpu_index(thread=None):
    return (thread or gdb.selected_thread()).ptid[1] - 1


def kernel_code_read_only():
    """Tell GDB the kernel's code is read-only memory. GDB then sets hardware breakpoints
    there where it would write an int3 (`set breakpoint auto-hw`, on by default): for
    `break`, `tbreak` and the breakpoint `finish` and `until` leave at the caller. Under
    this machine's nested KVM an int3 from GDB ends QEMU's gdbstub connection. Once GDB
    knows of one memory region it reads only inside known ones, so the rest is listed
    read-write."""
    start = int(value("(long)kernel_text_start"))
    end = int(value("(long)kernel_text_end"))
    for low, high, access in ((0, start, "rw"), (start, end, "ro"), (end, 0, "rw")):
        gdb.execute("mem 0x%x 0x%x %s" % (low, high, access), to_string=True)


def under_kvm():
    return "enabled" in gdb.execute("monitor info kvm", to_string=True)
