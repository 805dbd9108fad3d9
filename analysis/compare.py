"""Compare counterfactual ipsim runs with a baseline: differences of late means, with CIs.

For every sector metric (each sector) and national metric, the mean over the last N years of a
counterfactual minus the same mean of the baseline. Written as a Markdown table to stdout and,
with -o, to OUTDIR/compare.md and OUTDIR/compare.csv, with overlay charts of key series.

With several seeds (--base-glob/--other-glob) runs are paired by their seed attribute, so each
pair shares its random numbers (common random numbers), and the table shows the mean paired
difference with a 95 % confidence interval from the t distribution over the pairs. The
statistics are ipsim's own (`ipsim compare --json --sectors`, one implementation in
engine/sweep/paired.cpp), which also refuses runs that differ in scale, horizon or seeds.
"""

import argparse
import csv
import glob
import json
import os
import shutil
import subprocess
import sys

try:
    import numpy as np
except ImportError:  # reported by ipsim_results.load() with an install hint
    np = None

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ipsim_plots  # noqa: E402
from ipsim_results import ResultError, load, run_cli  # noqa: E402

OVERLAY_SECTOR = ["domestic_share", "world_share", "utilization", "price", "zombies"]
SCOPES = ("national", "sector")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_ipsim(explicit=None):
    """The ipsim program: --ipsim, $IPSIM, the source tree's build/ipsim, or ipsim on PATH."""
    for candidate in (explicit, os.environ.get("IPSIM"), os.path.join(ROOT, "build", "ipsim"), shutil.which("ipsim")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError("cannot find the ipsim program: build it (cmake --build --preset release) "
                       "or give its path with --ipsim PATH or IPSIM=PATH")


def ipsim_compare(files, years, ipsim=None):
    """Rows of `ipsim compare --json --sectors --last-years N FILES`, keyed by output name."""
    command = [find_ipsim(ipsim), "compare", "--json", "--sectors", "--last-years", repr(float(years))] + list(files)
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        message = proc.stderr.strip().replace("ipsim: error: ", "", 1) or f"ipsim compare exited with {proc.returncode}"
        raise ResultError(message)
    return {row["output"]: row for row in json.loads(proc.stdout)["rows"]}


def _number(value):
    return None if value is None else float(value)


class Arm:
    """A scenario: one or more runs (one per seed) and the label shown in tables and legends."""

    def __init__(self, source, runs):
        self.source = source
        self.runs = runs
        self.pairs = []  # (base run, this run), set by load_arms for counterfactuals
        self.label = runs[0].scenario or os.path.basename(source)

    def by_seed(self):
        return {run.seed: run for run in self.runs}


def _glob_arm(pattern):
    paths = sorted(glob.glob(pattern))
    if not paths:
        raise ResultError(f"no file matches '{pattern}'")
    runs = [load(p) for p in paths]
    seen = {}
    for run in runs:
        if run.seed in seen:
            raise ResultError(f"'{pattern}': {seen[run.seed]} and {run.path} have the same seed {run.seed}")
        seen[run.seed] = run.path
    return Arm(pattern, runs)


def _unique_labels(arms):
    """Scenario names as labels; file names (or patterns) where scenario names collide."""
    if len({arm.label for arm in arms}) < len(arms):
        for arm in arms:
            arm.label = os.path.splitext(os.path.basename(arm.source))[0] if len(arm.runs) == 1 else arm.source
    if len({arm.label for arm in arms}) < len(arms):
        for k, arm in enumerate(arms):
            arm.label = f"{arm.label} #{k}"


def _check_compatible(base, run):
    if run.sectors != base.sectors:
        raise ResultError(f"cannot compare: {run.path} has sectors {run.sectors}, {base.path} has {base.sectors}")
    if len(run.time) != len(base.time) or not np.allclose(run.time, base.time):
        raise ResultError(f"cannot compare: {run.path} and {base.path} cover different quarters "
                          f"({len(run.time)} and {len(base.time)})")


def load_arms(files=None, base_glob=None, other_globs=None):
    """Base arm and counterfactual arms, from files (base first) or from glob patterns."""
    if base_glob:
        arms = [_glob_arm(base_glob)] + [_glob_arm(p) for p in other_globs or []]
    else:
        arms = [Arm(path, [load(path)]) for path in files]
    if len(arms) < 2:
        raise ResultError("give a baseline and at least one counterfactual")
    for arm in arms[1:]:
        for run in arm.runs:
            _check_compatible(arms[0].runs[0], run)
    _unique_labels(arms)
    for arm in arms[1:]:
        arm.pairs = pairs(arms[0], arm)
    return arms[0], arms[1:]


def pairs(base, other):
    """(base run, other run) pairs: by seed when either arm has several runs."""
    if len(base.runs) == 1 and len(other.runs) == 1:
        b, o = base.runs[0], other.runs[0]
        if b.seed != o.seed:
            print(f"compare.py: note: {o.path} has seed {o.seed}, {b.path} has {b.seed}: the difference "
                  "includes sampling noise", file=sys.stderr)
        return [(b, o)]
    base_seeds, other_seeds = base.by_seed(), other.by_seed()
    common = sorted(set(base_seeds) & set(other_seeds))
    if not common:
        raise ResultError(f"no seed in common between '{base.source}' and '{other.source}'")
    unpaired = sorted(set(base_seeds) ^ set(other_seeds))
    if unpaired:
        print(f"compare.py: note: seeds without a partner ignored: {unpaired}", file=sys.stderr)
    return [(base_seeds[s], other_seeds[s]) for s in common]


def window(time, years):
    """Boolean mask of the rows in the last `years` years (all rows if the run is shorter)."""
    if len(time) == 0:
        raise ResultError("the result files have no quarters")
    return time > time[-1] - years + 1e-9


def series(base_run, metrics=None):
    """(scope, metric) pairs compared: every sector and national metric, or those named."""
    available = [(s, m) for s in SCOPES for m in base_run.metrics(s)]
    if not metrics:
        return available
    unknown = [m for m in metrics if m not in {name for _, name in available}]
    if unknown:
        names = ", ".join(sorted({name for _, name in available}))
        raise ResultError(f"unknown metric(s) {', '.join(unknown)} (sector and national metrics: {names})")
    return [(s, m) for s, m in available if m in metrics]


def compare_rows(base, others, years, metrics=None, ipsim=None):
    """One dict per (scope, metric, entity): base mean and, per counterfactual, (n, diff, lo, hi),
    as computed by ipsim compare over the pairs (lo and hi are None with a single pair)."""
    ref = base.runs[0]
    wanted = series(ref, metrics)
    computed = {}
    for other in others:
        files = [b.path for b, _ in other.pairs] + [o.path for _, o in other.pairs]
        computed[other.label] = ipsim_compare(files, years, ipsim)
    rows = []
    for scope, metric in wanted:
        entities = ref.sectors if scope == "sector" else [""]
        for entity in entities:
            key = f"{scope}/{metric}/{entity}" if entity else f"{scope}/{metric}"
            found = [computed[o.label].get(key) for o in others]
            if any(f is None for f in found):
                print(f"compare.py: note: {key} is not compared by ipsim: left out", file=sys.stderr)
                continue
            row = {"scope": scope, "metric": metric, "entity": entity, "units": found[0]["units"],
                   "base": float(found[0]["base_mean"]), "diff": {}}
            for other, f in zip(others, found):
                row["diff"][other.label] = (int(f["n"]), _number(f["mean_difference"]), _number(f["ci_low"]),
                                            _number(f["ci_high"]))
            rows.append(row)
    return rows


def _num(value, signed=False):
    if value is None:
        return ""
    return f"{value:+.4g}" if signed else f"{value:.4g}"


def _cell(n, mean, lo, hi):
    if lo is None:
        return _num(mean, True)
    return f"{_num(mean, True)} [{_num(lo, True)}, {_num(hi, True)}]"


def markdown(rows, base, others, years):
    """The comparison as Markdown: a header paragraph and one table per scope."""
    time = base.runs[0].time
    mask = window(time, years)
    lines = ["# ipsim comparison", "",
             f"Baseline **{base.label}** ({base.source}); difference = counterfactual - baseline of the mean "
             f"over the last {years:g} year(s) ({time[mask][0]:g} to {time[-1]:g}, {int(mask.sum())} quarters).", ""]
    heads = []
    for o in others:
        k = len(o.pairs)
        heads.append(f"{o.label} - base (mean, 95% CI, {k} seeds)" if k > 1 else f"{o.label} - base")
    for scope in (s for s in SCOPES if any(r["scope"] == s for r in rows)):
        lines += [f"## {scope.capitalize()} metrics", "",
                  "| series | units | base | " + " | ".join(heads) + " |",
                  "| --- | --- | ---: |" + " ---: |" * len(others)]
        for row in (r for r in rows if r["scope"] == scope):
            name = f"{row['metric']} {row['entity']}".strip()
            cells = [_cell(*row["diff"][o.label]) for o in others]
            lines.append(f"| {name} | {row['units']} | {_num(row['base'])} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write_csv(rows, path):
    """Machine-readable comparison: one line per series and counterfactual, full precision."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["scope", "metric", "entity", "units", "counterfactual", "n_pairs",
                         "base_mean", "diff_mean", "ci95_low", "ci95_high"])
        for row in rows:
            for label, (n, mean, lo, hi) in row["diff"].items():
                writer.writerow([row["scope"], row["metric"], row["entity"], row["units"], label, n,
                                 repr(row["base"]), repr(mean), "" if lo is None else repr(lo),
                                 "" if hi is None else repr(hi)])
    return path


def _arm_mean(arm, scope, metric):
    return np.mean([run.table(scope, metric) for run in arm.runs], axis=0)


def _present(arms, scope, metric):
    return all(metric in run.metrics(scope) for arm in arms for run in arm.runs)


def _legend(arm):
    return f"{arm.label} (mean of {len(arm.runs)} seeds)" if len(arm.runs) > 1 else arm.label


def overlay_charts(base, others, out_dir, years):
    """overlay_<metric>.png per key sector metric and overlay_national.png; returns the paths."""
    ref, arms = base.runs[0], [base] + others
    shade = (ref.time[window(ref.time, years)][0], ref.time[-1])
    paths = []
    for metric in (m for m in OVERLAY_SECTOR if _present(arms, "sector", m)):
        ylabel = ipsim_plots.axis_label(ref.units("sector", metric))
        panels = [ipsim_plots.Panel(sector, ylabel) for sector in ref.sectors]
        for arm in arms:
            data = _arm_mean(arm, "sector", metric)
            for j, panel in enumerate(panels):
                panel.add(_legend(arm), ref.time, data[:, j])
        title = f"{ipsim_plots.metric_title(metric)}: {base.label} vs counterfactuals"
        paths.append(ipsim_plots.draw_panels(panels, title, os.path.join(out_dir, f"overlay_{metric}.png"),
                                             shade=shade))
    panels = []
    for metric in (m for m in ipsim_plots.KEY_NATIONAL if _present(arms, "national", m)):
        panel = ipsim_plots.Panel(ipsim_plots.metric_title(metric), ipsim_plots.axis_label(ref.units("national", metric)))
        panels.append(panel)
        for arm in arms:
            panel.add(_legend(arm), ref.time, _arm_mean(arm, "national", metric))
    if panels:
        paths.append(ipsim_plots.draw_panels(panels, f"National outcomes: {base.label} vs counterfactuals",
                                             os.path.join(out_dir, "overlay_national.png"), max_cols=3, shade=shade))
    return paths


def differences_over_time(base, others, ipsim=None):
    """{arm label: {series: [(year, mean, lo, hi)]}} for the key national series, one
    `ipsim compare --json --year Y` per calendar year of the runs (ipsim computes every statistic)."""
    years = sorted({int(t) for t in base.runs[0].time})
    out = {}
    for other in others:
        files = [b.path for b, _ in other.pairs] + [o.path for _, o in other.pairs]
        per_series = {}
        for year in years:
            command = [find_ipsim(ipsim), "compare", "--json", "--year", str(year)] + files
            proc = subprocess.run(command, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise ResultError(proc.stderr.strip().replace("ipsim: error: ", "", 1))
            for row in json.loads(proc.stdout)["rows"]:
                per_series.setdefault(row["output"], []).append(
                    (year, _number(row["mean_difference"]), _number(row["ci_low"]), _number(row["ci_high"])))
        out[other.label] = per_series
    return out


def difference_charts(base, others, out_dir, ipsim=None):
    """difference_national.png: each counterfactual minus the baseline per year, with its 95%
    interval over the paired seeds as a band (needs two seeds or more per side)."""
    if min(len(o.pairs) for o in others) < 2:
        return []
    plt = ipsim_plots.pyplot()
    data = differences_over_time(base, others, ipsim)
    ref = base.runs[0]
    metrics = [m for m in ipsim_plots.KEY_NATIONAL if f"national/{m}" in next(iter(data.values()))]
    cols = min(3, len(metrics))
    rows = (len(metrics) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax, metric in zip(axes.flat, metrics):
        for other in others:
            points = data[other.label][f"national/{metric}"]
            x = [p[0] + 0.5 for p in points]
            ax.plot(x, [p[1] for p in points], label=f"{other.label} - {base.label}")
            if all(p[2] is not None for p in points):
                ax.fill_between(x, [p[2] for p in points], [p[3] for p in points], alpha=0.25)
        ax.axhline(0.0, color="grey", linewidth=0.8)
        ax.set_title(ipsim_plots.metric_title(metric), fontsize=9)
        ax.set_ylabel(f"difference ({ref.units('national', metric)})", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    seeds = ", ".join(str(b.seed) for b, _ in others[0].pairs)
    fig.suptitle(f"Paired differences by year, annual means, 95% intervals over seeds {seeds}", fontsize=10)
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    path = os.path.join(out_dir, "difference_national.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [path]


def _parser():
    parser = argparse.ArgumentParser(
        prog="compare.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__.split("\n\n", 1)[1].strip() if __doc__ else None,
        epilog="examples:\n"
               "  python3 analysis/compare.py mic2025.h5 ec.h5                 # table to stdout\n"
               "  python3 analysis/compare.py mic2025.h5 ec.h5 tariffs.h5 -o cmp/ --last-years 3\n"
               "  python3 analysis/compare.py --base-glob 'base_seed*.h5' --other-glob 'ec_seed*.h5' -o cmp/\n"
               "  python3 analysis/compare.py base.h5 ec.h5 --metrics domestic_share,self_sufficiency\n\n"
               "To make seeded runs: for s in 1 2 3 4 5; do ipsim run mic2025 -o base_seed$s.h5 --seed $s;\n"
               "ipsim run export_controls -o ec_seed$s.h5 --seed $s; done")
    parser.add_argument("files", nargs="*", metavar="RESULT.h5", help="baseline first, then counterfactuals")
    parser.add_argument("-o", "--out", metavar="OUTDIR", help="write compare.md, compare.csv and overlay PNGs here")
    parser.add_argument("--last-years", type=float, default=5.0, metavar="N",
                        help="average over the last N years of the runs (default: 5)")
    parser.add_argument("--base-glob", metavar="PATTERN", help="baseline runs, one per seed (quote the pattern)")
    parser.add_argument("--other-glob", metavar="PATTERN", action="append",
                        help="counterfactual runs, one per seed; repeat for several counterfactuals")
    parser.add_argument("--metrics", metavar="A,B", help="only these sector/national metrics in the table")
    parser.add_argument("--ipsim", metavar="PATH", help="the ipsim program (default: $IPSIM, build/ipsim, or ipsim on PATH)")
    return parser


def _check_args(parser, args):
    if args.last_years <= 0:
        parser.error("--last-years must be positive")
    if bool(args.base_glob) != bool(args.other_glob):
        parser.error("--base-glob and --other-glob go together")
    if args.base_glob and args.files:
        parser.error("give either result files or --base-glob/--other-glob, not both")
    if not args.base_glob and len(args.files) < 2:
        parser.error("give a baseline and at least one counterfactual result file")
    if args.out and os.path.exists(args.out) and not os.path.isdir(args.out):
        parser.error(f"-o {args.out}: exists and is not a folder; give a folder for compare.md, compare.csv and the charts")


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    _check_args(parser, args)

    def body():
        base, others = load_arms(args.files, args.base_glob, args.other_glob)
        metrics = [m for m in (args.metrics or "").split(",") if m]
        rows = compare_rows(base, others, args.last_years, metrics, args.ipsim)
        text = markdown(rows, base, others, args.last_years)
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            charts = overlay_charts(base, others, args.out, args.last_years)
            charts += difference_charts(base, others, args.out, args.ipsim)
            links = "\n".join(f"![{os.path.basename(p)}]({os.path.basename(p)})" for p in charts)
            with open(os.path.join(args.out, "compare.md"), "w", encoding="utf-8") as out:
                out.write(text + "\n## Charts\n\n" + links + "\n")
            write_csv(rows, os.path.join(args.out, "compare.csv"))
        print(text)
        return 0

    return run_cli(body, "compare.py")


if __name__ == "__main__":
    sys.exit(main())
