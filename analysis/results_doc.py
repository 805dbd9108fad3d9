"""Tables and charts of docs/results.md from runs of the shipped scenarios over several seeds.

    /usr/bin/python3 analysis/results_doc.py runs/ --seeds 1,2,3,4,5 --img docs/img > tables.md

Reads runs/<scenario>_<seed>.h5 (from `ipsim run <scenario> -o runs/<scenario>_<seed>.h5 --seed
<seed>`), prints Markdown tables to stdout:
  1. the baseline against held-out public figures (mean over seeds, with the range over seeds),
  2. the baseline against the figures used to set inputs (to show the inputs are reproduced),
  3. the baseline pattern by sector (2015, 2023, 2035 and the 2031-2035 mean),
  4. counterfactuals against mic2025: paired differences over seeds, mean and standard error,
     taken from `ipsim compare ... --json` (one implementation of the statistics),
and writes the charts of results.md into --img. Statistics: "annual mean" is the mean of the
four quarters of a calendar year; "Q4" the fourth quarter; a window "2031-2035" the mean of its
quarters.
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import ipsim_results  # noqa: E402

SCENARIOS = ["mic2025", "no_industrial_policy", "central_coordination", "no_herding",
             "export_controls", "foreign_tariffs", "fiscal_squeeze", "hard_budget"]
GDP_2019 = 99_000.0  # bn CNY, NBS (about 99 tn CNY)


def load_runs(folder, seeds):
    runs = {}
    for s in SCENARIOS:
        runs[s] = [ipsim_results.load(os.path.join(folder, f"{s}_{seed}.h5")) for seed in seeds]
    return runs


class Stat:
    """Helpers over a list of runs (one per seed) of one scenario."""

    def __init__(self, runs):
        self.runs = runs
        self.t = runs[0].time
        self.sectors = list(runs[0].sectors)

    def _series(self, run, metric, sector=None):
        if sector is None:
            return run.national(metric)
        return run.sector(metric)[:, self.sectors.index(sector)]

    def per_seed(self, fn):
        return np.array([fn(r) for r in self.runs])

    def annual(self, metric, year, sector=None):
        m = (self.t >= year) & (self.t < year + 1)
        return self.per_seed(lambda r: self._series(r, metric, sector)[m].mean())

    def window(self, metric, y0, y1, sector=None):
        m = (self.t >= y0) & (self.t < y1 + 1)
        return self.per_seed(lambda r: self._series(r, metric, sector)[m].mean())

    def quarter(self, metric, year, q, sector=None):
        i = int(np.argmin(np.abs(self.t - (year + (q - 1) / 4))))
        return self.per_seed(lambda r: self._series(r, metric, sector)[i])

    def annual_sum(self, metric, year, sector=None):
        m = (self.t >= year) & (self.t < year + 1)
        return self.per_seed(lambda r: self._series(r, metric, sector)[m].sum())

    def all_sector_util(self, year, q=None):
        def one(r):
            out, cap = r.sector("output"), r.sector("capacity")
            if q is None:
                m = (self.t >= year) & (self.t < year + 1)
            else:
                m = np.abs(self.t - (year + (q - 1) / 4)) < 1e-6
            return out[m].sum() / cap[m].sum()
        return self.per_seed(one)


def fmt(x, kind):
    if kind == "pct":
        return f"{100 * x:.1f}%"
    if kind == "x":
        return f"x{x:.2f}" if x < 1 else f"x{x:.1f}"
    if kind == "tn":
        return f"{x / 1000:.1f} tn"
    if kind == "pp":
        return f"{100 * x:+.1f} pts"
    return f"{x:.3g}"


def cell(values, kind):
    """Mean over seeds with the range over seeds."""
    lo, hi, mean = values.min(), values.max(), values.mean()
    if len(values) > 1 and fmt(lo, kind) != fmt(hi, kind):
        return f"{fmt(mean, kind)} ({fmt(lo, kind)} to {fmt(hi, kind)})"
    return fmt(mean, kind)


def heldout_rows(b):
    """(outcome, statistic, model values per seed, kind, public figure)."""
    rows = []
    nev_dem = b.annual("china_demand", 2023, "nev") / b.annual("china_demand", 2015, "nev")
    rows.append(("NEV: China demand 2023 / 2015 (quantities at 2015 prices)", "annual means",
                 nev_dem, "x", "unit sales x25-30 (0.33 m to 8-9.5 m, CAAM, IEA) [trend input, see note]"))
    for y in (2022, 2023):
        sh = b.annual("china_demand", y, "nev") / (b.annual("china_demand", y, "nev") + b.annual("world_demand", y, "nev"))
        rows.append((f"NEV: China's share of world demand {y}", "annual mean", sh, "pct",
                     "~60% of world EV sales (IEA GEVO) [trend inputs, see note]"))
    for y in (2022, 2023):
        rows.append((f"NEV: China-located share of world output {y}", "annual mean",
                     b.annual("world_share", y, "nev"), "pct", "~60% of sales; Chinese makers > half of EVs sold (2023)"))
    rows.append(("batteries: China-located share of world output 2020", "annual mean",
                 b.annual("world_share", 2020, "batteries"), "pct", "> 70% of cell capacity (IEA)"))
    rows.append(("solar PV: China-located share of world output 2023", "annual mean",
                 b.annual("world_share", 2023, "solar_pv"), "pct", "> 80% of every stage (IEA, CPIA)"))
    rows.append(("solar PV: utilisation 2023", "annual mean",
                 b.annual("utilization", 2023, "solar_pv"), "pct", "about 50-60% (CPIA)"))
    ch = b.quarter("price", 2023, 4, "solar_pv") / b.quarter("price", 2022, 4, "solar_pv") - 1
    rows.append(("solar PV: price change in 2023", "2023Q4 / 2022Q4", ch, "pct", "module prices -42% in 2023"))
    rows.append(("steel: utilisation 2015", "annual mean",
                 b.annual("utilization", 2015, "steel"), "pct", "67-71% (CMPRI, EC)"))
    rows.append(("all 14 sectors: utilisation 2023", "annual, output / capacity",
                 b.all_sector_util(2023), "pct", "all industry 74.3-75.6% (NBS, 2023Q1-Q3)"))
    for q, pub in ((1, "74.3%"), (2, "74.5%"), (3, "75.6%")):
        rows.append((f"all 14 sectors: utilisation 2023Q{q}", "the quarter",
                     b.all_sector_util(2023, q), "pct", f"all industry {pub} (NBS)"))
    for q, pub in ((2, "73.3%"), (3, "75.6%")):
        rows.append((f"NEV: utilisation 2023Q{q}", "the quarter",
                     b.quarter("utilization", 2023, q, "nev"), "pct", f"automotive {pub} (NBS)"))
    rows.append(("telecom equipment: utilisation 2023", "annual mean",
                 b.annual("utilization", 2023, "telecom_equipment"), "pct", "computers and electronics 74.6-76.5% (NBS)"))
    rows.append(("semiconductors: utilisation 2023", "annual mean",
                 b.annual("utilization", 2023, "semiconductors"), "pct", "computers and electronics 74.6-76.5% (NBS)"))
    for y, pub in ((2020, "15.9%"), (2021, "16.7%"), (2026, "21.2% (forecast)")):
        rows.append((f"semiconductors: China-located share of China's market {y}", "annual mean",
                     b.annual("domestic_share", y, "semiconductors"), "pct", f"{pub} (IC Insights)"))
    rows.append(("semiconductors: Chinese-owned firms' share 2021", "annual mean",
                 b.annual("chinese_firm_share", 2021, "semiconductors"), "pct", "6.6% (IC Insights)"))
    for y, pub in ((2021, "42%"), (2022, "52%")):
        rows.append((f"robotics: Chinese-owned firms' share {y}", "annual mean",
                     b.annual("chinese_firm_share", y, "robotics_machine_tools"), "pct", f"domestic brands {pub} (IFR, KOTRA)"))
        rows.append((f"robotics: China-located share {y}", "annual mean",
                     b.annual("domestic_share", y, "robotics_machine_tools"), "pct", f"domestic brands {pub}"))
    d = b.annual("soe_revenue_share_key", 2022, None) - b.annual("soe_revenue_share_key", 2015, None)
    rows.append(("SOE revenue share, key industries: change 2015-2022", "annual means", d, "pp",
                 "~90% to ~83%: about -7 pts (seed 003)"))
    for y, pub in ((2017, "30.7 tn"), (2022, "56.7 tn"), (2023, "~66 tn")):
        rows.append((f"local government debt {y}", "Q4", b.quarter("local_debt", y, 4), "tn",
                     f"LGFV debt {pub} (IMF) [gap assumption set with it in view, see note]"))
    rows.append(("zombie share of China-located firms 2015", "annual mean",
                 b.annual("zombie_share", 2015), "pct", "about 10% of industrial firms, mid-2010s"))
    rows.append(("zombie share 2016-2019", "mean of the quarters",
                 b.window("zombie_share", 2016, 2019), "pct", "about 10% of industrial firms, mid-2010s"))
    fc = b.annual_sum("fiscal_cost", 2019) / GDP_2019
    rows.append(("fiscal cost 2019, 14 sectors, share of GDP", "sum of the quarters / 99 tn", fc, "pct",
                 "all industrial policy >= 1.73% of GDP (CSIS)"))
    rows.append(("misallocation TFP gain 2015-2020", "mean of the quarters",
                 b.window("misallocation_tfp_gain", 2015, 2020), "pct", "30-50% (Hsieh-Klenow, 1998-2005)"))
    return rows


def calibration_rows(b):
    rows = []
    rows.append(("semiconductors: China-located share of China's market 2015", "2015Q1",
                 b.quarter("domestic_share", 2015, 1, "semiconductors"), "pct", "input 0.13 (IC Insights)"))
    for s, inp in (("steel", "0.5 (worldsteel)"), ("solar_pv", "0.7 (IEA)"), ("batteries", "0.5 (53% in 2017, seed 003)"),
                   ("nev", "0.45 (IEA)")):
        rows.append((f"{s}: world share 2015", "2015Q1", b.quarter("world_share", 2015, 1, s), "pct", f"input {inp}"))
    rows.append(("robotics: China-located share 2015", "2015Q1",
                 b.quarter("domestic_share", 2015, 1, "robotics_machine_tools"), "pct", "input 0.31 (IFR: domestic brands 31%)"))
    rows.append(("robotics: Chinese-owned share 2015", "2015Q1",
                 b.quarter("chinese_firm_share", 2015, 1, "robotics_machine_tools"), "pct", "(not an input)"))
    rows.append(("SOE revenue share, key industries 2015", "2015Q1",
                 b.quarter("soe_revenue_share_key", 2015, 1), "pct", "soe_share inputs (~90%, seed 003)"))
    for s, src, per_year in (("batteries", "BNEF pack prices ~-13%/yr", 0.87), ("solar_pv", "IEA modules ~-12%/yr", 0.88)):
        p = b.annual("price", 2023, s) / b.quarter("price", 2015, 1, s)
        rows.append((f"{s}: price 2023 / 2015Q1", "annual mean / first quarter", p, "x",
                     f"{src}: {per_year ** 8:.2f} over 8 years (trend_price_change, learning_per_doubling)"))
    rows.append(("local government debt 2015", "2015Q1", b.quarter("local_debt", 2015, 1), "tn",
                 "input: region debt (~24 tn in 2014, MIT CFP)"))
    return rows


def table(rows, header):
    out = [f"| {' | '.join(header)} |", "| " + " | ".join("---" for _ in header) + " |"]
    for name, stat, vals, kind, pub in rows:
        out.append(f"| {name} | {stat} | {cell(vals, kind)} | {pub} |")
    return "\n".join(out)


PATTERN = [("domestic_share", "pct"), ("chinese_firm_share", "pct"), ("world_share", "pct"),
           ("utilization", "pct"), ("normal_utilization", "pct"), ("price_cost_margin", "pct"),
           ("price", "num")]


def pattern_table(b):
    lines = ["| sector | domestic share 2015 / 2035 | Chinese-owned 2035 | world share 2015 / 2035 | "
             "utilisation 2015 / 2023 / 2031-35 | normal util. 2031-35 | price-cost margin 2015 / 2031-35 | "
             "price 2035 (2015Q1 = 1) | scrapped 2031-35 (% of capacity a year) | zombies 2031-35 (% of firms) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in b.sectors:
        a = lambda m, y: b.annual(m, y, s).mean()  # noqa: E731
        w = lambda m: b.window(m, 2031, 2035, s).mean()  # noqa: E731
        scr = 4 * w("scrapped") / w("capacity")
        zs = w("zombies") / w("firms")
        lines.append(
            f"| {s} | {100*a('domestic_share',2015):.0f}% / {100*a('domestic_share',2035):.0f}% | "
            f"{100*a('chinese_firm_share',2035):.0f}% | {100*a('world_share',2015):.0f}% / {100*a('world_share',2035):.0f}% | "
            f"{100*a('utilization',2015):.0f}% / {100*a('utilization',2023):.0f}% / {100*w('utilization'):.0f}% | "
            f"{100*w('normal_utilization'):.1f}% | {100*a('price_cost_margin',2015):.1f}% / {100*w('price_cost_margin'):.1f}% | "
            f"{a('price',2035):.2f} | {100*scr:.2f}% | {100*zs:.1f}% |")
    return "\n".join(lines)


def national_table(b):
    ms = ["self_sufficiency", "self_sufficiency_fixed_weights", "self_sufficiency_quantity", "zombie_share",
          "zombie_capital_share", "misallocation_tfp_gain", "soe_revenue_share_key", "fiscal_cost", "local_debt",
          "support_debt", "structural_gap_debt", "focus_concentration", "funds_paid_in", "funds_portfolio_value",
          "funds_write_offs"]
    lines = ["| national series | 2015 | 2020 | 2025 | 2035 |", "| --- | --- | --- | --- | --- |"]
    for m in ms:
        lines.append(f"| {m} | " + " | ".join(f"{b.annual(m, y).mean():.4g}" for y in (2015, 2020, 2025, 2035)) + " |")
    return "\n".join(lines)


CF_ROWS = [
    "national/self_sufficiency", "national/self_sufficiency_fixed_weights", "national/zombie_share",
    "national/zombie_capital_share", "national/misallocation_tfp_gain", "national/fiscal_cost",
    "national/local_debt", "national/support_debt", "national/soe_revenue_share_key", "national/focus_concentration",
    "national/firms",
    "sector/utilization/semiconductors", "sector/utilization/telecom_equipment", "sector/utilization/nev",
    "sector/utilization/batteries", "sector/utilization/solar_pv", "sector/utilization/steel",
    "sector/price_cost_margin/batteries", "sector/price_cost_margin/solar_pv",
    "sector/price/batteries", "sector/price/solar_pv", "sector/price/semiconductors",
    "sector/capacity/nev", "sector/capacity/batteries", "sector/capacity/solar_pv", "sector/capacity/telecom_equipment",
    "sector/output/semiconductors", "sector/output/telecom_equipment", "sector/output/nev",
    "sector/domestic_share/semiconductors", "sector/domestic_share/aerospace", "sector/domestic_share/nev",
    "sector/domestic_share/rail", "sector/productivity/semiconductors", "sector/firms/semiconductors",
    "sector/exports/nev", "sector/exports/batteries",
    "sector/zombies/semiconductors", "sector/zombies/solar_pv", "sector/scrapped/batteries",
    "sector/bailouts/semiconductors",
]


def num(x):
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 100:
        return f"{x:.0f}"
    if a >= 1:
        return f"{x:.3g}"
    return f"{x:.2g}"


def compare(ipsim, folder, seeds, arm):
    files = [os.path.join(folder, f"mic2025_{s}.h5") for s in seeds] + \
            [os.path.join(folder, f"{arm}_{s}.h5") for s in seeds]
    out = subprocess.run([ipsim, "compare", *files, "--last-years", "5", "--sectors", "--json"],
                         check=True, capture_output=True, text=True).stdout
    return {r["output"]: r for r in json.loads(out)["rows"]}


def cf_table(ipsim, folder, seeds):
    arms = SCENARIOS[1:]
    res = {a: compare(ipsim, folder, seeds, a) for a in arms}
    lines = ["| series (mean 2031-2035) | mic2025 | " + " | ".join(arms) + " |",
             "| --- | --- | " + " | ".join("---" for _ in arms) + " |"]
    for k in CF_ROWS:
        base = res[arms[0]][k]["base_mean"]
        cells = []
        for a in arms:
            r = res[a][k]
            d, se = r["mean_difference"], r["se"]
            mark = "" if abs(d) > 2 * se or d == 0 else " (n.s.)"
            cells.append(f"{'+' if d > 0 else ''}{num(d)} ± {num(se)}{mark}")
        name = k.replace("sector/", "").replace("national/", "national ")
        lines.append(f"| {name} | {num(base)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def totals_table(runs):
    """Firm demography summed over sectors and all 84 quarters: paired difference per seed, mean and
    standard error (sd / sqrt(n)), the same statistic as ipsim compare (which has no national
    demography series to compare)."""
    arms = SCENARIOS[1:]
    ms = ["entries", "exits", "bailouts", "refinanced", "scrapped"]
    tot = lambda rs, m: np.array([r.sector(m).sum() for r in rs])  # noqa: E731
    lines = ["| 2015-2035 total, all sectors | mic2025 | " + " | ".join(arms) + " |",
             "| --- | --- | " + " | ".join("---" for _ in arms) + " |"]
    for m in ms:
        b = tot(runs["mic2025"], m)
        cells = []
        for a in arms:
            d = tot(runs[a], m) - b
            se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
            cells.append(f"{'+' if d.mean() > 0 else ''}{num(d.mean())} ± {num(se)}")
        lines.append(f"| {m} | {num(b.mean())} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- charts

def mean_series(runs, metric, group="sector"):
    return np.mean([r.sector(metric) if group == "sector" else r.national(metric) for r in runs], axis=0)


def charts(runs, img):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    b = runs["mic2025"]
    t = b[0].time
    sectors = list(b[0].sectors)
    cmap = plt.get_cmap("tab20")
    colors = {s: cmap(i) for i, s in enumerate(sectors)}
    nseeds = len(b)

    # baseline shares
    fig, axes = plt.subplots(1, 3, figsize=(16, 5), sharey=True)
    for ax, (m, title) in zip(axes, [("domestic_share", "China-located share of China's market"),
                                     ("chinese_firm_share", "Chinese-owned firms' share of China's market"),
                                     ("world_share", "China-located share of world output")]):
        y = mean_series(b, m)
        for j, s in enumerate(sectors):
            ax.plot(t, y[:, j], color=colors[s], label=s, lw=1.6)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("share (mean of %d seeds)" % nseeds)
    axes[2].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.suptitle("mic2025 baseline: domestic and world shares by sector", fontsize=11)
    fig.tight_layout()
    fig.savefig(os.path.join(img, "baseline_shares.png"), dpi=90)
    plt.close(fig)

    # overcapacity
    fig, axes = plt.subplots(2, 2, figsize=(14, 9))
    u = mean_series(b, "utilization")
    nu = mean_series(b, "normal_utilization")
    pcm = mean_series(b, "price_cost_margin")
    pr = mean_series(b, "price")
    z = mean_series(b, "zombies") / np.maximum(mean_series(b, "firms"), 1)
    for j, s in enumerate(sectors):
        axes[0, 0].plot(t, u[:, j] - nu[:, j], color=colors[s], label=s, lw=1.5)
        axes[0, 1].plot(t, pcm[:, j], color=colors[s], lw=1.5)
        axes[1, 0].semilogy(t, pr[:, j], color=colors[s], lw=1.5)
        axes[1, 1].plot(t, z[:, j], color=colors[s], lw=1.5)
    axes[0, 0].axhline(0, color="k", lw=0.8)
    axes[0, 0].set_title("utilisation minus the sector's normal utilisation", fontsize=10)
    axes[0, 1].set_title("price-cost margin (price net of R&D / full unit cost - 1)", fontsize=10)
    axes[1, 0].set_title("price index (start = 1, log scale)", fontsize=10)
    axes[1, 1].set_title("zombie firms / China-located firms", fontsize=10)
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=7, ncol=2)
    fig.suptitle("mic2025 baseline: overcapacity signals by sector (mean of %d seeds)" % nseeds, fontsize=11)
    fig.tight_layout()
    fig.savefig(os.path.join(img, "baseline_overcapacity.png"), dpi=90)
    plt.close(fig)

    # national counterfactuals
    ms = [("self_sufficiency", "self-sufficiency (chained index)", 1),
          ("zombie_share", "zombie share of firms", 1),
          ("misallocation_tfp_gain", "misallocation: TFP gain from equal MRPs", 1),
          ("fiscal_cost", "fiscal cost (bn CNY per quarter)", 1),
          ("local_debt", "local government debt (tn CNY)", 1e-3),
          ("support_debt", "local debt from industrial support (tn CNY)", 1e-3)]
    fig, axes = plt.subplots(2, 3, figsize=(16, 8.5))
    for ax, (m, title, sc) in zip(axes.flat, ms):
        for k, s in enumerate(SCENARIOS):
            y = mean_series(runs[s], m, "national") * sc
            ax.plot(t, y, label=s, lw=2.2 if s == "mic2025" else 1.3,
                    color="k" if s == "mic2025" else plt.get_cmap("tab10")(k))
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=7)
    fig.suptitle("national series, mic2025 and counterfactuals (mean of %d seeds)" % nseeds, fontsize=11)
    fig.tight_layout()
    fig.savefig(os.path.join(img, "counterfactuals_national.png"), dpi=90)
    plt.close(fig)

    # trade shocks
    panels = [("output", "semiconductors", "semiconductors: output"),
              ("domestic_share", "semiconductors", "semiconductors: domestic share"),
              ("output", "telecom_equipment", "telecom equipment: output"),
              ("exports", "nev", "NEV exports"),
              ("exports", "batteries", "battery exports"),
              ("utilization", "nev", "NEV utilisation")]
    fig, axes = plt.subplots(2, 3, figsize=(16, 8.5))
    for ax, (m, s, title) in zip(axes.flat, panels):
        j = sectors.index(s)
        for name, col in (("mic2025", "k"), ("export_controls", "tab:red"), ("foreign_tariffs", "tab:blue")):
            ax.plot(t, mean_series(runs[name], m)[:, j], label=name, color=col, lw=1.6)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("trade shocks: export controls on chips (from 2019) and foreign tariffs on NEVs and batteries "
                 "(from 2024Q4), mean of %d seeds" % nseeds, fontsize=11)
    fig.tight_layout()
    fig.savefig(os.path.join(img, "trade_shocks.png"), dpi=90)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folder")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--img", default=None, help="write the charts here")
    p.add_argument("--ipsim", default=os.environ.get("IPSIM", "build/ipsim"))
    a = p.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    runs = load_runs(a.folder, seeds)
    b = Stat(runs["mic2025"])
    hdr = ["outcome", "statistic", f"model (mean of {len(seeds)} seeds; range)", "public figure"]
    print("## held out\n")
    print(table(heldout_rows(b), hdr))
    print("\n## calibration targets\n")
    print(table(calibration_rows(b), hdr))
    print("\n## pattern\n")
    print(pattern_table(b))
    print()
    print(national_table(b))
    print("\n## counterfactuals\n")
    print(cf_table(a.ipsim, a.folder, seeds))
    print()
    print(totals_table(runs))
    if a.img:
        os.makedirs(a.img, exist_ok=True)
        charts(runs, a.img)


if __name__ == "__main__":
    main()
