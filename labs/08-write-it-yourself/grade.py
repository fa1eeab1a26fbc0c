"""Lab 8's grader: from what the kernel printed (`trace`, `status`) and
the AP's registers as QEMU shows them, say whether the learner's start-up
sequence and long-mode switch work, and if not, which step is wrong.
Pure functions over text, so the check can also grade known-wrong
solutions and prove each gets its hint."""
import re
from collections import namedtuple

from smplab_gdb.cpustate import describe_mode

INIT_DELAY_US = 10000
SIPI_DELAY_US = 200
CR0_PE = 1 << 0
CR4_PAE = 1 << 5
EFER_LME = 1 << 8
CR0_PG = 1 << 31

# Where the trampoline was when the machine reset: its base, the bytes of code and
# tables from there, and the address its parameter block's TP_LM_FAR holds (lm_entry's).
Trampoline = namedtuple("Trampoline", "base size lm_far")

RESET_HINT = ("The machine reset itself (a triple fault) while the AP started: an exception "
              "hit with no usable exception table. In the long-mode switch that happens "
              "when paging goes on in the wrong paging mode, so that the page tables "
              "are read wrongly and the next fetch goes astray: check that CR4.PAE is "
              "set first (QEMU's TCG does not raise the #GP real CPUs give for that), "
              "that EFER.LME was set (without it the CPU uses 32-bit PAE paging and "
              "reads the PML4 as a page-directory-pointer table), that CR3 was "
              "loaded from TP_CR3, and that the far jump goes through [ebp + TP_LM_FAR]: "
              "the label lm_entry itself is an offset from the trampoline's start "
              "(NASM assembled it at origin 0), and TP_LM_FAR holds base + lm_entry with "
              "the 64-bit code selector. A jump to the bare label lands in the first page "
              "of memory.")

_TRACE = re.compile(r"^\s*(\d+) us\s+(INIT|SIPI|delay) ?(\S+)?(?: vector 0x([0-9a-f]+)| us)?",
                    re.M)
_OTHER_OPT = "(not the opt start_sequence was given)"
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


def second_sipi_hints(events, target, vector):
    """For a run in which the AP never answered: the MP spec's second SIPI must follow."""
    sipis = [e for e in events if e[0] == "SIPI" and e[1] == str(target) and e[2] == vector]
    if len(sipis) < 2:
        return ["When the AP has not answered 200 us after the first SIPI, send a second "
                "one (MP spec B.4: a SIPI that came too early is lost, and the sending APIC "
                "does not retry it). step_all_answered(target) says whether every AP has "
                "started; here none had, and no second SIPI came."]
    return []


def opt_hints(trace_text):
    """step_wait_us must get the opt start_sequence was given: `boot ... fast` lives in it."""
    if _OTHER_OPT in trace_text:
        return ["Pass opt on to step_wait_us unchanged: it says whether `boot ... fast` "
                "skips the waits."]
    return []


def status_row(text, apic_id):
    """(state, [times], detail) of one AP's row in `status`."""
    for m in _ROW.finditer(text):
        if int(m.group(1)) == apic_id:
            return m.group(2), m.group(4).split(), m.group(5).strip()
    return None


_LAST_STAGE = re.compile(r"last stage: (\S+)")
# What an AP that stopped after a stage did not manage next.
_STUCK_AFTER = {
    "none": "The AP never ran the trampoline: check the INIT and SIPI steps above.",
    "real": "It stopped in real mode, before protected mode: the trampoline's own code; "
            "did a Startup IPI reach an AP that INIT had just reset?",
    "protected": "It stopped in protected mode, in long_mode.asm, and never reached "
                 "lm_entry: paging must go on (CR0.PG) and the far jump through "
                 "[ebp + TP_LM_FAR] must follow.",
    "long": "It reached long mode but not C: ESI (the slot) and EDI (the stage record) "
            "must come through long_mode.asm unchanged.",
    "c-entry": "It reached C but never said Hello: the code after c-entry ran in a "
               "wrong mode. A far jump loads CS with the 64-bit code segment; a near jmp, "
               "or none, leaves the AP in compatibility mode, where the 64-bit code that "
               "follows means something else. Jump far, through [ebp + TP_LM_FAR].",
}


def wp_hint(regs_text):
    """The AP's `on APIC regs`: CR0.WP must be on, as the BSP has it."""
    m = re.search(r"^CR0\s+0x[0-9a-f]+\s+(.*)$", regs_text, re.M)
    if m and "WP" not in m.group(1).split():
        return ("The AP reached idle, but its CR0.WP is 0 (`on APIC regs`): set WP with PG, "
                "as the BSP runs. Without it the kernel's code on the AP can write to "
                "pages the page tables mark read-only (SDM Vol 3A 2.5).")
    return None


