"""Start smplab in QEMU: the one launcher behind `make run`, `make debug` and the tests.

    python3 tools/launch.py [--kernel ELF] [--smp 4] [--accel auto|kvm|tcg] [--mem 128M]
                            [--boot kernel|iso] [--firmware bios|uefi] [--machine pc|q35]
                            [--grub-entry multiboot2|multiboot] [--iso ISO]
                            [--extra "QEMU ARGS"] [--gdb PORT] [--paused] [--qmp PATH]
                            [--pause-on-reset] [--serial-only] [--print-cmd]

Boot path: --boot kernel (the default) is QEMU's -kernel, which loads the 32-bit ELF by
multiboot 1 and works with SeaBIOS only. --boot iso boots build/smplab.iso (make iso) from a
CD-ROM: GRUB, then the kernel by multiboot 2 (or multiboot 1: --grub-entry multiboot, passed
to GRUB as the SMBIOS OEM string smplab-entry=ID that kernel/boot/grub.cfg reads). --firmware
uefi is OVMF (Debian's ovmf package) with a private copy of its variables file under
build/ovmf/, removed when the launcher ends. --machine q35 is the PCIe chipset (pc is i440FX).

The serial port COM1 is this process's stdin/stdout. On a terminal it is `-serial mon:stdio`
with signal=off: Ctrl-C goes to the guest's line editor, Ctrl-A x quits, Ctrl-A c toggles the
QEMU monitor. With --serial-only, and on pipes, the terminal is COM1 alone: every byte,
Ctrl-A and Ctrl-C too, goes to the guest (what smplab.machine asks for: the tests type
random bytes). stdout carries only QEMU's own output; the launcher's messages go to stderr,
prefixed "smplab: ".

Accelerator: auto = KVM when /dev/kvm opens read-write (kvm_usable()), else TCG. Under KVM the
CPU is `-cpu host,-arch-capabilities` (it offers x2APIC; plain `host` and `max` abort on this
machine's nested KVM with "failed to set MSR 0x10a"). If QEMU dies before the guest is started
with it, the launcher says so and starts again with QEMU's default CPU model.

Why QEMU stopped: QEMU always runs with -S and a private QMP socket (in a temp dir); the
launcher completes the QMP handshake, sends `cont` (not with --paused), then reads events
until QEMU exits. Outcomes (reason strings measured with QEMU 7.2):
  * exit status 165 = the guest wrote 0x52 to port 0xf4 (isa-debug-exit, status
    (0x52 << 1) | 1): the monitor's `reboot`. QEMU is started again, same args, same stdio.
  * SHUTDOWN reason "guest-reset" (a triple fault, or a reset through port 0xcf9/0x64; with
    -no-reboot QEMU then exits 0): a one-sentence explanation and exit status 2.
    With --pause-on-reset (-action shutdown=pause) QEMU stops the CPUs instead, run state
    "shutdown", each CPU's registers as the reset found them (HMP `info registers -a`);
    the launcher says so and waits for QEMU to be told to quit.
  * STOP with status "internal-error" (KVM could not emulate an instruction: on this
    project's nested kvm_pvm, OVMF's first instructions in flash): with --accel auto the
    launcher starts again under TCG; with --accel kvm it says so, exit status 3.
  * "host-qmp-quit" (Ctrl-A x, QMP quit), "host-signal" (SIGINT/SIGTERM), "host-ui",
    "guest-shutdown": exit 0 quietly. Any other QEMU status is passed through (128+N for
    signal N). QMP `system_reset` with -no-reboot ends QEMU as "host-qmp-system-reset" (exit 0).

--qmp PATH adds a second QMP server at PATH (-qmp unix:PATH,server=on,wait=off) for tests:
the socket exists before the guest runs; use smplab.qmp.Qmp or smplab.machine.Machine.qmp()
and .hmp() (human-monitor-command, e.g. "info registers"). After a reboot QEMU recreates it.

SIGINT/SIGTERM/SIGHUP are forwarded to QEMU. QEMU stays in the launcher's process group and
gets PR_SET_PDEATHSIG (SIGKILL), so killing the launcher, even with SIGKILL, ends QEMU too.
"""
import argparse
import ctypes
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

