"""Chart helpers shared by plot_run.py and compare.py (matplotlib, Agg backend: no display).

A chart is a grid of panels. Each panel has a title, a y-axis label and one or more labelled
lines over time; draw_panels() lays them out (small multiples), adds the legend, an optional
shaded time window and the figure title, and saves a PNG.

Honest axes: ratios (units "1") are drawn in percent; a y-axis never spans less than
MIN_SPAN_PERCENT points (or MIN_SPAN_RELATIVE of the values' size), so 0.98 -> 0.99 stays a small
move instead of filling the panel; years are whole-year ticks; in overlays the first line (the
baseline) is wide and pale under the others, so an almost identical counterfactual cannot hide it.
"""

import math
import os
import textwrap

KEY_NATIONAL = ["self_sufficiency", "zombie_share", "misallocation_tfp_gain", "local_debt", "fiscal_cost"]
PERCENT = "%"
MIN_SPAN_PERCENT = 10.0
MIN_SPAN_RELATIVE = 0.1


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
    """Readable y-axis label for a units attribute; ratios ('1') are shown in percent."""
    if units in ("", "1"):
        return PERCENT
    return units


def scale_of(ylabel):
    """Factor from stored values to plotted values (100 for percent)."""
    return 100.0 if ylabel == PERCENT else 1.0


def padded_limits(lo, hi, percent):
    """y-limits around [lo, hi] spanning at least the minimum span, or None to keep matplotlib's."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    need = MIN_SPAN_PERCENT if percent else MIN_SPAN_RELATIVE * max(abs(lo), abs(hi))
    if hi - lo >= need or need == 0:
        return None
    mid = (lo + hi) / 2
    low, high = mid - need / 2, mid + need / 2
    if percent and low < 0 <= lo:
        low, high = 0.0, need
    if percent and high > 100 >= hi:
        low, high = 100.0 - need, 100.0
    return low, high


def metric_title(metric):
    return metric.replace("_", " ")


class Panel:
    """One small plot: title, y label and lines [(label, x, y)]."""

    def __init__(self, title, ylabel, lines=None):
        self.title = title
        self.ylabel = ylabel
        self.lines = list(lines or [])
        self.limits = []  # [(y, label)]: horizontal reference lines, e.g. a debt limit

    def add(self, label, x, y):
        self.lines.append((label, x, y))
        return self

    def add_limit(self, y, label):
        self.limits.append((y, label))
        return self


def _grid(n, max_cols):
    cols = max(1, min(max_cols, n))
    return math.ceil(n / cols), cols


def _draw_panel(ax, panel, shade, overlay):
    from matplotlib.ticker import FormatStrFormatter, MaxNLocator
    scale = scale_of(panel.ylabel)
    lo, hi = math.inf, -math.inf
    for k, (label, x, y) in enumerate(panel.lines):
        values = [v * scale for v in y]
        finite = [v for v in values if math.isfinite(v)]
        if finite:
            lo, hi = min(lo, min(finite)), max(hi, max(finite))
        if overlay and k == 0 and len(panel.lines) > 1:
            ax.plot(x, values, label=label, linewidth=3.2, alpha=0.45, zorder=2)
        elif overlay and k > 0:
            ax.plot(x, values, label=label, linewidth=1.3, linestyle=("--", "-.", ":")[(k - 1) % 3], zorder=3)
        else:
            ax.plot(x, values, label=label, linewidth=1.3)
    for y, label in panel.limits:
        ax.axhline(y * scale, color="firebrick", linewidth=1.0, linestyle=":", label=label, zorder=1)
        lo, hi = min(lo, y * scale), max(hi, y * scale)
    limits = padded_limits(lo, hi, panel.ylabel == PERCENT)
    if limits is not None:
        ax.set_ylim(*limits)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.xaxis.set_major_formatter(FormatStrFormatter("%d"))
    if shade is not None:
        ax.axvspan(shade[0], shade[1], color="0.85", zorder=0, label="averaging window")
    ax.set_title(panel.title, fontsize=9)
    ax.set_ylabel(panel.ylabel, fontsize=8)
    ax.set_xlabel("year", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, linewidth=0.3)


def draw_panels(panels, title, path, max_cols=4, shade=None, size=(3.6, 2.7), overlay=True):
    """Save panels as a PNG grid at path and return the path. shade=(t0, t1) greys a window;
    size is one panel's (width, height) in inches; overlay=False draws all lines alike (e.g. one
    line per region rather than a baseline and its counterfactuals)."""
    plt = pyplot()
    rows, cols = _grid(len(panels), max_cols)
    width, height = size[0] * cols, size[1] * rows
    flat_labels = {label for panel in panels for label, _, _ in panel.lines} | {
        label for panel in panels for _, label in panel.limits}
    legend_rows = math.ceil((len(flat_labels) + (shade is not None)) / 4)
    title = textwrap.fill(title, width=int(width * 12))
    top_in, bottom_in = 0.35 + 0.2 * title.count("\n"), 0.3 * legend_rows + 0.1
    fig, axes = plt.subplots(rows, cols, figsize=(width, height + top_in + bottom_in), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, panel in zip(flat, panels):
        _draw_panel(ax, panel, shade, overlay)
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
