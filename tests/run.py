#!/usr/bin/env python3
"""The test runner behind `make test`.

    python3 tests/run.py [SUBSTRING ...]     run only tests whose name contains a substring

Runs, in order:
  1. every executable build/unit/test_* (cmocka, CMOCKA_MESSAGE_OUTPUT=TAP): each "ok N" /
     "not ok N" line is a test; a binary that exits non-zero without a "not ok", or prints no
     "1..N" plan, is one failed test.
  2. the unittest modules tests/qemu/test_*.py, tests/gdb/test_*.py and labs/*/check.py.
     Each test method is a test; errors count as failures, skips as skipped.

Names look like `unit/test_parse::test_hex` and `qemu/test_boot.py::BootTest::test_prompt`;
one line per test ("ok   NAME  1.2s", "FAIL NAME  3.0s" + the reason, "skip NAME (why)"),
then the last line `N passed, N failed` (`, N skipped` when there were skips). Exit status 1
when anything failed or no test ran at all.

Accelerators. A test class that boots QEMU says under which accelerators it runs:
    class BootTest(unittest.TestCase):
        accels = ("tcg", "kvm")
A test method may narrow that with its own `accels` attribute (labtool's tcg_in_make_test).
The runner makes one pass per accelerator and sets SMPLAB_TEST_ACCEL for it; smpserial's
Machine() uses that when no accel is given. Passes other than the first add "[kvm]" to test
names. Classes without `accels` run once, in the first pass. SMPLAB_ACCEL chooses the passes:
  tcg   TCG only             kvm   KVM only (classes listing "kvm")
  both  TCG, then KVM        unset TCG, then KVM when /dev/kvm is usable (tools/launch.py)
"""
import glob
import importlib.util
import os
import re
import subprocess
import sys
import time
import traceback
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from launch import kvm_usable  # noqa: E402


class Tally:
    def __init__(self, filters):
        self.filters = filters
        self.passed = self.failed = self.skipped = 0
        self.out = sys.stdout     # not sys.stdout later: unittest swaps it while buffering

    def wanted(self, name):
        return not self.filters or any(f in name for f in self.filters)

    def report(self, status, name, secs=None, detail=""):
        if status == "ok":
            self.passed += 1
        elif status == "skip":
            self.skipped += 1
        else:
            self.failed += 1
        line = "%-4s %s" % (status, name)
        if secs is not None:
            line += "  %.1fs" % secs
        if status == "skip" and detail:
            line += "  (%s)" % detail
        if status == "FAIL" and detail:
            line += "\n     " + detail.rstrip().replace("\n", "\n     ")
        self.out.write(line + "\n")
        self.out.flush()


def run_unit(tally):
    for path in sorted(glob.glob(os.path.join(ROOT, "build", "unit", "test_*"))):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            continue
        binname = "unit/" + os.path.basename(path)
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
        t0 = time.monotonic()
        try:
            p = subprocess.run([path], env=env, cwd=ROOT, capture_output=True, text=True,
                               errors="replace", timeout=120)
            out, err, rc = p.stdout, p.stderr, p.returncode
        except subprocess.TimeoutExpired as e:
            out, err, rc = (e.stdout or b"").decode(errors="replace"), "timed out after 120s", None
        secs = time.monotonic() - t0
        lines = out.splitlines()
        any_wanted = tally.wanted(binname)
        failed_cases = 0
        for i, line in enumerate(lines):
            m = re.match(r"(not ok|ok) \d+(?: - (.*))?", line)
            if not m:
                continue
            name = "%s::%s" % (binname, (m.group(2) or str(i)).strip())
            if not tally.wanted(name) and not tally.wanted(binname):
                continue
            any_wanted = True
            if m.group(1) == "ok":
                tally.report("ok", name)
            else:
                failed_cases += 1
                notes = []
                for follow in lines[i + 1:]:
                    if not follow.startswith("#"):
                        break
                    notes.append(follow)
                tally.report("FAIL", name, detail="\n".join(notes))
        has_plan = any(re.match(r"1\.\.\d+", line) for line in lines)
        if any_wanted and (rc != 0 and failed_cases == 0 or not has_plan):
            why = "exit status %s" % rc if has_plan else "no TAP plan (exit status %s)" % rc
            tally.report("FAIL", binname, secs, "%s\n%s" % (why, (err or out)[-2000:]))