from smplab import ROOT
from smplab.qmp import Qmp, QmpError

DEFAULT_KERNEL = os.path.join(ROOT, "build", "smplab32.elf")
DEFAULT_ISO = os.path.join(ROOT, "build", "smplab.iso")
OVMF_DIR = os.path.join(ROOT, "build", "ovmf")
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
QEMU = "qemu-system-x86_64"
KVM_CPU = "host,-arch-capabilities"
DEBUG_EXIT_PORT = 0xF4
REBOOT_BYTE = 0x52
REBOOT_STATUS = (REBOOT_BYTE << 1) | 1          # 165
TRIPLE_FAULT_STATUS = 2
TRIPLE_FAULT_MSG = ("the machine reset itself (triple fault?) and -no-reboot stopped QEMU; "
                    "look at the last lines printed above.")
PAUSED_ON_RESET_MSG = ("the machine reset itself (triple fault?); QEMU paused it with every "
                      "CPU's registers as they were: `info registers -a` in the QEMU "
                      "monitor shows them")
REBOOT_MSG = "reboot requested, starting the machine again"
INTERNAL_ERROR = "internal-error"
INTERNAL_ERROR_STATUS = 3
INTERNAL_ERROR_MSG = ("KVM could not run the guest (\"KVM internal error\" above: some nested "
                      "hypervisors cannot run OVMF's code in flash)")


def kvm_usable():
    """True when /dev/kvm can be opened read-write (the test for --accel auto)."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    os.close(fd)
    return True


def say(msg):
    print("smplab: " + msg, file=sys.stderr, flush=True)


def boot_argv(opts, vars_path):
    """The machine, firmware and boot device."""
    argv = ["-machine", opts.machine]
    if opts.firmware == "uefi":
        argv += ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + OVMF_CODE,
                 "-drive", "if=pflash,format=raw,unit=1,file=" + vars_path]
    if opts.boot == "kernel":
        return argv + ["-kernel", opts.kernel]
    return argv + ["-cdrom", opts.iso, "-boot", "d",
                   "-smbios", "type=11,value=smplab-entry=" + opts.grub_entry]


def qemu_argv(opts, accel, cpu, qmp_path, mux, vars_path=None):
    argv = [QEMU] + boot_argv(opts, vars_path) + [
            "-no-reboot", "-display", "none",
            "-smp", opts.smp, "-m", opts.mem, "-accel", accel,
            "-device", "isa-debug-exit,iobase=0x%x,iosize=0x04" % DEBUG_EXIT_PORT,
            "-qmp", "unix:%s,server=on,wait=off" % qmp_path, "-S"]
    if mux:
        argv += ["-chardev", "stdio,id=con0,mux=on,signal=off",
                 "-serial", "chardev:con0", "-mon", "chardev=con0,mode=readline"]
    else:
        argv += ["-chardev", "stdio,id=con0,signal=off", "-serial", "chardev:con0"]
    if cpu:
        argv += ["-cpu", cpu]
    if opts.qmp:
        argv += ["-qmp", "unix:%s,server=on,wait=off" % os.path.abspath(opts.qmp)]
    if opts.gdb:
        argv += ["-gdb", "tcp::%d" % opts.gdb]
    if opts.pause_on_reset:
        argv += ["-action", "shutdown=pause"]     # -no-reboot made a reset a shutdown
    return argv + shlex.split(opts.extra or "")


def _pdeathsig():
    """preexec_fn factory: the child gets SIGKILL when the launcher dies."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    PR_SET_PDEATHSIG = 1

    def child():
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:      # the launcher died before prctl took effect
            os._exit(1)
    return child


