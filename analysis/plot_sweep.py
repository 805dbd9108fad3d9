"""Draw the report of an ipsim sweep file: output distributions per arm, paired differences
with their 95 % confidence intervals, and Sobol or Morris indices with their intervals.

Everything plotted is read from the sweep file through ipsim_results.load_sweep(): the paired
statistics and the sensitivity indices are the ones ipsim computed (docs/sweeps.md), nothing is
estimated again here. Each chart names the sweep, its base scenario and its seeds. Writes
OUTDIR/distributions.png, OUTDIR/paired.png, OUTDIR/sensitivity.png (Sobol and Morris designs)
and OUTDIR/index.html with a table of the comparisons.
"""

import argparse
import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ipsim_plots  # noqa: E402
from ipsim_results import ResultError, load_sweep, run_cli  # noqa: E402

STYLE = "body{font-family:sans-serif;max-width:1100px;margin:auto}img{max-width:100%}" \
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"


def base_scenario(sweep):
    """The base scenario as written in the resolved sweep file."""
    match = re.search(r'^base: \{scenario: "([^"]*)"', sweep.sweep_yaml, re.M)
    return match.group(1) if match else "?"


def identity(sweep):
    """One line naming the sweep, its base, arms and seeds: shown on every chart."""
    seeds = ",".join(str(s) for s in sweep.seeds)
    arms = ", ".join(a for a in sweep.arms if a != "base") or "none"
    return (f"sweep {sweep.name} ({os.path.basename(sweep.path)}): base {base_scenario(sweep)}, "
            f"arms {arms}; seeds {seeds}; {len(sweep.design.get('seed', []))} rows")


def _finish(fig, plt, sweep, title, path):
    fig.suptitle(title, fontsize=11)
    fig.text(0.01, 0.005, identity(sweep), fontsize=7, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _grid(plt, n, cols=3, size=(4.0, 3.0)):
    cols = max(1, min(cols, n))
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(size[0] * cols, size[1] * rows + 0.6), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def distributions_chart(sweep, out_dir):
    """Box plot of each output's values over the rows, one box per arm."""
    plt = ipsim_plots.pyplot()
    fig, axes = _grid(plt, len(sweep.outputs))
    for ax, output in zip(axes, sweep.outputs):
        data = []
        for arm in sweep.arms:
            values = sweep.summary[arm][output]
            data.append(values[values == values])  # drop NaN (failed runs)
        ax.boxplot(data, showmeans=True)
        ax.set_xticks(range(1, len(sweep.arms) + 1), sweep.arms, rotation=30, ha="right", fontsize=7)
        ax.set_title(ipsim_plots.metric_title(output), fontsize=9)
        ax.set_ylabel(ipsim_plots.axis_label(sweep.units.get(output, "")), fontsize=8)
    return _finish(fig, plt, sweep, "Outputs per arm over all rows (box: quartiles, triangle: mean)",
                   os.path.join(out_dir, "distributions.png"))


def paired_chart(sweep, out_dir):
    """Mean paired difference arm - base per output, with the 95 % interval ipsim computed."""
    plt = ipsim_plots.pyplot()
    arms = [a for a in sweep.arms if a != "base"]
    fig, axes = _grid(plt, len(sweep.outputs), size=(4.6, 0.9 + 0.32 * len(arms)))
    for ax, output in zip(axes, sweep.outputs):
        stats = [sweep.compare[a][output] for a in arms]
        means = [s["mean"] for s in stats]
        lower = [s["mean"] - s["ci_low"] if s["ci_low"] == s["ci_low"] else 0.0 for s in stats]
        upper = [s["ci_high"] - s["mean"] if s["ci_high"] == s["ci_high"] else 0.0 for s in stats]
        ax.barh(range(len(arms)), means, xerr=[lower, upper], capsize=4, color="#4c78a8")
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(arms)), [f"{a} (n={s['n']})" for a, s in zip(arms, stats)], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(f"{ipsim_plots.metric_title(output)}: arm - base", fontsize=9)
        ax.set_xlabel(ipsim_plots.axis_label(sweep.units.get(output, "")), fontsize=8)
    return _finish(fig, plt, sweep, "Paired differences against the base (bars: mean, whiskers: 95 % CI)",
                   os.path.join(out_dir, "paired.png"))


