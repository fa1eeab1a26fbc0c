"""The trampoline's labels: offsets from build/trampoline/labels.txt (the
build exports them from NASM's map), placed at wherever the kernel
installed the trampoline."""
import os

LABELS_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "build", "trampoline", "labels.txt")

# The mode switches, in the order an AP passes them.
MODE_SWITCHES = ["rm_entry", "pm_enter", "pm_entry", "lm_enter", "lm_entry", "c_call"]
TRAMP_PAGES = 3


def read_labels(path=LABELS_FILE):
    """{name: offset}; the file has one 'name 0xoffset' per line."""
    labels = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                labels[parts[0]] = int(parts[1], 16)
    return labels


def name_at(labels, base, address):
    """'label+off' for an address inside the trampoline at base, else None."""
    if base is None or not base <= address < base + TRAMP_PAGES * 4096:
        return None
    offset = address - base
    best = None
    for name, off in labels.items():
        if off <= offset and (best is None or off > labels[best]):
            best = name
    if best is None:
        return None
    delta = offset - labels[best]
    return best if delta == 0 else "%s+%d" % (best, delta)


def next_switch(labels, base, address):
    """The first mode-switch label after address in the trampoline, or None."""
    offset = address - base if base is not None else -1
    later = [(labels[n], n) for n in MODE_SWITCHES if n in labels and labels[n] > offset]
    return min(later)[1] if later and 0 <= offset < TRAMP_PAGES * 4096 else None