class Launcher:
    def __init__(self, opts):
        self.opts = opts
        self.proc = None
        self.stopping = False

    def forward(self, signum, _frame):
        self.stopping = True
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signum)

    def run_once(self, accel, cpu, mux, vars_path):
        """Run QEMU to its end. Returns (status, shutdown reason or None, guest started?).
        The private socket's temp dir is removed as soon as the launcher is connected, so
        not even a SIGKILLed launcher leaves it behind."""
        tmp = tempfile.mkdtemp(prefix="smplab-")
        qmp_path = os.path.join(tmp, "qmp.sock")
        reason, started, qmp = None, False, None
        try:
            self.proc = subprocess.Popen(qemu_argv(self.opts, accel, cpu, qmp_path, mux,
                                                   vars_path),
                                         preexec_fn=_pdeathsig())
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        try:
            qmp = Qmp(qmp_path, self.proc, timeout=60)
            shutil.rmtree(tmp, ignore_errors=True)
            if not self.opts.paused:
                qmp.command("cont")
            started = True
            while True:
                msg = qmp.read()
                if msg.get("event") == "SHUTDOWN":
                    reason = msg.get("data", {}).get("reason")
                    if self.opts.pause_on_reset:
                        if reason == "guest-reset":
                            say(PAUSED_ON_RESET_MSG)
                        else:                           # only a reset pauses
                            qmp.command("quit")
                elif msg.get("event") == "STOP" and \
                        qmp.command("query-status").get("status") == "internal-error":
                    reason = INTERNAL_ERROR
                    self.proc.kill()
        except QmpError as e:
            if self.proc.poll() is None:
                say("%s; stopping QEMU" % e)
                self.proc.kill()
        except (EOFError, OSError, ValueError):
            pass
        finally:
            if qmp:
                qmp.close()
            shutil.rmtree(tmp, ignore_errors=True)
        status = self.proc.wait()
        return status, reason, started

    def run(self):
        opts = self.opts
        if opts.accel == "auto":
            accel = "kvm" if kvm_usable() else "tcg"
        elif opts.accel == "kvm" and not kvm_usable():
            say("--accel kvm, but /dev/kvm cannot be opened read-write; use --accel tcg")
            return 1
        else:
            accel = opts.accel
        extra = shlex.split(opts.extra or "")
        cpu = KVM_CPU if accel == "kvm" and "-cpu" not in extra else None
        tty = os.isatty(0)
        mux = tty and not opts.serial_only
        vars_path = os.path.join(OVMF_DIR, "vars-%d.fd" % os.getpid())
        if opts.print_cmd:
            qmp_path = os.path.join(tempfile.gettempdir(), "smplab-XXXXXXXX", "qmp.sock")
            print(shlex.join(qemu_argv(opts, accel, cpu, qmp_path, mux, vars_path)))
            return 0
        problem = boot_problem(opts)
        if problem:
            say(problem)
            return 1
        if opts.firmware == "uefi":
            os.makedirs(OVMF_DIR, exist_ok=True)
            shutil.copyfile(OVMF_VARS, vars_path)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self.forward)
        saved_tty = _save_tty() if tty else None
        if mux:
            say("%s, -smp %s; Ctrl-A x quits, Ctrl-A c toggles the QEMU monitor" % (accel, opts.smp))
        if opts.gdb:
            say("gdbstub on tcp::%d%s" % (opts.gdb, ", QEMU paused" if opts.paused else ""))
        try:
            while not self.stopping:
                status, reason, started = self.run_once(accel, cpu, mux, vars_path)
                if self.stopping:
                    return 0 if status in (0, -signal.SIGINT, -signal.SIGTERM) else _code(status)
                if reason == INTERNAL_ERROR:
                    if self.opts.accel == "auto" and accel == "kvm":
                        say(INTERNAL_ERROR_MSG + "; starting again under TCG")
                        accel, cpu = "tcg", None
                        continue
                    say(INTERNAL_ERROR_MSG + "; try --accel tcg")
                    return INTERNAL_ERROR_STATUS
                if not started and cpu == KVM_CPU:
                    say("QEMU refused -cpu %s; trying again with its default CPU model" % cpu)
                    cpu = None
                    continue
                if status == REBOOT_STATUS:
                    say(REBOOT_MSG)
                    continue
                if reason == "guest-reset":
                    say(TRIPLE_FAULT_MSG)
                    return TRIPLE_FAULT_STATUS
                return _code(status)
            return 0
        finally:
            if self.proc and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            if saved_tty:
                _restore_tty(saved_tty)
            if opts.firmware == "uefi" and os.path.exists(vars_path):
                os.remove(vars_path)


