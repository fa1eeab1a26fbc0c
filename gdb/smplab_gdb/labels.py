"""The trampoline's labels (smplab.layout: the build exports them from NASM's map), placed
at wherever the kernel installed the trampoline."""
import functools
import os

from smplab import BUILD, layout

# The mode switches, in the order an AP passes them.
MODE_SWITCHES = ["rm_entry", "pm_enter", "pm_entry", "lm_enter", "lm_entry", "c_call"]


def read_labels():
    """{name: offset in the trampoline}, from the build."""
    return dict(layout.load().labels)


def tramp_bytes():
    """The code page; the slot area after it holds data, not labels."""
    return layout.load()["TRAMP_SLOT_AREA"]


def name_at(labels, base, address):
    """'label+off' for an address inside the trampoline at base, else None."""
    if base is None or not base <= address < base + tramp_bytes():
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
    return min(later)[1] if later and 0 <= offset < tramp_bytes() else None


@functools.lru_cache(maxsize=None)
def tramp_image():
    """The trampoline as NASM made it (build/trampoline/trampoline.bin): what the
    kernel copies to the vector's page before it fills the parameter block."""
    with open(os.path.join(BUILD, "trampoline", "trampoline.bin"), "rb") as f:
        return f.read()
