"""Charts of one or several ipsim runs, and an HTML page that shows them.

With one result file: the run's key series per sector and nationally. With several (a baseline
first, then counterfactuals): the same charts overlaid, plus a Markdown table of the difference
of each counterfactual from the baseline, averaged over the last years.
"""
import argparse
import html
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipsim_results import ResultError, load  # noqa: E402

SECTOR_METRICS = ["domestic_share", "chinese_firm_share", "world_share", "utilization", "price",
                  "productivity", "zombies", "capacity"]
NATIONAL_METRICS = ["self_sufficiency", "zombie_share", "misallocation_tfp_gain", "local_debt",
                    "fiscal_cost", "soe_revenue_share_key"]


def _plot_sector_metric(results, metric, out_dir, plt):
    base = results[0]
    n = len(base.sectors)
    cols = 5
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.4 * rows), sharex=True, squeeze=False)
    for j, sector in enumerate(base.sectors):
        ax = axes[j // cols][j % cols]
        for r in results:
            ax.plot(r.time, r.sector(metric)[:, j], label=r.attrs.get("scenario", r.path), linewidth=1.2)
        ax.set_title(sector, fontsize=9)
        ax.tick_params(labelsize=7)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].axis("off")
    axes[0][0].legend(fontsize=7)
    fig.suptitle(f"{metric} ({base.units('sector', metric)})")
    fig.tight_layout()
    path = os.path.join(out_dir, f"sector_{metric}.png")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _plot_national(results, out_dir, plt):
    fig, axes = plt.subplots(2, 3, figsize=(12, 6), squeeze=False)
    for k, metric in enumerate(NATIONAL_METRICS):
        ax = axes[k // 3][k % 3]
        for r in results:
            ax.plot(r.time, r.national(metric), label=r.attrs.get("scenario", r.path))
        ax.set_title(f"{metric} ({results[0].units('national', metric)})", fontsize=9)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    path = os.path.join(out_dir, "national.png")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def late_mean(values, years, time):
    mask = time >= time[-1] - years + 0.01
    return values[mask].mean(axis=0)


def difference_table(results, years):
    """Markdown: counterfactual minus baseline, mean over the last `years` years."""
    base = results[0]
    names = [r.attrs.get("scenario", r.path) for r in results[1:]]
    lines = [f"Mean over the last {years} years; counterfactual minus {base.attrs.get('scenario', base.path)}.", ""]
    lines.append("| series | " + " | ".join(names) + " |")
    lines.append("| --- |" + " --- |" * len(names))
    for metric in NATIONAL_METRICS:
        b = late_mean(base.national(metric), years, base.time)
        cells = [f"{late_mean(r.national(metric), years, r.time) - b:+.4g}" for r in results[1:]]
        lines.append(f"| national/{metric} | " + " | ".join(cells) + " |")
    for metric in ["domestic_share", "world_share", "utilization", "capacity", "output", "zombies", "exports"]:
        b = late_mean(base.sector(metric), years, base.time)
        for j, sector in enumerate(base.sectors):
            cells = [f"{late_mean(r.sector(metric), years, r.time)[j] - b[j]:+.4g}" for r in results[1:]]
            lines.append(f"| {metric} {sector} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_html(results, images, out_dir):
    base = results[0]
    title = " vs ".join(r.attrs.get("scenario", r.path) for r in results)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>ipsim: {html.escape(title)}</title>",
             "<style>body{font-family:sans-serif;max-width:1400px;margin:auto}img{max-width:100%}</style></head><body>",
             f"<h1>ipsim: {html.escape(title)}</h1>",
             f"<p>seed {base.attrs.get('seed')}, ipsim {html.escape(str(base.attrs.get('ipsim_version')))}, "
             f"{base.time[0]:g} to {base.time[-1]:g}</p>"]
    for image in images:
        parts.append(f"<h2>{html.escape(os.path.basename(image)[:-4])}</h2><img src='{os.path.basename(image)}'>")
    parts.append("</body></html>")
    path = os.path.join(out_dir, "index.html")
    with open(path, "w") as handle:
        handle.write("\n".join(parts))
    return path


def main(argv):
    parser = argparse.ArgumentParser(
        description="Charts (PNG) and an HTML page from ipsim result files; with several files, "
                    "the first is the baseline and a difference table is written too.",
        epilog="Examples:\n  python3 analysis/plot_run.py mic2025.h5 -o plots/\n"
               "  python3 analysis/plot_run.py mic2025.h5 ec.h5 -o plots/ --years 5",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", help="HDF5 files written by 'ipsim run' (baseline first)")
    parser.add_argument("-o", "--out", default="plots", help="output folder (default: plots)")
    parser.add_argument("--years", type=float, default=5.0, help="years averaged in the difference table")
    args = parser.parse_args(argv)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        results = [load(p) for p in args.results]
        os.makedirs(args.out, exist_ok=True)
        images = [_plot_national(results, args.out, plt)]
        images += [_plot_sector_metric(results, m, args.out, plt) for m in SECTOR_METRICS]
        print(write_html(results, images, args.out))
        if len(results) > 1:
            table = difference_table(results, args.years)
            with open(os.path.join(args.out, "differences.md"), "w") as handle:
                handle.write(table)
            print(os.path.join(args.out, "differences.md"))
    except ResultError as error:
        print(f"plot_run: error: {error}", file=sys.stderr)
        return 2
    except ImportError as error:
        print(f"plot_run: error: {error} (Debian: apt-get install python3-matplotlib python3-h5py)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