def boot_problem(opts):
    """Why this boot path cannot start here, or None."""
    if not shutil.which(QEMU):
        return "%s is not installed (make deps)" % QEMU
    if opts.boot == "kernel" and opts.firmware == "uefi":
        return ("--boot kernel needs --firmware bios: QEMU's -kernel loads a multiboot "
                "kernel only under SeaBIOS; boot the GRUB image with --boot iso")
    image = opts.kernel if opts.boot == "kernel" else opts.iso
    if not os.path.exists(image):
        return "no %s at %s (run make%s first)" % (
            "kernel" if opts.boot == "kernel" else "image", image,
            "" if opts.boot == "kernel" else " iso")
    if opts.firmware == "uefi":
        for path in (OVMF_CODE, OVMF_VARS):
            if not os.path.exists(path):
                return "no OVMF firmware at %s (make deps installs ovmf)" % path
    return None


def _code(status):
    return 128 - status if status < 0 else status


def _save_tty():
    try:
        import termios
        return termios.tcgetattr(0)
    except Exception:
        return None


def _restore_tty(attrs):
    import termios
    try:
        termios.tcsetattr(0, termios.TCSADRAIN, attrs)
    except termios.error:
        pass


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Start smplab in QEMU (serial on stdio).")
    p.add_argument("--kernel", default=DEFAULT_KERNEL, help="32-bit multiboot ELF")
    p.add_argument("--smp", default="4", help='passed to -smp, e.g. "4" or "6,sockets=2,cores=3"')
    p.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    p.add_argument("--mem", default="128M")
    p.add_argument("--boot", default="kernel", choices=("kernel", "iso"),
                   help="QEMU -kernel (multiboot 1, SeaBIOS only) or GRUB from the ISO")
    p.add_argument("--iso", default=DEFAULT_ISO, help="the GRUB image for --boot iso")
    p.add_argument("--grub-entry", default="multiboot2", choices=("multiboot2", "multiboot"),
                   help="the GRUB menu entry --boot iso starts")
    p.add_argument("--firmware", default="bios", choices=("bios", "uefi"),
                   help="SeaBIOS or OVMF")
    p.add_argument("--machine", default="pc", choices=("pc", "q35"))
    p.add_argument("--extra", default="", help="more QEMU arguments (shell-split)")
    p.add_argument("--gdb", type=int, metavar="PORT", help="gdbstub on tcp::PORT")
    p.add_argument("--paused", action="store_true", help="do not start the CPUs (for GDB)")
    p.add_argument("--qmp", metavar="PATH", help="extra QMP server socket for tests")
    p.add_argument("--pause-on-reset", action="store_true",
                   help="a guest reset pauses QEMU (CPUs as they were) instead of ending it")
    p.add_argument("--serial-only", action="store_true",
                   help="on a terminal too, the console is COM1 alone (no QEMU monitor)")
    p.add_argument("--print-cmd", action="store_true", help="print the QEMU command and exit")
    return p.parse_args(argv)


def main(argv=None):
    return Launcher(parse_args(argv)).run()


if __name__ == "__main__":
    sys.exit(main())
