#!/usr/bin/env python3
"""make bench: smplab's boot and AP start-up times beside two reference kernels that the
project builds (tools/bench/, into build/bench/), as ratios, so that the figures mean the
same on any machine: the host's speed and load cancel out of a ratio measured in one run.

  1. QEMU start to smplab's prompt / QEMU start to ref_byte's one byte (host clock).
  2. `boot all fast`, SIPI to the last AP idle (and in long mode) / ref_smp's SIPI to the
     last AP in long mode (guest TSC), per number of APs.
  3. `boot all` with the spec's delays, INIT to the last AP idle / the delays + ref_smp.
  4. One at a time against broadcast: `boot all fast one-by-one` (each AP's own sequence, in
     turn, as Linux before 6.5), each AP's SIPI to idle summed / `boot all fast`.
  5. Every figure: median (min-max) over --runs runs; ratios are of medians.
  6. The stage timeline of one `boot all fast` (the median run) with --timeline-aps APs
     under TCG, drawn into build/bench/timeline-N.png.

How the figures are taken and what they mean: docs/performance.md.
Usage: python3 tools/bench.py [--runs 5] [--accel tcg|kvm|both] [--tcg-aps 3,15,63,254]
                              [--kvm-aps 3,15] [--timeline-aps 63]"""
import argparse
import os
import statistics
import sys
import time

from smplab import BUILD, measure, timeline_png
from smplab.launch import kvm_usable

PNG_DIR = os.path.join(BUILD, "bench")


def counts(text):
    return [int(n) for n in text.split(",") if n.strip()]


def spread(samples, fmt="%d"):
    """'median (min-max)'."""
    return "%s (%s-%s)" % (fmt % statistics.median(samples), fmt % min(samples),
                           fmt % max(samples))


def ratio(samples, base):
    return "%.2f" % (statistics.median(samples) / statistics.median(base))


def table(title, header, rows):
    print("\n" + title)
    if not rows:
        print("  (nothing measured)")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header] + rows:
        print("  " + "  ".join(str(x).rjust(w) for x, w in zip(row, widths)), flush=True)


def progress(what):
    print("  ... " + what, file=sys.stderr, flush=True)


def boot_figure(accels, runs):
    rows = []
    for accel in accels:
        progress("%s: boots" % accel)
        prompt, byte = measure.boot_seconds(accel, runs)
        rows.append([accel, spread(prompt, "%.2f"), spread(byte, "%.2f"), ratio(prompt, byte)])
    table("1. QEMU start to the first output, seconds (host clock, -smp 4, launcher spawned "
          "to smplab's prompt / to ref_byte's byte)",
          ["accel", "smplab prompt", "ref_byte byte", "ratio"], rows)


def draw_timeline(accel, aps, samples):
    """The median run of `boot all fast`, as build/bench/timeline-APS.png."""
    fast = samples.fast
    run = sorted(range(len(fast)), key=lambda i: samples.last(fast[i]))[len(fast) // 2]
    os.makedirs(PNG_DIR, exist_ok=True)
    path = os.path.join(PNG_DIR, "timeline-%d.png" % aps)
    timeline_png.draw(fast[run], path, "smplab `boot all fast`, %d APs, %s (run %d of %d, "
                      "the median)" % (aps, accel.upper(), run + 1, len(fast)))
    return path


def ap_figures(plan, runs, timeline_aps):
    fast_rows, spec_rows, order_rows, tsc_rows, pngs = [], [], [], [], []
    for accel, aps_list in plan:
        for aps in aps_list:
            progress("%s, %d APs: ref_smp" % (accel, aps))
            ref, ref_tsc = measure.ref_smp_samples(accel, aps, runs)
            progress("%s, %d APs: smplab" % (accel, aps))
            s = measure.SmplabSamples(accel, aps, runs)
            idle = [s.last(rows) for rows in s.fast]
            long = [s.last(rows, measure.REF_END_STAGE) for rows in s.fast]
            fast_rows.append([accel, aps, spread(idle), spread(long), spread(ref),
                              ratio(idle, ref), ratio(long, ref)])
            expected = [s.spec_delay + us for us in ref]
            spec_rows.append([accel, aps, spread(s.spec), spread(expected),
                              ratio(s.spec, expected)])
            one = [sipi_to_idle for sipi_to_idle, _ in s.one_by_one]
            order_rows.append([accel, aps, spread(idle), spread(one),
                               spread([whole for _, whole in s.one_by_one]), ratio(one, idle)])
            tsc_rows.append([accel, aps, s.tsc, ref_tsc])
            if aps == timeline_aps and not pngs:
                pngs.append(draw_timeline(accel, aps, s))
    table("2. boot all fast: microseconds from the SIPI to the last AP (guest TSC)",
          ["accel", "APs", "smplab: idle", "smplab: long mode", "ref_smp: long mode",
           "idle/ref", "long/ref"], fast_rows)
    table("3. boot all with the spec's delays: microseconds from the INIT to the last AP "
          "idle, against the delays (from `trace`) + ref_smp",
          ["accel", "APs", "smplab", "delays + ref_smp", "smplab/that"], spec_rows)
    table("4. one at a time (`boot all fast one-by-one`) against broadcast (`boot all "
          "fast`): microseconds",
          ["accel", "APs", "broadcast: SIPI to last idle", "one at a time: sum of SIPI to "
           "idle", "the whole command", "one/broadcast"], order_rows)
    table("TSC frequency each kernel used (smplab: its banner; ref_smp: PIT channel 2)",
          ["accel", "APs", "smplab", "ref_smp"], tsc_rows)
    for path in pngs:
        print("\n6. stage timeline: %s" % os.path.relpath(path))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--accel", default="both", choices=("tcg", "kvm", "both"))
    parser.add_argument("--tcg-aps", type=counts, default="3,15,63,254")
    parser.add_argument("--kvm-aps", type=counts, default="3,15")
    parser.add_argument("--timeline-aps", type=int, default=63)
    args = parser.parse_args()
    accels = [a for a in ("tcg", "kvm") if args.accel in (a, "both")]
    if "kvm" in accels and not kvm_usable():
        print("KVM: skipped: /dev/kvm cannot be opened read-write")
        accels.remove("kvm")
    start = time.monotonic()
    print("smplab bench: median (min-max) of %d runs; ratios are smplab / reference; %s"
          % (args.runs, ", ".join(accels)))
    boot_figure(accels, args.runs)
    plan = [(a, args.tcg_aps if a == "tcg" else args.kvm_aps) for a in accels]
    ap_figures(plan, args.runs, args.timeline_aps)
    print("\nmake bench took %.0f s" % (time.monotonic() - start))


if __name__ == "__main__":
    main()
