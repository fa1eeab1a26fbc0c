"""How `make test` (pytest) collects and counts smplab's tests.

  * The cmocka unit tests: each tests/unit/test_X.c is collected as the binary build/unit/test_X
    (built by `make unit`), run once with CMOCKA_MESSAGE_OUTPUT=TAP; every "ok N - name" /
    "not ok N - name" line is one test. A binary that is missing, crashes, or prints no
    "1..N" plan is one failed test.
  * The accelerators: a test class with `accels = ("tcg", "kvm")` is collected once per
    accelerator that runs here, as Class_tcg and Class_kvm, each copy with `accel` set
    (`pytest -k kvm` picks the KVM ones; no brackets, which pytest's test ids keep for
    parameters of functions).
    SMPLAB_ACCEL chooses: tcg, kvm, both; unset = TCG, and KVM too when /dev/kvm opens
    read-write. A test method's own `accels` narrows its class's (tcg_in_make_test).
  * The last line: `N passed, N failed` (`, N skipped` when some were), counting every test
    above, the lab checks and the QEMU and GDB tests; set-up errors count as failures.
"""
import os
import re
import subprocess
import unittest

import pytest
from _pytest.unittest import UnitTestCase

from smplab import BUILD
from smplab.launch import kvm_usable
from smplab.testcase import Hint

TAP_LINE = re.compile(r"(not ok|ok) \d+(?: - (.*))?$")
TAP_PLAN = re.compile(r"1\.\.\d+$", re.M)


def accelerators():
    mode = os.environ.get("SMPLAB_ACCEL", "").lower()
    if mode in ("tcg", "kvm"):
        return [mode]
    if mode == "both":
        return ["tcg", "kvm"]
    if mode:
        raise pytest.UsageError("SMPLAB_ACCEL must be tcg, kvm or both, not %r" % mode)
    return ["tcg", "kvm"] if kvm_usable() else ["tcg"]


def pytest_configure(config):
    config.smplab_accels = accelerators()


def pytest_report_header(config):
    accels = config.smplab_accels
    if accels == ["tcg"] and not os.environ.get("SMPLAB_ACCEL"):
        return "accelerators: tcg (no usable /dev/kvm: QEMU tests run under TCG only)"
    return "accelerators: " + ", ".join(accels)


# ---- cmocka ----------------------------------------------------------------------------

class CmockaBinary(pytest.File):
    def collect(self):
        binary = os.path.join(BUILD, "unit", self.path.stem)
        try:
            p = subprocess.run([binary], env=dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP"),
                               capture_output=True, text=True, errors="replace", timeout=120)
            out, err, status = p.stdout, p.stderr, p.returncode
        except (OSError, subprocess.TimeoutExpired) as e:
            out, err, status = "", "%s (make unit builds it)" % e, None
        lines = out.splitlines()
        failed = 0
        for i, line in enumerate(lines):
            m = TAP_LINE.match(line)
            if not m:
                continue
            notes = []
            for follow in lines[i + 1:]:
                if not follow.startswith("#"):
                    break
                notes.append(follow)
            ok = m.group(1) == "ok"
            failed += not ok
            yield CmockaCase.from_parent(self, name=(m.group(2) or str(i)).strip(),
                                         failure=None if ok else "\n".join(notes) or line)
        # cmocka exits with the number of failed cases: any other non-zero status, or
        # output without a plan, is the binary's own failure (a crash, say).
        if status != failed or not TAP_PLAN.search(out):
            yield CmockaCase.from_parent(self, name="(the binary)", failure=(
                "exit status %s, %d failed cases%s\n%s" % (
                    status, failed, "" if TAP_PLAN.search(out) else ", no TAP plan",
                    (err or out)[-2000:])))


class CmockaCase(pytest.Item):
    def __init__(self, *, failure, **kw):
        super().__init__(**kw)
        self.failure = failure

    def runtest(self):
        if self.failure is not None:
            raise CmockaFailure(self.failure)

    def repr_failure(self, excinfo):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, "cmocka %s::%s" % (self.path.stem, self.name)


class CmockaFailure(Exception):
    pass


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".c" and file_path.name.startswith("test_") \
            and file_path.parent.name == "unit":
        return CmockaBinary.from_parent(parent, path=file_path)
    return None


# ---- accelerators --------------------------------------------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector, name, obj):
    """One copy of each TestCase class that lists `accels` per accelerator run here."""
    if not (isinstance(obj, type) and issubclass(obj, unittest.TestCase)
            and hasattr(obj, "accels")):
        return None
    if obj.__module__ != collector.module.__name__:
        return []           # a base class imported from elsewhere runs where it is defined
    copies = []
    for accel in collector.config.smplab_accels:
        if accel in obj.accels:
            copy_name = "%s_%s" % (name, accel)
            cls = type(copy_name, (obj,), {"accel": accel, "__module__": obj.__module__,
                                           "__qualname__": copy_name})
            copy = UnitTestCase.from_parent(collector, name=copy_name)
            copy.obj = cls
            copies.append(copy)
    return copies


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        cls = getattr(item, "cls", None)
        method = getattr(cls, getattr(item, "name", ""), None) if cls else None
        narrowed = getattr(method, "accels", None)
        (drop if narrowed and cls.accel not in narrowed else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# ---- the last line -----------------------------------------------------------------------

OUTCOMES = {}       # test id -> "passed" | "failed" | "skipped"; a failure anywhere wins


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A lab's hints (smplab.testcase.Hint) reach the learner as plain text."""
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is not None and call.excinfo.errisinstance(Hint):
        report.longrepr = str(call.excinfo.value)


def pytest_runtest_logreport(report):
    if report.outcome == "failed" or OUTCOMES.get(report.nodeid) == "failed":
        OUTCOMES[report.nodeid] = "failed"
    elif report.outcome == "skipped":
        OUTCOMES[report.nodeid] = "skipped"
    elif report.when == "call":
        OUTCOMES[report.nodeid] = "passed"


def pytest_collectreport(report):
    if report.failed:
        OUTCOMES[report.nodeid + " (collection)"] = "failed"


def pytest_unconfigure(config):
    if not hasattr(config, "smplab_accels") or config.option.collectonly:
        return
    count = {k: list(OUTCOMES.values()).count(k) for k in ("passed", "failed", "skipped")}
    line = "%(passed)d passed, %(failed)d failed" % count
    if count["skipped"]:
        line += ", %(skipped)d skipped" % count
    print(line, flush=True)
