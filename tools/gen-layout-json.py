"""Write build/trampoline/layout.json: the trampoline's layout, its stages,
its labels and the kernel symbols GDB reads, for every Python reader.

usage: gen-layout-json.py OFFSETS_S LABELS_TXT KERNEL_ELF > layout.json

OFFSETS_S is the compiler's output for trampoline/offsets.c (asm-offsets:
"->NAME value kind ..." lines), LABELS_TXT the "name 0xoffset" lines the
Makefile takes from NASM's map, KERNEL_ELF the 64-bit kernel, whose symbol
table must hold every name of SYMBOLS (so that a rename breaks the build,
not a GDB session)."""
import json
import subprocess
import sys

# The kernel's variables and functions that the GDB scripts name
# (gdb/smplab_gdb: guest.py and breaks.py).
SYMBOLS = ["installed_vector", "acpi", "cpu_table", "aps", "ap_slot_count", "ap_view_clock",
           "tsc_frequency", "exception_names", "ap_entry", "tramp_install"]

SECTIONS = {"offset": "offsets", "size": "sizes", "constant": "constants"}


def read_offsets(path):
    layout = {"offsets": {}, "sizes": {}, "constants": {}, "stages": [], "steps": []}
    stage_names = {}
    steps = []
    with open(path) as f:
        for line in f:
            if not line.startswith("->"):
                continue
            name, value, kind, *rest = line[2:].split()
            value = int(value)
            if kind == "stage":
                shown, letter, column, final = rest
                stage_names[value] = shown
                layout["stages"].append({
                    "value": value, "c_name": name, "name": shown,
                    "letter": chr(int(letter)) if int(letter) else None,
                    "column": int(column) or None, "final": bool(int(final))})
            elif kind == "step":
                steps.append((name, value, int(rest[0])))
            else:
                layout[SECTIONS[kind]][name] = value
    recorded = layout["constants"]["STAGE_RECORDED"]
    for stage in layout["stages"]:
        stage["recorded"] = stage["value"] < recorded
    layout["steps"] = [{"value": value, "c_name": name, "stage": stage_names[stage]}
                       for name, value, stage in steps]
    return layout


def read_labels(path):
    with open(path) as f:
        return {name: int(offset, 16) for name, offset in (line.split() for line in f)}


def check_symbols(elf):
    table = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    defined = {line.split()[-1] for line in table.splitlines()}
    missing = [name for name in SYMBOLS if name not in defined]
    if missing:
        sys.exit("gen-layout-json: %s has no symbol %s" % (elf, ", ".join(missing)))


def main():
    offsets, labels, elf = sys.argv[1:]
    layout = read_offsets(offsets)
    layout["labels"] = read_labels(labels)
    check_symbols(elf)
    layout["symbols"] = SYMBOLS
    json.dump(layout, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
