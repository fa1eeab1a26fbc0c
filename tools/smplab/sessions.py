"""The monitor sessions the READMEs show: read, compared with what the kernel prints, refreshed.

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
is updated. `python3 tools/refresh-sessions.py README.md ...` refreshes the
numbers in the sessions (they move whenever the kernel changes) where the
text still fits (tools/refresh-sessions.py).

The lab checks and tests replay them through smplab.testcase.LabCheck."""
import re

from smplab.machine import Machine
from smplab.status import timeline_row

PROMPT = "smplab> "
HELLO = "Hello World from CPU"
NUMBER = re.compile(r"0x[0-9a-fA-F]+|\b[0-9a-fA-F]*[0-9][0-9a-fA-F]*\b")
BLOCK = re.compile(r"^```smplab([^\n]*)\n(.*?)^```", re.M | re.S)


XDUMP_ASCII = re.compile(r"\|[^|]{1,16}\|$")


def masked(line):
    """Numbers become '#', runs of spaces one space, the ASCII column of
    an `x` dump (bytes of addresses, which move) and a `status` timeline
    bar (drawn from times) fixed tokens."""
    line = timeline_row().sub(r"\1|timeline|", line)
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


def replayed_under(options, accel):
    """A block marked `tcg` or `kvm` is replayed under that accelerator only."""
    return not ("tcg" in options or "kvm" in options) or accel in options


def wants_new_machine(options):
    """```smplab fresh and ```smplab smp=TOPOLOGY start on a machine of their own."""
    return "fresh" in options or any(o.startswith("smp=") for o in options)


def boot(options, default_smp, accel):
    smp = default_smp
    for option in options:
        if option.startswith("smp="):
            smp = option[4:]
    machine = Machine(smp=smp, accel=accel)
    machine.wait_prompt(timeout=60)
    return machine


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
            if not replayed_under(options, accel):
                out.append(body)
                continue
            if machine is None or wants_new_machine(options):
                if machine is not None:
                    machine.close()
                machine = boot(options, "4", accel)
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
