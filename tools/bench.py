#!/usr/bin/env python3
"""make bench: how long smplab's steps take, as tables of figures.

  1. QEMU start to the monitor prompt (launcher + firmware + kernel banner).
  2. `boot all fast`: from the first SIPI until the last AP is idle, and
     until the first AP enters real mode, for several CPU counts.
  3. One AP started with and without the spec's delays (10 ms + 2 x 200 us).

Times inside the guest come from the kernel's own TSC readings (the
`status` table); times outside from the host clock. Each figure is the
median of RUNS runs; the ratio column compares with the first row.
Usage: python3 tools/bench.py [--runs N] [--accel tcg|kvm|both]"""
import argparse
import re
import statistics
import time

from smplab.launch import kvm_usable
from smplab.machine import Machine

STATUS_ROW = re.compile(r"^\s*(\d+)\s+idle\s+\d+((?:\s+-?\d+){6})", re.M)


def ap_times(status):
    """[(real_us, idle_us)] for every idle AP in a status table."""
    rows = []
    for m in STATUS_ROW.finditer(status):
        times = [int(t) for t in m.group(2).split()]
        rows.append((times[0], times[5]))
    return rows


def table(title, header, rows):
    print("\n" + title)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header] + rows:
        print("  " + "  ".join(str(x).rjust(w) for x, w in zip(row, widths)))


def ratio(value, base):
    return "%.2fx" % (value / base) if base else "-"


def bench_prompt(accel, runs):
    times = []
    for _ in range(runs):
        start = time.monotonic()
        with Machine(accel=accel) as m:
            m.wait_prompt(timeout=60)
            times.append(time.monotonic() - start)
    return statistics.median(times)


def bench_boot_all(accel, smp, runs):
    first, last, total = [], [], []
    with Machine(accel=accel, smp=str(smp), mem="256M") as m:
        m.wait_prompt(timeout=120)
        for _ in range(runs):
            out = m.cmd("boot all fast", timeout=60)
            total.append(int(re.search(r"idle, (\d+) us in all", out).group(1)))
            times = ap_times(m.cmd("status", timeout=30))
            if len(times) != smp - 1:
                raise RuntimeError("only %d of %d APs idle:\n%s" % (len(times), smp - 1, out))
            first.append(min(t[0] for t in times))
            last.append(max(t[1] for t in times))
    return statistics.median(first), statistics.median(last), statistics.median(total)


def bench_delays(accel, runs):
    results = {}
    with Machine(accel=accel) as m:
        m.wait_prompt(timeout=60)
        for mode in ("", " fast"):
            totals = []
            for _ in range(runs):
                out = m.cmd("boot 1" + mode, timeout=30)
                totals.append(int(re.search(r"idle, (\d+) us in all", out).group(1)))
            results[mode.strip() or "spec delays"] = statistics.median(totals)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--accel", default="both", choices=("tcg", "kvm", "both"))
    args = parser.parse_args()
    accels = ["tcg"] + (["kvm"] if args.accel != "tcg" and kvm_usable() else [])
    if args.accel == "kvm":
        accels = accels[1:]
    print("smplab benchmarks: median of %d runs; %s" % (args.runs, ", ".join(accels)))

    rows, base = [], None
    for accel in accels:
        t = bench_prompt(accel, args.runs)
        base = base or t
        rows.append([accel, "%.2f" % t, ratio(t, base)])
    table("QEMU start to the smplab> prompt (-smp 4)", ["accel", "seconds", "ratio"], rows)

    rows = []
    for accel in accels:
        base = None
        for smp in ((4, 16, 64) if accel == "tcg" else (4, 16)):
            first, last, total = bench_boot_all(accel, smp, args.runs)
            base = base or last
            rows.append([accel, smp - 1, first, last, ratio(last, base), total])
    table("boot all fast: microseconds after the SIPI (guest TSC)",
          ["accel", "APs", "first real mode", "last idle", "ratio", "command total"], rows)

    rows = []
    for accel in accels:
        results = bench_delays(accel, args.runs)
        base = results["spec delays"]
        for name, total in results.items():
            rows.append([accel, name, total, ratio(total, base)])
    table("boot 1: whole command, microseconds", ["accel", "delays", "us", "ratio"], rows)


if __name__ == "__main__":
    main()
