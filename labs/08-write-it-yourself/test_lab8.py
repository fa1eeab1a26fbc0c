"""Lab 8 check: grade a start-up sequence and a long-mode switch.

Part 1 (start_sequence.c) runs first on the host, against stand-ins for the four steps
(harness/steps.c), with an APIC ID and a vector picked at random, once with an AP that
answers the first SIPI and once with one that never does (a second SIPI must follow), and
once for `all`. Then a kernel built with it boots, installs the trampoline at a random
vector and starts a random AP with `boot`, then all of them with `boot all`. Part 2
(long_mode.asm) is graded by `boot 1` and the AP's registers.

`make lab N=8` grades the learner's files (SMPLAB_LAB8=learner). `make test` grades the
kernel's own ones (the reference) and proves that each known-wrong solution gets its hint:
the sequences in wrong/*.c (their first comment names it, "expect-hint: ..."), and the
long-mode switches in wrong/long_mode_mistakes.py, each the reference with one mistake."""
import glob
import os
import random
import re
import subprocess
import unittest

import grade
from wrong.long_mode_mistakes import MISTAKES
from smplab import ROOT, layout
from smplab.machine import Machine, MachineReset
from smplab.testcase import Hint
from smplab_gdb.cpustate import CpuState

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS_C = os.path.join(HERE, "harness", "steps.c")

LEARNER = os.environ.get("SMPLAB_LAB8") == "learner"
REFERENCE = (os.path.join(ROOT, "kernel", "smp", "start_sequence.c"),
             os.path.join(ROOT, "trampoline", "long_mode.asm"))
MINE = (os.path.join(HERE, "start_sequence.c"), os.path.join(HERE, "long_mode.asm"))
APIC = 1
SMP = 4
RNG = random.Random()       # new picks every run: every hint names the ones it used


def pick_vector():
    """A vector whose pages QEMU's memory map has as usable RAM, not the default 8."""
    return RNG.choice([v for v in range(0x10, 0x90) if v != 8])


def shown(path):
    return os.path.relpath(path, ROOT)


def build_failed(path, output):
    """The learner's own file and line, not the copy the build made under build/."""
    output = re.sub(r"\S*/stage/long_mode\.asm", shown(path), output)
    return Hint("%s does not build:\n%s" % (shown(path), output[-3000:]))


