"""What every lab check shares: replaying the sessions a lab's README shows.

A README shows monitor sessions as fenced blocks with the language word
`smplab`:

    ```smplab
    smplab> cpus
    APIC ID  ACPI UID  MADT entry  state
          0         0  LAPIC       enabled  BSP (runs this monitor)
    ...
    ```

Each `smplab> COMMAND` line is typed into a real smplab booted in QEMU, and
the lines after it are compared with what the kernel answered:
  * numbers vary from run to run (addresses, times, TSC): every number,
    decimal or hex, is compared as "some number", and the ASCII column of
    an `x` dump and the bars of a `status` timeline as "some characters";
  * a line `...` stands for any number of lines;
  * spaces are compared as "some spaces".
Blocks run in order on one machine, so a README can build state step by
step. A block that starts ```smplab fresh, or ```smplab smp=TOPOLOGY,
boots a new machine first. A command line alone (no expected lines after
it) is run but its output not compared.

So a README's shown output is always what the current build prints: a
change to the kernel's wording makes the lab check fail until the README
is updated. `python3 labs/labtool.py README.md ...` refreshes the numbers
in the sessions (they move whenever the kernel changes) where the text
still fits."""
import os
import re
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from smpserial import Machine  # noqa: E402

PROMPT = "smplab> "
HELLO = "Hello World from CPU"
NUMBER = re.compile(r"0x[0-9a-fA-F]+|\b[0-9a-fA-F]*[0-9][0-9a-fA-F]*\b")
BLOCK = re.compile(r"^```smplab([^\n]*)\n(.*?)^```", re.M | re.S)


XDUMP_ASCII = re.compile(r"\|[^|]{1,16}\|$")
TIMELINE_BAR = re.compile(r"^(\s*\d+ )\|[-RPLCHI ]+\|$")


def masked(line):
    """Numbers become '#', runs of spaces one space, the ASCII column of
    an `x` dump (bytes of addresses, which move) and a `status` timeline
    bar (drawn from times) fixed tokens."""
    line = TIMELINE_BAR.sub(r"\1|timeline|", line)
    return " ".join(NUMBER.sub("#", XDUMP_ASCII.sub("|ascii|", line)).split())


def sessions(readme):
    """[(options, [(command, [expected lines])])] for each smplab block."""
    with open(readme) as f:
        text = f.read()
    blocks = []
    for m in BLOCK.finditer(text):
        options = m.group(1).split()
        steps = []
        for line in m.group(2).splitlines():
            if line.startswith(PROMPT):
                steps.append((line[len(PROMPT):].strip(), []))
            elif steps:
                steps[-1][1].append(line)
            elif line.strip():
                raise ValueError("%s: a smplab block must start with a prompt line" % readme)
        blocks.append((options, steps))
    return blocks


def _without_hello(expected, actual):
    """APs print their Hello when they get there, in among the BSP's lines:
    unless the shown output has Hello lines, they are left out."""
    if not any(HELLO in line for line in expected):
        return [line for line in actual if HELLO not in line]
    return actual


def alignment(expected, actual):
    """For each shown line, the index of the printed line it stands for (None
    for '...'), or None when the printed lines do not fit the shown ones."""
    want = [masked(line) for line in expected]
    got = [masked(line) for line in actual]
    while want and not want[-1]:
        want.pop()
    while got and not got[-1]:
        got.pop()

    def fits(i, j):
        if i == len(want):
            return [] if j == len(got) else None
        if want[i] == "...":
            for k in range(j, len(got) + 1):
                rest = fits(i + 1, k)
                if rest is not None:
                    return [None] + rest
            return None
        if j < len(got) and want[i] == got[j]:
            rest = fits(i + 1, j + 1)
            return None if rest is None else [j] + rest
        return None

    return fits(0, 0)


def mismatch(expected, actual):
    """None when actual fits expected, else a description of the first difference."""
    actual = _without_hello(expected, actual)
    if alignment(expected, actual) is not None:
        return None
    want = [masked(line) for line in expected]
    got = [masked(line) for line in actual]
    for i, line in enumerate(want):
        if line == "...":
            break
        if i >= len(got) or got[i] != line:
            return "line %d: expected %r, got %r" % (
                i + 1, expected[i], actual[i] if i < len(actual) else "<nothing>")
    return "the output does not fit the shown lines around '...'"


