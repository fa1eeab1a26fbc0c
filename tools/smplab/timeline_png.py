"""The stage timeline of one `boot all fast` as a PNG (matplotlib, Debian's
python3-matplotlib): one horizontal bar per AP, from the SIPI, with one segment per timed
stage of the build's stage table (smplab.layout), each from the time the AP reached that
stage to the time it reached the next; the final stage runs to the right edge."""
import matplotlib

matplotlib.use("Agg")           # no display: files only
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)

from smplab import layout  # noqa: E402

WAITING_COLOUR = "0.85"


def draw(rows, path, title):
    """rows: status_rows() of one run ({apic: (state, sipis, times, detail)})."""
    stages = [s["name"] for s in layout.load().timed]
    colours = plt.get_cmap("tab10").colors
    apics = sorted(rows)
    end = max(t for apic in apics for t in rows[apic][2] if t is not None)
    fig, ax = plt.subplots(figsize=(12, 2 + 0.16 * len(apics)))
    for y, apic in enumerate(apics):
        times = rows[apic][2]
        ax.barh(y, times[0], color=WAITING_COLOUR, height=0.8,
                label="SIPI sent, AP not yet running" if y == 0 else None)
        for i, name in enumerate(stages):
            if times[i] is None:
                break
            stop = times[i + 1] if i + 1 < len(stages) else end
            if stop is None:
                break
            ax.barh(y, stop - times[i], left=times[i], color=colours[i % len(colours)],
                    height=0.8, label=name if y == 0 else None)
    ax.set_yticks(range(len(apics)), [str(a) for a in apics],
                  fontsize=6 if len(apics) > 20 else 9)
    ax.invert_yaxis()
    ax.set_xlim(0, end)
    ax.ticklabel_format(axis="x", style="plain")
    ax.set_xlabel("microseconds after the SIPI (guest TSC)")
    ax.set_ylabel("APIC ID")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title="stage reached")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
