"""Chart helpers shared by plot_run.py and compare.py (matplotlib, Agg backend: no display).

A chart is a grid of panels. Each panel has a title, a y-axis label and one or more labelled
lines over time; draw_panels() lays them out (small multiples), adds the legend, an optional
shaded time window and the figure title, and saves a PNG.
"""

import math
import os
import textwrap

KEY_NATIONAL = ["self_sufficiency", "zombie_share", "misallocation_tfp_gain", "local_debt", "fiscal_cost"]


def pyplot():
    """Import matplotlib.pyplot on the Agg backend; RuntimeError with an install hint if absent."""
    try:
        import matplotlib
    except ImportError:
        raise RuntimeError("matplotlib is not installed for this Python: install python3-matplotlib "
                           "(Debian) and run the script with /usr/bin/python3") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def axis_label(units):
    """Readable y-axis label for a units attribute ('1' is a pure number)."""
    if units in ("", "1"):
        return "ratio (1 = 100 %)"
    return units


def metric_title(metric):
    return metric.replace("_", " ")


class Panel:
    """One small plot: title, y label and lines [(label, x, y)]."""

    def __init__(self, title, ylabel, lines=None):
        self.title = title
        self.ylabel = ylabel
        self.lines = list(lines or [])

    def add(self, label, x, y):
        self.lines.append((label, x, y))
        return self


def _grid(n, max_cols):
    cols = max(1, min(max_cols, n))
    return math.ceil(n / cols), cols


def _draw_panel(ax, panel, shade):
    for label, x, y in panel.lines:
        ax.plot(x, y, label=label, linewidth=1.3)
    if shade is not None:
        ax.axvspan(shade[0], shade[1], color="0.85", zorder=0, label="averaging window")
    ax.set_title(panel.title, fontsize=9)
    ax.set_ylabel(panel.ylabel, fontsize=8)
    ax.set_xlabel("year", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, linewidth=0.3)


def draw_panels(panels, title, path, max_cols=4, shade=None, size=(3.6, 2.7)):
    """Save panels as a PNG grid at path and return the path. shade=(t0, t1) greys a window;
    size is one panel's (width, height) in inches."""
    plt = pyplot()
    rows, cols = _grid(len(panels), max_cols)
    width, height = size[0] * cols, size[1] * rows
    flat_labels = {label for panel in panels for label, _, _ in panel.lines}
    legend_rows = math.ceil((len(flat_labels) + (shade is not None)) / 4)
    title = textwrap.fill(title, width=int(width * 12))
    top_in, bottom_in = 0.35 + 0.2 * title.count("\n"), 0.3 * legend_rows + 0.1
    fig, axes = plt.subplots(rows, cols, figsize=(width, height + top_in + bottom_in), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, panel in zip(flat, panels):
        _draw_panel(ax, panel, shade)
    for ax in flat[len(panels):]:
        ax.axis("off")
    handles, labels = flat[0].get_legend_handles_labels()
    total = height + top_in + bottom_in
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, bottom_in / total, 1, 1))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
