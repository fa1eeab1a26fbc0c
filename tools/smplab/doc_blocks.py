"""The blocks of a Markdown file that show monitor or GDB output, for the test that each is
either replayed against a real boot (```smplab blocks; lab 6's ```gdb blocks) or marked,
on the line after it, as an illustration."""
import re

ILLUSTRATION = "(illustration: output of one run; yours will differ)"
REPLAYED = ("smplab", "gdb")
FENCE = re.compile(r"^(\s*)```(\S*)")


def output_blocks(text):
    """[(first line number, fence word or 'indented', lines, the line after the block)]
    for each fenced or indented block with a `smplab> ` or `(gdb) ` line."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            end = i + 1
            while end < len(lines) and not re.match(r"^\s*```\s*$", lines[end]):
                end += 1
            kind, body, after = m.group(2) or "plain", lines[i + 1:end], end + 1
            start, i = i, end + 1
        elif lines[i].startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            end = i
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            last = end
            while last > i and not lines[last - 1].strip():
                last -= 1
            kind, body, after = "indented", lines[i:last], last
            start, i = i, end
        else:
            i += 1
            continue
        if any(b.strip().startswith(("smplab> ", "(gdb) ")) for b in body):
            found.append((start + 1, kind, body, lines[after] if after < len(lines) else ""))
    return found


def unmarked(text, replayed=REPLAYED):
    """Line numbers of output blocks that are neither replayed nor marked."""
    return [line for line, kind, _, after in output_blocks(text)
            if kind not in replayed and after.strip() != ILLUSTRATION]
