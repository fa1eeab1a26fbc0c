"""What the build says about the trampoline, for every Python reader (tests, labs, GDB, tools).

build/trampoline/layout.json (tools/gen-layout-json.py) holds the offsets and constants the
C structs define (trampoline/offsets.c), the stage table (trampoline/stages.h), the
trampoline's labels and the kernel symbols GDB reads; build/trampoline/trampoline.lst is
NASM's listing of the trampoline. Nothing here types a number the build knows."""
import json
import os
import re

from smplab import BUILD

LAYOUT_JSON = os.path.join(BUILD, "trampoline", "layout.json")
LISTING = os.path.join(BUILD, "trampoline", "trampoline.lst")
# A listing line: line number, offset, bytes, then (after an optional macro depth) the source.
LISTING_LINE = re.compile(r"^\s*\d+\s+([0-9A-F]{8}) [0-9A-F\[\]()]+-?\s+(?:<\d+>\s*)?(.*)$")


class Layout:
    def __init__(self, facts):
        self.offsets = facts["offsets"]
        self.sizes = facts["sizes"]
        self.constants = facts["constants"]
        self.labels = facts["labels"]            # {label: offset in the trampoline}
        self.symbols = facts["symbols"]
        self.stages = facts["stages"]            # ordered by value
        self.steps = facts["steps"]

    def __getitem__(self, name):
        """Any offset, size or constant by its C name: layout["TP_END"]."""
        for table in (self.offsets, self.sizes, self.constants):
            if name in table:
                return table[name]
        raise KeyError(name)

    @property
    def stage_names(self):
        """Every stage's name, indexed by its value."""
        return [s["name"] for s in self.stages]

    @property
    def timed(self):
        """The stages an AP's record times, in the order it climbs: status's columns."""
        return [s for s in self.stages if s["letter"]]

    @property
    def letters(self):
        """The timeline's letters, in the same order ("RPLCHI")."""
        return "".join(s["letter"] for s in self.timed)

    @property
    def final(self):
        return [s["name"] for s in self.stages if s["final"]]

    @property
    def step_names(self):
        """What `status` shows for each value of struct ap_start.step."""
        return [s["stage"] for s in self.steps]


_cache = {}


def load(path=LAYOUT_JSON):
    """The build's layout (cached per path; `make` writes it)."""
    if path not in _cache:
        with open(path) as f:
            _cache[path] = Layout(json.load(f))
    return _cache[path]


def listing(path=LISTING):
    """{offset: source text} for every instruction in NASM's listing (data, `times` and
    comment lines are left out)."""
    code = {}
    with open(path) as f:
        for line in f:
            m = LISTING_LINE.match(line)
            if m and m.group(2).strip() and not m.group(2).lstrip().startswith(
                    ("d", "times", ";")):
                code.setdefault(int(m.group(1), 16), m.group(2).split(";")[0].strip())
    return code