def refreshed(expected, actual):
    """The shown lines with each one replaced by the printed line it stands
    for: the same text with today's numbers. None when they do not fit."""
    actual = _without_hello(expected, actual)
    where = alignment(expected, actual)
    if where is None:
        return None
    return [line if j is None else actual[j] for line, j in zip(expected, where)] + \
        expected[len(where):]


# Labs whose lesson does not depend on the accelerator run under TCG only in `make test`
# (the KVM pass covers the same commands in tests/qemu, and their KVM boots would cost ~45 s
# of its 6-minute budget); `make lab N=k` (SMPLAB_LAB_RUN=1) runs them under what is asked.
ACCELS_IN_MAKE_TEST_TCG_ONLY = ("tcg", "kvm") if os.environ.get("SMPLAB_LAB_RUN") else ("tcg",)


def tcg_in_make_test(check):
    """The same for one check method of a lab that otherwise runs under both."""
    check.accels = ACCELS_IN_MAKE_TEST_TCG_ONLY
    return check


def boot(options, default_smp):
    smp = default_smp
    for option in options:
        if option.startswith("smp="):
            smp = option[4:]
    machine = Machine(smp=smp)
    machine.wait_prompt(timeout=60)
    return machine


class LabCheck(unittest.TestCase):
    """Base class of the labs' checks: set README, and test methods may use
    self.machine (booted once per class) and self.cmd()."""
    accels = ("tcg", "kvm")
    README = None
    SMP = os.environ.get("SMPLAB_LAB_SMP", "4")

    @classmethod
    def setUpClass(cls):
        cls.machine = None

    @classmethod
    def tearDownClass(cls):
        if cls.machine is not None:
            cls.machine.close()

    def fresh_machine(self, options=()):
        if type(self).machine is not None:
            type(self).machine.close()
        type(self).machine = boot(options, self.SMP)
        return type(self).machine

    def cmd(self, line, timeout=30):
        if self.machine is None:
            self.fresh_machine()
        return self.machine.cmd(line, timeout=timeout)

    def replay_readme(self):
        """Run every smplab block of the README; fail at the first difference."""
        blocks = sessions(self.README)
        self.assertTrue(blocks, "%s shows no smplab session" % self.README)
        accel = os.environ.get("SMPLAB_TEST_ACCEL", "tcg")
        for number, (options, steps) in enumerate(blocks, 1):
            if ("tcg" in options or "kvm" in options) and accel not in options:
                continue
            if self.machine is None or "fresh" in options or any(
                    o.startswith("smp=") for o in options):
                self.fresh_machine(options)
            for command, expected in steps:
                actual = self.cmd(command).splitlines()
                if not expected:
                    continue
                problem = mismatch(expected, actual)
                self.assertIsNone(problem, "%s, session %d, `%s`: %s\nthe kernel printed:\n%s" % (
                    os.path.relpath(self.README, ROOT), number, command, problem,
                    "\n".join(actual)))


def refresh(readme, accel="tcg"):
    """Rewrite a README's smplab sessions with the numbers the current build
    prints (addresses move when the kernel changes). Lines that no longer
    fit are reported and left alone: those need a person."""
    with open(readme) as f:
        text = f.read()
    machine, out, last = None, [], 0
    try:
        for m in BLOCK.finditer(text):
            options = m.group(1).split()
            out.append(text[last:m.start(2)])
            last = m.end(2)
            body = m.group(2)
            if ("tcg" in options or "kvm" in options) and accel not in options:
                out.append(body)
                continue
            if machine is None or "fresh" in options or any(
                    o.startswith("smp=") for o in options):
                if machine is not None:
                    machine.close()
                machine = boot(options, "4")
            lines, new = body.splitlines(), []
            i = 0
            while i < len(lines):
                command = lines[i][len(PROMPT):].strip()
                j = i + 1
                while j < len(lines) and not lines[j].startswith(PROMPT):
                    j += 1
                expected = lines[i + 1:j]
                actual = machine.cmd(command, timeout=30).splitlines()
                fresh = refreshed(expected, actual) if expected else expected
                if fresh is None:
                    print("%s: `%s` no longer fits; left as it was" % (readme, command))
                    fresh = expected
                new += [lines[i]] + fresh
                i = j
            out.append("\n".join(new) + "\n")
        out.append(text[last:])
    finally:
        if machine is not None:
            machine.close()
    with open(readme, "w") as f:
        f.write("".join(out))


if __name__ == "__main__":
    for path in sys.argv[1:]:
        refresh(path)
