"""The breakpoints behind `smplab break-modes` and `smplab step-mode`.

All of them are hardware breakpoints. Software ones would be wrong twice
here: one set before `tramp install` is overwritten by the copy, and on
this machine's KVM any int3 stops QEMU. Hardware breakpoints match the
linear address, in every mode, so one set at vector * 4096 catches the
AP's first real-mode instruction. KVM offers 4 at once, so the mode
stops are armed as a moving window: the next few the AP will reach.

Where the trampoline goes is learnt by a breakpoint at the entry of
tramp_install(vector): its argument (RDI) says where the copy will land,
and the mode breakpoints are armed there before the copy is made. That
breakpoint never stops the user: its stop() does the arming and says no.
"""
import gdb

from . import guest, labels

# The stops of break-modes, in the order an AP reaches them.
MODE_STOPS = ["rm_entry", "pm_entry", "lm_entry", "ap_entry"]
KVM_LIMIT = 4
TCG_LIMIT = 16
INSTALL_HOOK = "tramp_install"


class SmplabBreakpoint(gdb.Breakpoint):
    """A hardware breakpoint smplab owns, named after what it marks."""

    def __init__(self, address, name, apic_filter=None):
        super().__init__("*0x%x" % address, type=gdb.BP_HARDWARE_BREAKPOINT, internal=True)
        self.smplab_name = name
        self.smplab_address = address
        self.apic_filter = apic_filter

    def stop(self):
        # GDB asks only when it recognised the hit ($pc == address): in
        # protected and long mode. Real-mode hits come as a bare SIGTRAP
        # and are sorted out in the stop handler.
        if self.apic_filter is None:
            return True
        return guest.apic_id_of_cpu(guest.cpu_index()) == self.apic_filter


class InstallHook(SmplabBreakpoint):
    """At the entry of tramp_install(vector): arm the mode stops where the
    copy will land, then let the kernel run on."""

    def __init__(self, address):
        super().__init__(address, "install-hook")

    def stop(self):
        vector = int(gdb.parse_and_eval("$rdi")) & 0xFF
        BREAKS.installing(vector)
        print("smplab: the kernel installs the trampoline at vector 0x%02x (0x%x); "
              "the mode breakpoints are armed there" % (vector, vector << 12))
        return False


class Breaks:
    """Owns every breakpoint smplab arms, within the accelerator's limit."""

    def __init__(self):
        self.labels = None
        self.base = None           # where the trampoline is or is about to be
        self.modes_on = False
        self.apic = None           # only this AP stops, or None for any
        self.cursor = 0            # index in MODE_STOPS of the next stop
        self.hook = None
        self.armed = []            # SmplabBreakpoint
        self.extra = None          # step-mode's one-off target
        self.limit = None
        self.lifted_bp = None      # lift_until_stop's

    def load(self):
        if self.labels is None:
            self.labels = labels.read_labels()
            self.limit = KVM_LIMIT if guest.under_kvm() else TCG_LIMIT
        if self.base is None:
            self.base = guest.tramp_base()

    def address_of(self, name):
        if name == "ap_entry":
            return int(gdb.parse_and_eval("&ap_entry").cast(gdb.lookup_type("long")))
        if self.base is None:
            return None
        return self.base + self.labels[name]

    def start_modes(self, apic):
        self.load()
        self.modes_on, self.apic, self.cursor = True, apic, 0
        self.rearm()

    def stop_modes(self):
        self.modes_on = False
        self.rearm()

    def clear_armed(self, keep_hook):
        for bp in self.armed:
            bp.delete()
        self.armed = []
        if self.hook is not None and not keep_hook:
            self.hook.delete()
            self.hook = None

    def rearm(self):
        """Arm the hook and the next mode stops that fit the limit. The hook
        stays as it is: rearm() runs inside its stop(), where GDB must not
        lose the breakpoint it is asking about."""
        self.clear_armed(keep_hook=self.modes_on)
        if not self.modes_on and self.extra is None:
            return
        budget = self.limit
        if self.extra is not None:
            self.armed.append(SmplabBreakpoint(self.extra[1], self.extra[0], self.extra[2]))
            budget -= 1
        if not self.modes_on:
            return
        if self.hook is None:
            self.hook = InstallHook(
                int(gdb.parse_and_eval("&" + INSTALL_HOOK).cast(gdb.lookup_type("long"))))
        budget -= 1
        for i in range(min(budget, len(MODE_STOPS))):
            name = MODE_STOPS[(self.cursor + i) % len(MODE_STOPS)]
            address = self.address_of(name)
            if address is not None:
                self.armed.append(SmplabBreakpoint(address, name, self.apic))

    def installing(self, vector):
        """The kernel is about to install the trampoline at vector."""
        self.base = vector << 12
        self.rearm()

    def reached(self, name):
        """The watched AP reached a mode stop: move the window past it."""
        if name in MODE_STOPS:
            self.cursor = (MODE_STOPS.index(name) + 1) % len(MODE_STOPS)
            self.rearm()

    def active(self):
        return bool(self.armed) or self.hook is not None

    def at(self, address):
        """The smplab breakpoint armed at a linear address, or None."""
        for bp in self.armed + ([self.hook] if self.hook else []):
            if bp.smplab_address == address:
                return bp
        return None

    def lifted(self, address):
        """Context manager: the breakpoint at address is out of the way."""
        return _Lifted(self.at(address))

    def lift_until_stop(self, address):
        """GDB's own stepi is about to run from address: the breakpoint
        there is out of its way until the next stop (put_back)."""
        bp = self.at(address)
        if bp is not None:
            bp.enabled = False
            self.lifted_bp = bp

    def put_back(self):
        bp, self.lifted_bp = self.lifted_bp, None
        if bp is not None and bp.is_valid():
            bp.enabled = True


class _Lifted:
    def __init__(self, bp):
        self.bp = bp

    def __enter__(self):
        if self.bp is not None:
            self.bp.enabled = False

    def __exit__(self, *exc):
        if self.bp is not None and self.bp.is_valid():
            self.bp.enabled = True
        return False


BREAKS = Breaks()
