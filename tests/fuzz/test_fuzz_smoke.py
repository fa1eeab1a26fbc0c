"""Each fuzzer (tests/fuzz/fuzz_*.c) built and run for a moment on its seeds, so that a
parser that regresses on them, or on what a short run finds next to them, fails the suite.
New inputs go to a temporary corpus: the long runs' corpus (`make fuzz`) is left alone.
The targets run two at a time (one process each, one per core), before the first test."""
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

import fuzzrun

SECONDS = 1     # libFuzzer stops within the next second: 1-2 s a target
TARGETS = sorted(name[:-2] for name in os.listdir(os.path.dirname(os.path.abspath(__file__)))
                 if name.startswith("fuzz_") and name.endswith(".c"))


@pytest.fixture(scope="module")
def built():
    """Every target, built at once on both cores; the build's output if it failed."""
    build = subprocess.run(["make", "-s", "-j2"] + ["build/fuzz/%s" % t for t in TARGETS],
                           cwd=fuzzrun.ROOT, capture_output=True, text=True)
    return None if build.returncode == 0 else build.stdout + build.stderr


@pytest.fixture(scope="module")
def results(built, tmp_path_factory):
    """Each target's Result, the targets run on both cores; none if the build failed."""
    if built is not None:
        return {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {t: pool.submit(fuzzrun.run, t, SECONDS, str(tmp_path_factory.mktemp(t)))
                for t in TARGETS}
        return {t: run.result() for t, run in runs.items()}


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_smoke(target, built, results):
    assert built is None, "building the fuzzers failed:\n%s" % built
    assert not fuzzrun.missing_fixtures(target), "no seed fixtures %s (make unit dumps them)" % (
        fuzzrun.missing_fixtures(target),)
    result = results[target]
    assert result.ok, "%s\n%s" % (result.summary(), result.sanitizer_report())