def switch_hint(regs):
    """What the AP's control registers say its long-mode switch left out, or None.
    regs: {'CR3':..,'CR4':..,'EFER':..} of an AP in protected mode."""
    if not regs["CR4"] & CR4_PAE:
        return ("CR4.PAE is 0: long mode needs PAE page tables, so set CR4.PAE before "
                "paging goes on (SDM Vol 3A 9.8.5).")
    if not regs["EFER"] & EFER_LME:
        return ("EFER.LME is 0: set it (rdmsr/wrmsr on MSR_EFER, with the bits in "
                "TP_EFER) before turning paging on; without it the CPU enters 32-bit PAE "
                "paging, not long mode.")
    if regs["CR3"] == 0:
        return "CR3 is 0: load it from TP_CR3 before turning paging on."
    return None


def jump_hint(cpu, trampoline):
    """Where the AP ran, outside the trampoline, after paging went on: what its far jump
    did. trampoline: a Trampoline, or None when unknown."""
    ip = cpu.linear_pc
    if trampoline is None or trampoline.base <= ip < trampoline.base + trampoline.size:
        return None
    end = trampoline.base + trampoline.size - 1
    span = "the trampoline (0x%x-0x%x)" % (trampoline.base, end)
    if cpu.mode.name == "compatibility":
        return ("It was at 0x%x, outside %s, in compatibility mode: CS %04x is not the 64-bit "
                "code segment, so no far jump loaded it. A near jmp, or none, keeps the "
                "32-bit CS, and the 64-bit code after lm_entry means something else there. "
                "Jump far, through [ebp + TP_LM_FAR]." % (ip, span, cpu.cs.selector))
    if cpu.mode.name != "long" or ip >= trampoline.base:
        return None
    entry = trampoline.lm_far - trampoline.base
    return ("It was running at 0x%x, below %s: the far jump went to an unrelocated "
            "address. lm_entry is at 0x%x (base 0x%x + lm_entry 0x%x, what TP_LM_FAR "
            "holds); a jump to the bare label goes to 0x%x, its offset from the "
            "trampoline's start as NASM assembled it (origin 0). Jump far through "
            "[ebp + TP_LM_FAR]." % (ip, span, trampoline.lm_far, trampoline.base, entry, entry))


def reset_hint(cpu, trampoline):
    """The machine triple-faulted and QEMU paused it: what the AP's registers (cpu, a
    smplab_gdb CpuState) say, given where the trampoline was (a Trampoline, or None);
    the generic RESET_HINT when they name nothing."""
    regs = cpu.regs
    seen = ("QEMU kept the AP's registers: CR0=0x%x CR3=0x%x CR4=0x%x EFER=0x%x, %s, %s."
            % (regs["CR0"], regs.get("CR3", 0), regs.get("CR4", 0), cpu.efer, cpu.where(),
               describe_mode(cpu.mode)))
    if not cpu.cr0 & CR0_PE:
        return RESET_HINT + " " + seen
    specific = switch_hint({"CR3": regs.get("CR3", 0), "CR4": regs.get("CR4", 0),
                            "EFER": cpu.efer})
    if specific and not regs.get("CR4", 0) & CR4_PAE and cpu.efer & EFER_LME:
        specific += (" A real CPU raises #GP at the MOV to CR0 here; QEMU's TCG leaves "
                     "paging off instead, and the far jump runs 64-bit code as 16-bit code.")
    if not specific and not cpu.cr0 & CR0_PG:
        specific = ("CR0.PG is 0: paging never went on, so the CPU never entered long mode, "
                    "and the far jump into the 64-bit code segment ran lm_entry's 64-bit "
                    "code as 16-bit code. Set CR0.PG (with CR0.WP) after EFER.LME.")
    specific = specific or jump_hint(cpu, trampoline)
    if not specific:
        return RESET_HINT + " " + seen
    return "The machine reset itself (a triple fault) while the AP started. %s %s" % (
        seen, specific)


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
        specific = switch_hint(regs) if regs is not None else None
        if specific:
            return text + " " + specific
        return text + (" The switch to long mode went wrong: PAE, CR3, EFER.LME, then "
                       "CR0.PG, then the far jump through TP_LM_FAR.")
    if state == "no-cpudata":
        return text + (" The trampoline found no cpu_data for this AP's slot: ESI holds the "
                       "slot (the CPU number) from real mode on, and long_mode.asm must "
                       "leave it as it is.")
    if state in ("timeout", "sipi", "init", "offline"):
        m = _LAST_STAGE.search(detail)
        return text + " " + _STUCK_AFTER.get(m.group(1) if m else "none", _STUCK_AFTER["none"])
    return text