def sensitivity_chart(sweep, out_dir):
    """Sobol S1 and ST, or Morris mu* and sigma, per parameter, with the estimators' intervals."""
    plt = ipsim_plots.pyplot()
    outputs = [o for o in sweep.outputs if "method" in sweep.sensitivity.get(o, {})]
    if not outputs:
        return None
    fig, axes = _grid(plt, len(outputs), cols=2, size=(5.5, 3.2))
    for ax, output in zip(axes, outputs):
        s = sweep.sensitivity[output]
        params = s["parameters"]
        x = list(range(len(params)))
        if s["method"] == "sobol":
            pairs = [("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST")]
            ax.set_ylabel("share of output variance", fontsize=8)
        else:
            pairs = [("mu_star", "mu_star_conf", "mu* (mean |effect|)"), ("sigma", None, "sigma (interactions)")]
            ax.set_ylabel(f"elementary effect, {ipsim_plots.axis_label(sweep.units.get(output, ''))}", fontsize=8)
        width = 0.4
        for k, (key, conf, label) in enumerate(pairs):
            err = s[conf] if conf else None
            ax.bar([i + (k - 0.5) * width for i in x], s[key], width, yerr=err, capsize=3, label=label)
        ax.set_xticks(x, [p.split(".")[-1] for p in params], rotation=30, ha="right", fontsize=7)
        ax.set_title(f"{ipsim_plots.metric_title(output)} ({s['method']})", fontsize=9)
        ax.legend(fontsize=7)
    method = sweep.sensitivity[outputs[0]]["method"]
    return _finish(fig, plt, sweep, f"{method.capitalize()} indices of the base arm (whiskers: 95 % intervals)",
                   os.path.join(out_dir, "sensitivity.png"))


def _cell(value):
    return "-" if value is None or value != value else f"{value:.4g}"


def write_html(sweep, charts, out_dir):
    """OUTDIR/index.html: identity, the comparison table, the charts and the resolved sweep."""
    rows = ["<tr><th>arm</th><th>output</th><th>units</th><th>n</th><th>mean difference</th><th>95% CI</th></tr>"]
    for arm, per_output in sweep.compare.items():
        for output, s in per_output.items():
            ci = f"[{_cell(s.get('ci_low'))}, {_cell(s.get('ci_high'))}]"
            rows.append(f"<tr><td>{html.escape(arm)}</td><td>{html.escape(output)}</td>"
                        f"<td>{html.escape(sweep.units.get(output, ''))}</td><td>{s.get('n')}</td>"
                        f"<td>{_cell(s.get('mean'))}</td><td>{ci}</td></tr>")
    failed = "".join(f"<li>{html.escape(i)}: {html.escape(m)}</li>" for i, m in sweep.failed)
    parts = [f"<!doctype html>\n<html><head><meta charset='utf-8'><title>ipsim sweep {html.escape(sweep.name)}</title>",
             f"<style>{STYLE}</style></head><body><h1>ipsim sweep {html.escape(sweep.name)}</h1>",
             f"<p>{html.escape(identity(sweep))}</p>", "<h2>Paired comparisons</h2><table>", *rows, "</table>"]
    if failed:
        parts.append(f"<h2>Failed runs</h2><ul>{failed}</ul>")
    for chart in charts:
        name = os.path.basename(chart)
        parts.append(f"<h2>{html.escape(name[:-4])}</h2><img src='{html.escape(name)}' alt='{name}'>")
    parts.append(f"<h2>Sweep file</h2><pre>{html.escape(sweep.sweep_yaml)}</pre></body></html>\n")
    path = os.path.join(out_dir, "index.html")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(parts))
    return path


def _parser():
    parser = argparse.ArgumentParser(
        prog="plot_sweep.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__.split("\n\n", 1)[0],
        epilog="examples:\n"
               "  ipsim sweep scenarios/sweeps/demo.yaml -o demo.h5\n"
               "  python3 analysis/plot_sweep.py demo.h5 -o demo_report/")
    parser.add_argument("sweep", metavar="SWEEP.h5", help="a sweep file written by 'ipsim sweep'")
    parser.add_argument("-o", "--out", default="sweep_report", metavar="OUTDIR", help="output folder (default: sweep_report)")
    return parser


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        parser.error(f"-o {args.out}: exists and is not a folder")

    def body():
        sweep = load_sweep(args.sweep)
        if not sweep.outputs:
            raise ResultError(f"{args.sweep}: the sweep has no outputs")
        os.makedirs(args.out, exist_ok=True)
        charts = [distributions_chart(sweep, args.out)]
        if len(sweep.arms) > 1:
            charts.append(paired_chart(sweep, args.out))
        chart = sensitivity_chart(sweep, args.out)
        if chart:
            charts.append(chart)
        print(write_html(sweep, charts, args.out))
        return 0

    return run_cli(body, "plot_sweep.py")


if __name__ == "__main__":
    sys.exit(main())