class LineResult(unittest.TestResult):
    """Prints one line per test as it ends; buffers the test's own prints."""

    def __init__(self, tally, prefix, suffix):
        super().__init__()
        self.buffer = True
        self.tally, self.prefix, self.suffix = tally, prefix, suffix

    def name(self, test):
        if isinstance(test, unittest.TestCase):
            return "%s::%s::%s%s" % (self.prefix, type(test).__name__, test._testMethodName,
                                     self.suffix)
        desc = getattr(test, "description", str(test))    # "setUpClass (module.Class)"
        m = re.match(r"(\w+) \((?:.*\.)?(\w+)\)$", desc)
        if m:
            desc = "%s::%s" % (m.group(2), m.group(1))
        return "%s::%s%s" % (self.prefix, desc, self.suffix)

    def startTest(self, test):
        super().startTest(test)
        self.t0 = time.monotonic()
        self.outcome = ("ok", "")

    def stopTest(self, test):
        super().stopTest(test)
        status, detail = self.outcome
        self.tally.report(status, self.name(test), time.monotonic() - self.t0, detail)

    def _fail(self, test, err):
        text = self._exc_info_to_string(err, test)
        if isinstance(test, unittest.TestCase):
            self.outcome = ("FAIL", text)
        else:                           # setUpClass / tearDownClass / module fixtures
            self.tally.report("FAIL", self.name(test), None, text)

    def addError(self, test, err):
        self._fail(test, err)

    def addFailure(self, test, err):
        self._fail(test, err)

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._fail(test, err)

    def addSkip(self, test, reason):
        self.outcome = ("skip", reason)

    def addUnexpectedSuccess(self, test):
        self.outcome = ("FAIL", "unexpected success")


def python_test_files():
    pats = ["tests/qemu/test_*.py", "tests/gdb/test_*.py", "labs/*/check.py"]
    return [f for p in pats for f in sorted(glob.glob(os.path.join(ROOT, p)))]


def display_name(path):
    """qemu/test_boot.py for tests/qemu/test_boot.py; labs/01-x/check.py as it is."""
    rel = os.path.relpath(path, os.path.join(ROOT, "tests"))
    return os.path.relpath(path, ROOT) if rel.startswith("..") else rel


def load(path):
    rel = display_name(path)
    modname = "smplab_test_" + re.sub(r"\W", "_", rel)
    spec = importlib.util.spec_from_file_location(modname, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[modname] = module
    spec.loader.exec_module(module)
    return rel, unittest.defaultTestLoader.loadTestsFromModule(module)


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


def run_python(tally, passes):
    loaded = []
    for path in python_test_files():
        try:
            loaded.append(load(path))
        except Exception:
            name = display_name(path) + " (import)"
            if tally.wanted(name):
                tally.report("FAIL", name, None, traceback.format_exc(limit=-1))
    for n, accel in enumerate(passes):
        os.environ["SMPLAB_TEST_ACCEL"] = accel
        suffix = "" if n == 0 else "[%s]" % accel
        for rel, suite in loaded:
            result = LineResult(tally, rel, suffix)
            chosen = unittest.TestSuite()
            for test in flatten(suite):
                accels = getattr(getattr(test, test._testMethodName, None), "accels", None) \
                    or getattr(type(test), "accels", None)
                runs_here = accel in accels if accels else n == 0
                if runs_here and tally.wanted(result.name(test)):
                    chosen.addTest(test)
            if chosen.countTestCases():
                chosen.run(result)


def choose_passes():
    mode = os.environ.get("SMPLAB_ACCEL", "").lower()
    if mode in ("tcg", "kvm"):
        return [mode]
    if mode == "both":
        return ["tcg", "kvm"]
    if mode:
        sys.exit("SMPLAB_ACCEL must be tcg, kvm or both, not %r" % mode)
    if kvm_usable():
        return ["tcg", "kvm"]
    print("(no usable /dev/kvm: QEMU tests run under TCG only)", flush=True)
    return ["tcg"]


def main(argv):
    tally = Tally(argv)
    passes = choose_passes()
    run_unit(tally)
    run_python(tally, passes)
    last = "%d passed, %d failed" % (tally.passed, tally.failed)
    if tally.skipped:
        last += ", %d skipped" % tally.skipped
    print(last, flush=True)
    return 1 if tally.failed or tally.passed + tally.failed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