def build(sequence, stage, name):
    out = os.path.join(ROOT, "build", "lab8-" + name)
    result = subprocess.run(
        ["make", "-s", "-C", ROOT, "lab8-kernel", "LAB8_SEQUENCE=" + sequence,
         "LAB8_STAGE=" + stage, "LAB8_OUT=" + out],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode:
        failed = stage if ".asm" in result.stdout and sequence not in result.stdout else sequence
        raise build_failed(failed, result.stdout)
    return os.path.join(out, "smplab32.elf")


def sequence_on_host(sequence, name):
    """Part 1 against the stand-in steps: the hints, each naming the APIC ID and vector."""
    binary = os.path.join(ROOT, "build", "lab8-steps", name)
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    result = subprocess.run(["gcc", "-std=c11", "-I" + os.path.join(ROOT, "kernel"),
                             "-I" + ROOT, STEPS_C, sequence, "-o", binary],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode:
        raise build_failed(sequence, result.stdout)
    target, vector = RNG.randrange(2, 255), pick_vector()

    def run(who, answer_after):
        try:
            return subprocess.run([binary, str(who), "0x%x" % vector, str(answer_after), "0"],
                                  stdout=subprocess.PIPE, text=True, timeout=10).stdout
        except subprocess.TimeoutExpired:
            raise Hint("start_sequence(opt, %s, 0x%02x) did not return within 10 s with an "
                       "AP that never answers: after the second SIPI, return; `boot` does "
                       "the waiting." % (who, vector)) from None

    answered = run(target, 1)
    hints = grade.sequence_hints(grade.parse_trace(answered), target, vector)
    hints += grade.opt_hints(answered)
    if not hints:
        hints = grade.second_sipi_hints(grade.parse_trace(run(target, 0)), target, vector)
    if not hints:
        hints = grade.sequence_hints(grade.parse_trace(run("all", 1)), "all", vector)
    return ["%s (graded with APIC ID %d and vector 0x%02x)" % (h, target, vector)
            for h in hints]


def ap_state(machine, apic):
    """The AP's CpuState as QEMU shows it (`info registers -a`)."""
    text = machine.hmp("info registers -a")
    return CpuState(text.split("CPU#%d" % apic)[1].split("CPU#")[0])


def ap_registers(machine, apic):
    regs = ap_state(machine, apic).regs
    return {name: regs.get(name, 0) for name in ("CR0", "CR3", "CR4", "EFER")}


def installed_vector(machine):
    return int(re.search(r"vector 0x([0-9a-f]+)", machine.cmd("tramp")).group(1), 16)


_VECTOR_USED = re.compile(r"tramp(?: install|oline already at vector) 0x([0-9a-f]+)")


def trampoline_at_reset(machine):
    """Where the trampoline was when the machine reset (grade.Trampoline), from the vector
    typed or printed last and the parameter block in memory; None when unknown."""
    used = _VECTOR_USED.findall(machine.transcript)
    if not used:
        return None
    base = int(used[-1], 16) << 12
    facts = layout.load()
    size = int.from_bytes(machine.phys_bytes(base + facts["TP_SIZE_BYTES"], 2), "little")
    lm_far = int.from_bytes(machine.phys_bytes(base + facts["TP_LM_FAR"], 4), "little")
    return grade.Trampoline(base, size, lm_far)


def boot_and_grade(machine, apic, target=None):
    """Start `target` (default: apic) with `boot`; the hints for what `apic` did."""
    try:
        machine.cmd("boot %s" % (target or apic), timeout=30)
    except MachineReset:        # QEMU paused at the reset: the AP's registers as they were
        return [grade.reset_hint(ap_state(machine, apic), trampoline_at_reset(machine))]
    hints = grade.sequence_hints(grade.parse_trace(machine.cmd("trace")), target or apic,
                                 installed_vector(machine))
    row = grade.status_row(machine.cmd("status"), apic)
    outcome = grade.outcome_hint(row, ap_registers(machine, apic) if row else None)
    if outcome:
        return hints + [outcome]
    wp = grade.wp_hint(machine.cmd("on %d regs" % apic))
    return hints + ([wp] if wp else [])


def run_and_grade(kernel, accel="tcg", apic=APIC, vector=None, all_too=False):
    """[] when the AP reached idle, said Hello once and (all_too) `boot all` worked too;
    else the hints, most specific first."""
    with Machine(kernel=kernel, accel=accel, smp=str(SMP), pause_on_reset=True) as machine:
        machine.wait_prompt(timeout=60)
        if vector is not None:
            machine.cmd("tramp install 0x%x" % vector)
        hints = boot_and_grade(machine, apic)
        hello = machine.transcript.count("Hello World from CPU %d (APIC ID %d)" % (apic, apic))
        if not hints and hello != 1:
            hints.append("The AP printed its Hello %d times; once per start is right." % hello)
        if not hints and all_too:
            hints = boot_and_grade(machine, SMP - 1, target="all")
        if vector is None:
            return hints
        return ["%s (graded with APIC ID %d and vector 0x%02x)" % (h, apic, vector)
                for h in hints]


class Lab8Grade(unittest.TestCase):
    """Part 1 with the reference long-mode switch, part 2 with the reference
    sequence, so each part is graded on its own."""
    accels = ("tcg", "kvm")

    def grade(self, hints):
        if hints:
            raise Hint("\n".join("hint: " + h for h in hints))

    def test_part1_start_sequence(self):
        sequence = MINE[0] if LEARNER else REFERENCE[0]
        self.grade(sequence_on_host(sequence, "part1"))
        kernel = build(sequence, REFERENCE[1], "part1")
        self.grade(run_and_grade(kernel, self.accel, apic=RNG.randrange(2, SMP),
                                 vector=pick_vector(), all_too=True))

    def test_part2_long_mode(self):
        self.grade(run_and_grade(build(REFERENCE[0], MINE[1] if LEARNER else REFERENCE[1],
                                       "part2"), self.accel))


def expected_hint(path):
    with open(path) as f:
        return re.search(r"expect-hint: (.*?)\s*(\*/)?$", f.read(), re.M).group(1)


def mistaken_long_mode(name, old, new):
    """The reference long_mode.asm with old replaced by new, as a learner's file under
    build/lab8-NAME/; old must be in the reference, so no mistake goes stale."""
    with open(REFERENCE[1]) as f:
        text = f.read()
    assert old in text, "%s: %r is no longer in %s" % (name, old, shown(REFERENCE[1]))
    path = os.path.join(ROOT, "build", "lab8-" + name, "long_mode.asm")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text.replace(old, new))
    return path


@unittest.skipIf(LEARNER, "grading your solution, not the grader")
class Lab8WrongSolutions(unittest.TestCase):
    """Each known-wrong solution gets its specific hint: a sequence in wrong/*.c from the
    host run alone, a long-mode switch (wrong/long_mode_mistakes.py) from a boot, under
    TCG (the reference runs under KVM too, in Lab8Grade): a hint the AP's registers
    produce, never one the generic reset paragraph already holds."""

    def assert_hint(self, hints, want, what):
        self.assertTrue(any(want.lower() in h.lower() for h in hints),
                        "%s: expected a hint with %r, got %r" % (what, want, hints))

    def test_every_wrong_sequence_gets_its_hint(self):
        paths = sorted(glob.glob(os.path.join(HERE, "wrong", "*.c")))
        self.assertGreaterEqual(len(paths), 4)
        for path in paths:
            with self.subTest(os.path.basename(path)):
                name = "wrong-" + os.path.splitext(os.path.basename(path))[0]
                self.assert_hint(sequence_on_host(path, name), expected_hint(path), path)

    def test_every_long_mode_mistake_gets_its_hint(self):
        self.assertGreaterEqual(len(MISTAKES), 4)
        for name, (_, old, new, want) in sorted(MISTAKES.items()):
            with self.subTest(name):
                self.assertNotIn(want.lower(), grade.RESET_HINT.lower(),
                                 "%s: the generic reset paragraph alone would pass" % name)
                stage = mistaken_long_mode("wrong-" + name, old, new)
                self.assert_hint(run_and_grade(build(REFERENCE[0], stage, "wrong-" + name)),
                                 want, name)

    def test_the_skeletons_fail_with_a_hint(self):
        hints = sequence_on_host(MINE[0], "skeleton1")
        self.assertTrue(any("No INIT was sent" in h for h in hints), hints)
        hints = run_and_grade(build(REFERENCE[0], MINE[1], "skeleton2"))
        self.assertTrue(any("ud2 placeholder" in h for h in hints), hints)

    def test_a_typo_names_the_learners_file(self):
        bad = mistaken_long_mode("typo", "mov cr3, eax", "mov cr3, eaxx")
        with self.assertRaises(Hint) as caught:
            build(REFERENCE[0], bad, "typo")
        self.assertIn(shown(bad) + ":", str(caught.exception))
        self.assertNotIn("/stage/", str(caught.exception))
        self.assertFalse(os.path.exists(os.path.join(ROOT, "build", "lab8-typo",
                                                     "smplab32.elf")),
                         "a failed build left a kernel to boot")


if __name__ == "__main__":
    unittest.main()
