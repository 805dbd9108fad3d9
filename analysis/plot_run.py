"""Charts of an ipsim run (PNG) and an HTML report that shows them.

For one result file: per-sector small multiples (one panel per sector) of the key sector series,
capacity against output, the national outcomes and the debt ratio of the most indebted regions,
plus OUTDIR/index.html with the run's identity, every chart and a table of the first and last
value of each national metric. Further result files, if given, are overlaid on the same charts
as counterfactuals and a difference table (as compare.py writes) is saved as differences.md.
"""

import argparse
import html
import math
import os
import re
import sys

try:
    import numpy as np
except ImportError:  # reported by ipsim_results.load() with an install hint
    np = None

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import ipsim_plots  # noqa: E402
from ipsim_plots import Panel, axis_label, metric_title  # noqa: E402
from ipsim_results import ResultError, load, run_cli  # noqa: E402

SECTOR_METRICS = ["domestic_share", "chinese_firm_share", "world_share", "utilization", "price",
                  "productivity", "zombies"]
CAPACITY_OUTPUT = ["capacity", "output"]
REGION_METRIC = "debt_ratio"


def _warn(text):
    print(f"plot_run.py: note: {text}", file=sys.stderr)


def _has(arms, scope, metric):
    ok = all(metric in run.metrics(scope) for arm in arms for run in arm.runs)
    if not ok:
        _warn(f"{scope}/{metric} is missing from a result file: chart left out")
    return ok


def pick_sectors(run, wanted):
    """Indices of the sectors to plot: all, or those named in the comma list `wanted`."""
    if not wanted:
        return list(range(len(run.sectors)))
    names = [s.strip() for s in wanted.split(",") if s.strip()]
    unknown = [s for s in names if s not in run.sectors]
    if unknown:
        raise ResultError(f"unknown sector(s) {', '.join(unknown)} (sectors: {', '.join(run.sectors)})")
    return [run.sectors.index(s) for s in names]


def sector_chart(arms, metric, cols, out_dir):
    """One panel per sector, one line per run."""
    run = arms[0].runs[0]
    panels = [Panel(run.sectors[j], axis_label(run.units("sector", metric))) for j in cols]
    for arm in arms:
        data = arm.runs[0].sector(metric)
        for panel, j in zip(panels, cols):
            panel.add(arm.label, run.time, data[:, j])
    title = f"{metric_title(metric)} by sector: {run.description('sector', metric)}"
    return ipsim_plots.draw_panels(panels, title, os.path.join(out_dir, f"sector_{metric}.png"))


def capacity_output_chart(arms, cols, out_dir):
    """Capacity and output of each sector in one panel."""
    run = arms[0].runs[0]
    panels = [Panel(run.sectors[j], axis_label(run.units("sector", "output"))) for j in cols]
    for arm in arms:
        for metric in CAPACITY_OUTPUT:
            data = arm.runs[0].sector(metric)
            label = metric if len(arms) == 1 else f"{arm.label}: {metric}"
            for panel, j in zip(panels, cols):
                panel.add(label, run.time, data[:, j])
    return ipsim_plots.draw_panels(panels, "Capacity vs output by sector (China-located firms)",
                                   os.path.join(out_dir, "sector_capacity_output.png"))


def national_chart(arms, out_dir):
    run = arms[0].runs[0]
    panels = []
    for metric in (m for m in ipsim_plots.KEY_NATIONAL if _has(arms, "national", m)):
        panel = Panel(metric_title(metric), axis_label(run.units("national", metric)))
        for arm in arms:
            panel.add(arm.label, run.time, arm.runs[0].national(metric))
        panels.append(panel)
    if not panels:
        return None
    return ipsim_plots.draw_panels(panels, "National outcomes", os.path.join(out_dir, "national.png"), max_cols=3)


def debt_limit(run):
    """local.debt_limit of the run's resolved scenario, or None if it is not there."""
    section = re.search(r"^local:\s*\n((?:[ \t]+.*\n?)*)", run.scenario_yaml, re.MULTILINE)
    found = re.search(r"^\s+debt_limit:\s*([-+0-9.eE]+)\s*$", section.group(1), re.MULTILINE) if section else None
    return float(found.group(1)) if found else None


