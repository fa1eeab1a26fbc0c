"""Lab 8 check: build a kernel with a start-up sequence and a long-mode
switch, boot it, `boot 1`, and grade what happened.

`make lab N=8` grades the learner's start_sequence.c and long_mode.asm
(SMPLAB_LAB8=learner). `make test` grades the kernel's own ones (the
reference) and proves that each known-wrong solution in wrong/ gets the
hint its first comment names ("expect-hint: ...")."""
import glob
import os
import re
import subprocess
import unittest

import grade
from smplab import ROOT
from smplab.machine import Machine, MachineTimeout
from smplab_gdb.cpustate import CpuState

HERE = os.path.dirname(os.path.abspath(__file__))

LEARNER = os.environ.get("SMPLAB_LAB8") == "learner"
REFERENCE = (os.path.join(ROOT, "kernel", "smp", "start_sequence.c"),
             os.path.join(ROOT, "trampoline", "long_mode.asm"))
MINE = (os.path.join(HERE, "start_sequence.c"), os.path.join(HERE, "long_mode.asm"))
APIC = 1


def build(sequence, stage, name):
    out = os.path.join(ROOT, "build", "lab8-" + name)
    result = subprocess.run(
        ["make", "-s", "-C", ROOT, "lab8-kernel", "LAB8_SEQUENCE=" + sequence,
         "LAB8_STAGE=" + stage, "LAB8_OUT=" + out],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode:
        raise AssertionError("%s does not build:\n%s" % (
            os.path.relpath(sequence if sequence.endswith(".c") else stage, ROOT),
            result.stdout[-3000:]))
    return os.path.join(out, "smplab32.elf")


def ap_registers(machine):
    text = machine.hmp("info registers -a")
    section = text.split("CPU#%d" % APIC)[1].split("CPU#")[0]
    regs = CpuState(section).regs
    return {name: regs.get(name, 0) for name in ("CR0", "CR3", "CR4", "EFER")}


def run_and_grade(kernel, accel="tcg"):
    """[] when boot 1 worked, else the hints, most specific first."""
    with Machine(kernel=kernel, accel=accel) as machine:
        machine.wait_prompt(timeout=60)
        try:
            machine.cmd("boot %d" % APIC, timeout=30)
        except MachineTimeout:
            machine.wait_exit(timeout=10)   # a reset ends QEMU, then the launcher
            return [grade.RESET_HINT]
        trace = machine.cmd("trace")
        status = machine.cmd("status")
        vector = int(re.search(r"vector 0x([0-9a-f]+)", machine.cmd("tramp")).group(1), 16)
        hints = grade.sequence_hints(grade.parse_trace(trace), APIC, vector)
        row = grade.status_row(status, APIC)
        hello = machine.transcript.count("Hello World from CPU 1 (APIC ID %d)" % APIC)
        outcome = grade.outcome_hint(row, ap_registers(machine) if row else None)
        if outcome:
            hints.append(outcome)
        elif hello != 1:
            hints.append("The AP printed its Hello %d times; once per start is right." % hello)
        return hints


class Lab8Grade(unittest.TestCase):
    """Part 1 with the reference long-mode switch, part 2 with the reference
    sequence, so each part is graded on its own."""
    accels = ("tcg", "kvm")

    def grade(self, sequence, stage, name):
        hints = run_and_grade(build(sequence, stage, name), self.accel)
        if hints:
            self.fail("\n".join("hint: " + h for h in hints))

    def test_part1_start_sequence(self):
        self.grade(MINE[0] if LEARNER else REFERENCE[0], REFERENCE[1], "part1")

    def test_part2_long_mode(self):
        self.grade(REFERENCE[0], MINE[1] if LEARNER else REFERENCE[1], "part2")


def expected_hint(path):
    with open(path) as f:
        return re.search(r"expect-hint: (.*?)\s*(\*/)?$", f.read(), re.M).group(1)


@unittest.skipIf(LEARNER, "grading your solution, not the grader")
class Lab8WrongSolutions(unittest.TestCase):
    """Each known-wrong solution gets its specific hint."""

    def check(self, path):
        name = os.path.splitext(os.path.basename(path))[0]
        if path.endswith(".c"):
            kernel = build(path, REFERENCE[1], "wrong-" + name)
        else:
            kernel = build(REFERENCE[0], path, "wrong-" + name)
        hints = run_and_grade(kernel)
        want = expected_hint(path)
        self.assertTrue(any(want.lower() in h.lower() for h in hints),
                        "%s: expected a hint with %r, got %r" % (name, want, hints))

    def test_every_wrong_solution_gets_its_hint(self):
        paths = sorted(glob.glob(os.path.join(HERE, "wrong", "*")))
        self.assertGreaterEqual(len(paths), 4)
        for path in paths:
            with self.subTest(os.path.basename(path)):
                self.check(path)

    def test_the_skeletons_fail_with_a_hint(self):
        hints = run_and_grade(build(MINE[0], REFERENCE[1], "skeleton1"))
        self.assertTrue(any("No INIT was sent" in h for h in hints), hints)
        hints = run_and_grade(build(REFERENCE[0], MINE[1], "skeleton2"))
        self.assertTrue(any("ud2 placeholder" in h for h in hints), hints)


if __name__ == "__main__":
    unittest.main()
