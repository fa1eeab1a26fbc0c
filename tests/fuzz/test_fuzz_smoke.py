"""Each fuzzer (tests/fuzz/fuzz_*.c) built and run for a moment on its seeds, so that a
parser that regresses on them, or on what a short run finds next to them, fails the suite.
New inputs go to a temporary corpus: the long runs' corpus (`make fuzz`) is left alone."""
import os
import subprocess

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


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_smoke(target, tmp_path, built):
    assert built is None, "building the fuzzers failed:\n%s" % built
    assert not fuzzrun.missing_fixtures(target), "no seed fixtures %s (make unit dumps them)" % (
        fuzzrun.missing_fixtures(target),)
    result = fuzzrun.run(target, SECONDS, corpus=str(tmp_path))
    assert result.ok, "%s\n%s" % (result.summary(), result.sanitizer_report())
