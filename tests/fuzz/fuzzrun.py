#!/usr/bin/env python3
"""Run smplab's fuzzers (tests/fuzz/fuzz.mk builds them into build/fuzz/).

  fuzzrun.py --seconds N TARGET...

Each target runs for N seconds on its corpus (build/fuzz/corpus/TARGET,
where libFuzzer keeps the inputs that reach new code) and its seeds:
tests/fuzz/seeds/TARGET, and build/fuzz/seeds/TARGET, where the ACPI tables
and multiboot 2 information `make unit` dumps from QEMU are copied. One line
per target: executions, executions per second, corpus size and coverage
(edges reached, of those instrumented); a crash keeps its input in
build/fuzz/crashes/TARGET/ and names the file. Exit status 1 if any crashed.
The smoke tests (test_fuzz_smoke.py) call run() the same way.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ_BUILD = os.path.join(ROOT, "build", "fuzz")
SEED_DIRS = (os.path.join(ROOT, "tests", "fuzz", "seeds"), os.path.join(FUZZ_BUILD, "seeds"))
FIXTURES = os.path.join(ROOT, "build", "unit", "fixtures")
FIXTURE_SEEDS = {
    "fuzz_acpi": ("smp4.bin", "smp6-2s3c.bin"),
    "fuzz_madt": ("smp4-madt.bin", "smp6-2s3c-madt.bin"),
    "fuzz_multiboot2": ("mb2-bios.bin", "mb2-uefi.bin"),
}

# libFuzzer's status line ("#1234 pulse cov: 56 ft: 78 corp: 9/100b ...")
# and final statistics (-print_final_stats=1).
STATUS = re.compile(r"^#\d+\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\d+\w*)", re.M)
STAT = re.compile(r"^stat::(\w+):\s+(\d+)", re.M)
CRASH_FILE = re.compile(r"Test unit written to (\S+)")
EDGES = re.compile(r"Loaded \d+ modules\s+\((\d+) inline 8-bit counters\)")


class Result:
    def __init__(self, target, status, log):
        self.target = target
        self.log = log
        stats = dict(STAT.findall(log))
        self.execs = int(stats.get("number_of_executed_units", 0))
        self.execs_per_sec = int(stats.get("average_exec_per_sec", 0))
        last = STATUS.findall(log)[-1:] or [("0", "0", "0", "0b")]
        self.cov, self.features, self.corpus, self.corpus_bytes = last[0]
        edges = EDGES.search(log)
        self.edges = edges.group(1) if edges else "?"
        crash = CRASH_FILE.search(log)
        self.crash_file = os.path.relpath(crash.group(1), ROOT) if crash else None
        self.ok = status == 0 and not self.crash_file

    def summary(self):
        line = "%-20s %10d execs %7d/s  corpus %4s (%s)  cov %4s/%s edges  ft %5s" % (
            self.target, self.execs, self.execs_per_sec, self.corpus, self.corpus_bytes,
            self.cov, self.edges, self.features)
        if self.ok:
            return line
        return "%s\n%s: CRASH, input kept in %s (run build/fuzz/%s on it to see it again)" % (
            line, self.target, self.crash_file or "(no file: see the log)", self.target)

    def sanitizer_report(self):
        start = self.log.find("==ERROR")
        if start < 0:
            start = self.log.find("runtime error")
        return self.log[start:] if start >= 0 else self.log[-3000:]


def missing_fixtures(target):
    return [f for f in FIXTURE_SEEDS.get(target, ()) if not os.path.exists(os.path.join(FIXTURES, f))]


def copy_fixture_seeds(target):
    names = [f for f in FIXTURE_SEEDS.get(target, ()) if f not in missing_fixtures(target)]
    if names:
        os.makedirs(os.path.join(FUZZ_BUILD, "seeds", target), exist_ok=True)
    for name in names:
        shutil.copyfile(os.path.join(FIXTURES, name), os.path.join(FUZZ_BUILD, "seeds", target, name))


def run(target, seconds, corpus=None):
    """Fuzz target for seconds; new inputs go to corpus (build/fuzz/corpus/TARGET)."""
    corpus = corpus or os.path.join(FUZZ_BUILD, "corpus", target)
    crashes = os.path.join(FUZZ_BUILD, "crashes", target)
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(crashes, exist_ok=True)
    copy_fixture_seeds(target)
    seeds = [d for d in (os.path.join(s, target) for s in SEED_DIRS) if os.path.isdir(d)]
    cmd = [os.path.join(FUZZ_BUILD, target), "-max_total_time=%d" % seconds,
           "-print_final_stats=1", "-artifact_prefix=%s/" % crashes, corpus] + seeds
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace", cwd=ROOT, timeout=seconds + 120)
    return Result(target, p.returncode, p.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("targets", nargs="+")
    args = ap.parse_args()
    crashed = 0
    for target in args.targets:
        if missing_fixtures(target):
            print("%s: no %s in %s yet (make unit dumps them): fuzzing without them" % (
                target, ", ".join(missing_fixtures(target)), FIXTURES))
        result = run(target, args.seconds)
        print(result.summary(), flush=True)
        crashed += not result.ok
    if crashed:
        print("%d of %d targets crashed" % (crashed, len(args.targets)))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
