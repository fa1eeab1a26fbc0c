"""Lab 8's grader: from what the kernel printed (`trace`, `status`) and
the AP's registers as QEMU shows them, say whether the learner's start-up
sequence and long-mode switch work, and if not, which step is wrong.
Pure functions over text, so the check can also grade known-wrong
solutions and prove each gets its hint."""
import re

INIT_DELAY_US = 10000
SIPI_DELAY_US = 200
CR4_PAE = 1 << 5
EFER_LME = 1 << 8
CR0_PG = 1 << 31

RESET_HINT = ("The machine reset itself (a triple fault) while the AP started: an exception "
              "hit with no usable exception table. In the long-mode switch that happens "
              "when paging goes on in the wrong paging mode, so that the page tables "
              "are read wrongly and the next fetch goes astray: check that CR4.PAE is "
              "set first (QEMU's TCG does not raise the #GP real CPUs give for that), "
              "that EFER.LME was set (without it the CPU uses 32-bit PAE paging and "
              "reads the PML4 as a page-directory-pointer table), and that CR3 was "
              "loaded from TP_CR3.")

_TRACE = re.compile(r"^\s*(\d+) us\s+(INIT|SIPI|delay) ?(\S+)?(?: vector 0x([0-9a-f]+)| us)?",
                    re.M)
_ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\d+)((?:\s+(?:-?\d+|-)){6})(.*)$", re.M)


def parse_trace(text):
    """[(kind, target, value)]: ('INIT', '1', None), ('SIPI', '1', 8), ('delay', None, 10000)."""
    events = []
    for m in _TRACE.finditer(text):
        kind = m.group(2)
        if kind == "delay":
            events.append(("delay", None, int(m.group(3))))
        elif kind == "SIPI":
            events.append(("SIPI", m.group(3), int(m.group(4), 16)))
        else:
            events.append(("INIT", m.group(3), None))
    return events


def waited_after(events, index):
    """Microseconds of delay right after events[index], before the next IPI."""
    total = 0
    for kind, _, value in events[index + 1:]:
        if kind != "delay":
            break
        total += value
    return total


def sequence_hints(events, target, vector):
    """What is wrong with the INIT-SIPI-SIPI steps taken, [] when nothing."""
    inits = [i for i, e in enumerate(events) if e[0] == "INIT"]
    sipis = [i for i, e in enumerate(events) if e[0] == "SIPI"]
    if not inits:
        return ["No INIT was sent: send INIT first (step_init). An AP only accepts a "
                "Startup IPI while it waits for one, and INIT is what puts it there "
                "(SDM Vol 3A 8.4.4.1)."]
    if not sipis:
        return ["INIT was sent but no Startup IPI: after the wait, step_sipi(target, "
                "vector) starts the AP at vector * 4096."]
    hints = []
    if sipis[0] < inits[0]:
        hints.append("The steps are out of order: a SIPI came before the INIT. The AP "
                     "ignores a SIPI unless INIT has just put it in wait-for-SIPI.")
    for i in inits + sipis:
        if events[i][1] != str(target):
            hints.append("%s went to %s, but the target is APIC %s: pass target on."
                         % (events[i][0], events[i][1], target))
            break
    first_after_init = next((i for i in sipis if i > inits[0]), None)
    if first_after_init is not None and waited_after(events, inits[0]) < INIT_DELAY_US:
        hints.append("You did not wait 10 ms after INIT before the SIPI "
                     "(step_wait_us(opt, 10000)): processors need that time to finish their "
                     "reset (MP spec B.4, SDM Vol 3A 8.4.4.1).")
    wrong = sorted({events[i][2] for i in sipis if events[i][2] != vector})
    if wrong:
        hints.append("Your SIPI carries vector 0x%02x, but the trampoline is at vector "
                     "0x%02x: the AP starts at vector * 4096, so pass vector on unchanged."
                     % (wrong[0], vector))
    if any(waited_after(events, i) < SIPI_DELAY_US for i in sipis):
        hints.append("Wait 200 us after each SIPI (step_wait_us(opt, 200)) before the next step.")
    return hints


def status_row(text, apic_id):
    """(state, [times], detail) of one AP's row in `status`."""
    for m in _ROW.finditer(text):
        if int(m.group(1)) == apic_id:
            return m.group(2), m.group(4).split(), m.group(5).strip()
    return None


def outcome_hint(row, regs):
    """None when the AP reached idle, else what its state and registers say.
    regs: {'CR0':..,'CR4':..,'EFER':..,'CR3':..} of the AP, or None."""
    state, _, detail = row
    if state == "idle":
        return None
    text = "The AP did not reach idle: status says '%s'%s." % (
        state, " (%s)" % detail if detail else "")
    if "after stage protected" in detail or state in ("protected",):
        if "#UD" in detail:
            return text + " The ud2 placeholder in long_mode.asm is still there: write the switch."
        if regs is not None:
            if not regs["CR4"] & CR4_PAE:
                return text + (" CR4.PAE is 0: long mode needs PAE page tables, so set "
                               "CR4.PAE before paging goes on (SDM Vol 3A 9.8.5).")
            if not regs["EFER"] & EFER_LME:
                return text + (" EFER.LME is 0: set it (rdmsr/wrmsr on MSR_EFER, with the "
                               "bits in TP_EFER) before turning paging on; without it "
                               "the CPU enters 32-bit PAE paging, not long mode.")
            if regs["CR3"] == 0:
                return text + " CR3 is 0: load it from TP_CR3 before turning paging on."
        return text + (" The switch to long mode went wrong: PAE, CR3, EFER.LME, then "
                       "CR0.PG, then the far jump through TP_LM_FAR.")
    if state in ("timeout", "sipi", "init", "offline"):
        return text + " The AP never ran the trampoline: check the steps above."
    return text