def quarter_label(year):
    """2035.75 -> '2035Q4'."""
    whole = int(year // 1)
    return f"{whole}Q{int(round((year - whole) * 4)) + 1}"


def region_chart(run, top, out_dir):
    """Debt ratio of the `top` regions with the highest ratio in the last quarter, with the limit."""
    data = run.region(REGION_METRIC)
    order = np.argsort(-np.nan_to_num(data[-1], nan=-np.inf))[:top]
    panel = Panel(f"{len(order)} highest of {len(run.regions)} regions in the last quarter",
                  axis_label(run.units("region", REGION_METRIC)))
    for k in order:
        panel.add(run.regions[k], run.time, data[:, k])
    limit = debt_limit(run)
    if limit is not None:
        panel.add_limit(limit, f"debt limit ({limit:g})")
    return ipsim_plots.draw_panels([panel], f"Local government debt ratio by region ({run.scenario})",
                                   os.path.join(out_dir, "region_debt_ratio.png"), max_cols=1, size=(8, 4),
                                   overlay=False)


def make_charts(arms, cols, top, out_dir):
    """Every chart that the files allow; returns the PNG paths."""
    charts = [national_chart(arms, out_dir)]
    charts += [sector_chart(arms, m, cols, out_dir) for m in SECTOR_METRICS if _has(arms, "sector", m)]
    if all(_has(arms, "sector", m) for m in CAPACITY_OUTPUT):
        charts.append(capacity_output_chart(arms, cols, out_dir))
    if _has(arms[:1], "region", REGION_METRIC):
        charts.append(region_chart(arms[0].runs[0], top, out_dir))
    return [c for c in charts if c]


def _fmt(value):
    return "" if value is None else html.escape(f"{value:.6g}")


def national_table(arms):
    """HTML rows: metric, units, first and last value of the run (and last of each overlay)."""
    run = arms[0].runs[0]
    head = ["metric", "units", f"first ({quarter_label(run.time[0])})", f"last ({quarter_label(run.time[-1])})"]
    head += [f"last, {arm.label}" for arm in arms[1:]]
    rows = ["<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    for metric in run.metrics("national"):
        series = run.national(metric)
        cells = [_fmt(series[0]), _fmt(series[-1])]
        cells += [_fmt(a.runs[0].national(metric)[-1]) if metric in a.runs[0].metrics("national") else ""
                  for a in arms[1:]]
        rows.append(f"<tr><td title='{html.escape(run.description('national', metric))}'>{html.escape(metric)}</td>"
                    f"<td>{html.escape(run.units('national', metric))}</td>"
                    + "".join(f"<td class='num'>{c}</td>" for c in cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


STYLE = ("body{font-family:sans-serif;max-width:1200px;margin:1em auto;padding:0 1em}"
         "img{max-width:100%;border:1px solid #ddd}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:2px 8px}td.num{text-align:right;font-family:monospace}"
         "pre{background:#f6f6f6;padding:1em;overflow:auto}")


def write_html(arms, charts, out_dir, extra_links=()):
    """OUTDIR/index.html: identity, national table, every chart (relative paths), scenario YAML."""
    run = arms[0].runs[0]
    title = f"ipsim run: {run.scenario}" + "".join(f" vs {a.label}" for a in arms[1:])
    ident = (f"file <code>{html.escape(os.path.basename(run.path))}</code>, scenario <b>{html.escape(run.scenario)}</b>, "
             f"seed {html.escape(str(run.seed))}, ipsim {html.escape(run.version)}, "
             f"{quarter_label(run.time[0])} to {quarter_label(run.time[-1])} ({len(run.time)} quarters), "
             f"{len(run.sectors)} sectors, {len(run.regions)} regions"
             + ("" if run.attrs.get("complete", 1) else " &mdash; <b>incomplete run</b>"))
    parts = [f"<!doctype html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{STYLE}</style></head><body>", f"<h1>{html.escape(title)}</h1>", f"<p>{ident}</p>"]
    parts += [f"<p><a href='{html.escape(link)}'>{html.escape(link)}</a></p>" for link in extra_links]
    parts += ["<h2>National metrics</h2>", national_table(arms)]
    for chart in charts:
        name = os.path.basename(chart)
        parts.append(f"<h2>{html.escape(name[:-4].replace('_', ' '))}</h2><img src='{html.escape(name)}' alt='{name}'>")
    parts.append(f"<h2>Scenario</h2><details><summary>resolved scenario YAML</summary>"
                 f"<pre>{html.escape(run.scenario_yaml)}</pre></details></body></html>\n")
    path = os.path.join(out_dir, "index.html")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(parts))
    return path


def _parser():
    parser = argparse.ArgumentParser(
        prog="plot_run.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__,
        epilog="examples:\n"
               "  python3 analysis/plot_run.py mic2025.h5 -o plots/            # then open plots/index.html\n"
               "  python3 analysis/plot_run.py mic2025.h5 -o plots/ --sectors semiconductors,nev\n"
               "  python3 analysis/plot_run.py mic2025.h5 ec.h5 -o plots/      # overlay a counterfactual")
    parser.add_argument("results", nargs="+", metavar="RESULT.h5",
                        help="result file of 'ipsim run'; further files are overlaid as counterfactuals")
    parser.add_argument("-o", "--out", default="plots", metavar="OUTDIR", help="output folder (default: plots)")
    parser.add_argument("--sectors", metavar="A,B", help="only these sectors in the per-sector charts")
    parser.add_argument("--top-regions", type=int, default=8, metavar="N",
                        help="regions shown in the debt-ratio chart (default: 8)")
    parser.add_argument("--last-years", "--years", type=float, default=5.0, metavar="N",
                        help="years averaged in differences.md when several files are given (default: 5)")
    return parser


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.top_regions < 1 or not math.isfinite(args.last_years) or args.last_years <= 0:
        parser.error("--top-regions and --last-years must be positive numbers")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        parser.error(f"-o {args.out}: exists and is not a folder; give a folder for the charts")

    def body():
        ipsim_plots.pyplot()  # fail early if matplotlib is missing
        if len(args.results) == 1:
            arms = [compare.Arm(args.results[0], [load(args.results[0])])]
        else:
            base, others = compare.load_arms(args.results)
            arms = [base] + others
        cols = pick_sectors(arms[0].runs[0], args.sectors)
        os.makedirs(args.out, exist_ok=True)
        charts = make_charts(arms, cols, args.top_regions, args.out)
        links = []
        if len(arms) > 1:
            rows = compare.compare_rows(arms[0], arms[1:], args.last_years)
            with open(os.path.join(args.out, "differences.md"), "w", encoding="utf-8") as out:
                out.write(compare.markdown(rows, arms[0], arms[1:], args.last_years))
            links.append("differences.md")
        print(write_html(arms, charts, args.out, links))
        return 0

    try:
        return run_cli(body, "plot_run.py")
    except BrokenPipeError:  # e.g. `plot_run.py ... | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # as if killed by SIGPIPE, like other command-line tools


if __name__ == "__main__":
    sys.exit(main())
