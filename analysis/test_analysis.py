"""Tests of the analysis scripts on synthetic result files (unittest, standard library).

The synthetic files follow docs/output.md: 2 sectors, 3 regions, 12 quarters and every metric
of the engine's catalog, whose names, units and descriptions are read from
engine/model/metrics.hpp, so a renamed metric that a script plots fails here. Values follow a
known formula, so late means, differences and confidence intervals can be checked exactly.
Skipped when h5py, numpy or matplotlib is missing.

    /usr/bin/python3 -m unittest analysis/test_analysis.py     (from the source root)
    /usr/bin/python3 analysis/test_analysis.py
"""

import csv
import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG_SOURCE = os.path.join(HERE, "..", "engine", "model", "metrics.hpp")
sys.path.insert(0, HERE)

try:
    import h5py
    import matplotlib  # noqa: F401  (only checked: the scripts import it)
    import numpy as np
    import compare
    import ipsim_plots
    import ipsim_results
    import plot_run
    MISSING = None
except ImportError as err:
    MISSING = str(err)

SECTORS = ["semiconductors", "nev"]
REGIONS = ["Beijing", "Guangdong", "Jiangsu"]
STEPS = 12


def read_catalog():
    """[(scope, name, units, description)] parsed from the engine's metric catalog."""
    with open(CATALOG_SOURCE, encoding="utf-8") as src:
        text = src.read()
    consts = dict(re.findall(r'constexpr const char\* (\w+) = "([^"]*)";', text))
    rows = []
    # One list per scope: "#define IPSIM_SECTOR_METRICS(X) \" then lines "X(name, units, "meaning") \".
    for scope, body in re.findall(r'#define IPSIM_(\w+?)_METRICS\(X\)((?:[^\n]*\\\n)*[^\n]*)', text):
        for name, units, desc in re.findall(r'X\((\w+), (\w+|"[^"]*"), "((?:[^"\\]|\\.)*)"\)', body):
            rows.append((scope.lower(), name, consts.get(units, units.strip('"')), desc))
    return rows


def value(k, t, j, seed):
    """Synthetic value of the k-th metric of a scope at quarter t, column j, for a seed."""
    return 0.5 + 0.01 * t + 0.1 * j + 0.001 * k + 0.001 * seed


def write_result(path, seed=1, scenario="base", shift=None):
    """A result file in the documented layout; shift maps 'scope/metric' to an added constant."""
    shift = shift or {}
    text = h5py.string_dtype()
    dims = {"sector": (len(SECTORS),), "region": (len(REGIONS),),
            "region_sector": (len(REGIONS), len(SECTORS)), "national": ()}
    with h5py.File(path, "w", track_order=True) as f:
        for key, val in [("ipsim_version", "0.1.0-test"), ("scenario", scenario)]:
            f.attrs.create(key, val, dtype=text)
        for key, val in [("seed", seed), ("layout_version", 1), ("n_steps", STEPS), ("complete", 1)]:
            f.attrs.create(key, np.uint64(val))
        yaml = (f"name: {scenario}\nseed: {seed}\ntime: {{quarters: {STEPS}}}\n"
                f"sectors: [{', '.join('{name: %s}' % s for s in SECTORS)}]\n"
                f"regions: [{', '.join('{name: %s}' % r for r in REGIONS)}]\n")
        f.create_dataset("scenario_yaml", data=yaml, dtype=text)
        f.create_dataset("time", data=2015.0 + 0.25 * np.arange(STEPS))
        f.create_dataset("sectors", data=SECTORS, dtype=text)
        f.create_dataset("regions", data=REGIONS, dtype=text)
        counters = {}
        for scope, name, units, desc in read_catalog():
            k = counters[scope] = counters.get(scope, -1) + 1
            shape = dims[scope]
            cols = np.arange(int(np.prod(shape))).reshape(shape) if shape else np.array(0)
            data = np.array([value(k, t, cols, seed) for t in range(STEPS)], dtype=float)
            group = f.require_group(scope) if scope in f else f.create_group(scope, track_order=True)
            ds = group.create_dataset(name, data=data + shift.get(f"{scope}/{name}", 0.0))
            for key, val in [("units", units), ("description", desc), ("dimensions", scope)]:
                ds.attrs.create(key, val, dtype=text)
    return path


def run_script(script, *args):
    env = dict(os.environ, MPLCONFIGDIR=tempfile.mkdtemp(prefix="mpl-"))
    return subprocess.run([sys.executable, os.path.join(HERE, script), *args], capture_output=True,
                          text=True, env=env, timeout=300)


def read_compare_csv(path):
    with open(path, newline="", encoding="utf-8") as src:
        return {(r["scope"], r["metric"], r["entity"], r["counterfactual"]): r for r in csv.DictReader(src)}


@unittest.skipIf(MISSING, f"analysis dependencies missing: {MISSING}")
class AnalysisTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="ipsim-analysis-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def ok(self, script, *args):
        proc = run_script(script, *args)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc


class CatalogTest(AnalysisTestCase):
    def test_every_plotted_metric_is_in_the_engine_catalog(self):
        names = {(scope, name) for scope, name, _, _ in read_catalog()}
        self.assertGreater(len(names), 40)
        wanted = [("sector", m) for m in plot_run.SECTOR_METRICS + plot_run.CAPACITY_OUTPUT + compare.OVERLAY_SECTOR]
        wanted += [("national", m) for m in ipsim_plots.KEY_NATIONAL] + [("region", plot_run.REGION_METRIC)]
        self.assertEqual([w for w in wanted if w not in names], [])


class ReaderTest(AnalysisTestCase):
    def test_load(self):
        run = ipsim_results.load(write_result(self.path("r.h5"), seed=7, scenario="mic2025"))
        self.assertEqual((run.scenario, run.seed, run.version), ("mic2025", 7, "0.1.0-test"))
        self.assertEqual((run.sectors, run.regions), (SECTORS, REGIONS))
        np.testing.assert_allclose(run.time, 2015.0 + 0.25 * np.arange(STEPS))
        self.assertEqual(run.sector("price").shape, (STEPS, 2))
        self.assertEqual(run.region("debt_ratio").shape, (STEPS, 3))
        self.assertEqual(run.region_sector("focus").shape, (STEPS, 3, 2))
        self.assertEqual(run.national("fiscal_cost").shape, (STEPS,))
        self.assertEqual(run.units("sector/price"), "index (start = 1)")
        self.assertEqual(run.units("national", "fiscal_cost"), "bn CNY per quarter")
        self.assertIn("name: mic2025", run.scenario_yaml)
        k = run.metrics("sector").index("output")
        self.assertAlmostEqual(run.sector("output")[3, 1], value(k, 3, 1, 7))
        with self.assertRaises(ipsim_results.ResultError):
            run.sector("no_such_metric")

    def test_to_csv(self):
        run = ipsim_results.load(write_result(self.path("r.h5")))
        written = ipsim_results.to_csv(run.path, self.path("csv"))
        self.assertEqual(sorted(os.path.basename(p) for p in written),
                         ["metrics.csv", "national.csv", "region.csv", "region_sector.csv", "sector.csv"])
        with open(self.path("csv", "sector.csv"), newline="") as src:
            rows = list(csv.reader(src))
        self.assertEqual(rows[0], ["time", "scope", "entity", "metric", "value"])
        self.assertEqual(len(rows) - 1, STEPS * len(SECTORS) * len(run.metrics("sector")))
        hit = [r for r in rows if r[2] == "nev" and r[3] == "price" and float(r[0]) == 2016.0]
        self.assertEqual(len(hit), 1)
        self.assertEqual(float(hit[0][4]), run.sector("price")[4, 1])
        with open(self.path("csv", "region_sector.csv"), newline="") as src:
            self.assertIn("Jiangsu/nev", {r["entity"] for r in csv.DictReader(src)})

    def test_cli(self):
        path = write_result(self.path("r.h5"), scenario="mic2025")
        self.assertIn("mic2025", self.ok("ipsim_results.py", path).stdout)
        table = self.ok("ipsim_results.py", path, "--table", "national/self_sufficiency").stdout.splitlines()
        self.assertEqual((table[0], len(table)), ("time,national", STEPS + 1))
        self.ok("ipsim_results.py", path, "-o", self.path("csv"))
        self.assertTrue(os.path.isfile(self.path("csv", "national.csv")))


class PlotRunTest(AnalysisTestCase):
    CHARTS = ["national.png", "sector_capacity_output.png", "region_debt_ratio.png"] + \
             [f"sector_{m}.png" for m in ["domestic_share", "world_share", "utilization", "price",
                                          "zombies", "productivity"]]

    def test_one_run(self):
        path = write_result(self.path("r.h5"), seed=42, scenario="mic2025")
        self.ok("plot_run.py", path, "-o", self.path("out"), "--sectors", "nev")
        for name in self.CHARTS:
            self.assertGreater(os.path.getsize(self.path("out", name)), 1000, name)
        with open(self.path("out", "index.html"), encoding="utf-8") as src:
            page = src.read()
        for text in ["mic2025", "seed 42", "0.1.0-test", "self_sufficiency", "bn CNY per quarter"]:
            self.assertIn(text, page)
        for src_name in re.findall(r"<img src='([^']+)'", page):
            self.assertTrue(os.path.isfile(self.path("out", src_name)), src_name)
        k = ipsim_results.load(path).metrics("national").index("self_sufficiency")
        self.assertIn(f"{value(k, STEPS - 1, 0, 42):.6g}", page)

    def test_overlay_writes_differences(self):
        base = write_result(self.path("b.h5"), scenario="mic2025")
        other = write_result(self.path("c.h5"), scenario="export_controls", shift={"sector/domestic_share": -0.2})
        self.ok("plot_run.py", base, other, "-o", self.path("out"))
        with open(self.path("out", "differences.md"), encoding="utf-8") as src:
            self.assertRegex(src.read(), r"\| domestic_share semiconductors \| 1 \| [^|]+ \| -0\.2 \|")


class CompareTest(AnalysisTestCase):
    def test_two_runs(self):
        base = write_result(self.path("b.h5"), scenario="mic2025")
        other = write_result(self.path("c.h5"), scenario="ec", shift={"sector/domestic_share": 0.1,
                                                                        "national/fiscal_cost": 2.5})
        proc = self.ok("compare.py", base, other, "-o", self.path("cmp"), "--last-years", "1")
        self.assertIn("| domestic_share nev | 1 |", proc.stdout)
        rows = read_compare_csv(self.path("cmp", "compare.csv"))
        self.assertAlmostEqual(float(rows["sector", "domestic_share", "nev", "ec"]["diff_mean"]), 0.1, places=12)
        self.assertAlmostEqual(float(rows["national", "fiscal_cost", "", "ec"]["diff_mean"]), 2.5, places=12)
        self.assertAlmostEqual(float(rows["sector", "price", "nev", "ec"]["diff_mean"]), 0.0, places=12)
        k = ipsim_results.load(base).metrics("sector").index("domestic_share")
        base_mean = float(rows["sector", "domestic_share", "semiconductors", "ec"]["base_mean"])
        self.assertAlmostEqual(base_mean, value(k, 9.5, 0, 1), places=12)  # quarters 8..11
        for name in ["compare.md", "overlay_national.png"] + [f"overlay_{m}.png" for m in compare.OVERLAY_SECTOR]:
            self.assertTrue(os.path.isfile(self.path("cmp", name)), name)

    def test_seeds(self):
        for seed in (1, 2, 3):
            write_result(self.path(f"base_seed{seed}.h5"), seed=seed, scenario="mic2025")
            write_result(self.path(f"same_seed{seed}.h5"), seed=seed, scenario="same")
            write_result(self.path(f"ec_seed{seed}.h5"), seed=seed, scenario="ec",
                         shift={"sector/domestic_share": 0.1 + 0.01 * seed})
        self.ok("compare.py", "--base-glob", self.path("base_seed*.h5"), "--other-glob", self.path("same_seed*.h5"),
                "--other-glob", self.path("ec_seed*.h5"), "-o", self.path("cmp"))
        rows = read_compare_csv(self.path("cmp", "compare.csv"))
        same = rows["sector", "zombies", "nev", "same"]
        self.assertEqual(same["n_pairs"], "3")
        self.assertEqual([float(same[c]) for c in ("diff_mean", "ci95_low", "ci95_high")], [0.0, 0.0, 0.0])
        ec = rows["sector", "domestic_share", "semiconductors", "ec"]
        half = 4.302652730 * 0.01 / math.sqrt(3)
        self.assertAlmostEqual(float(ec["diff_mean"]), 0.12, places=10)
        self.assertAlmostEqual(float(ec["ci95_low"]), 0.12 - half, places=10)
        self.assertAlmostEqual(float(ec["ci95_high"]), 0.12 + half, places=10)

    def test_refuses_runs_of_another_scale(self):
        base = write_result(self.path("b.h5"), scenario="mic2025")
        other = write_result(self.path("c.h5"), seed=2, scenario="ec")
        proc = run_script("compare.py", base, other)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("compare.py: error: compare: the seeds differ", proc.stderr)

    def test_output_path_that_is_a_file(self):
        base = write_result(self.path("b.h5"), scenario="mic2025")
        other = write_result(self.path("c.h5"), scenario="ec")
        proc = run_script("compare.py", base, other, "-o", base)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("exists and is not a folder", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)


class SweepTest(AnalysisTestCase):
    """A real sweep through the built ipsim: the reader and the report (skipped without ipsim)."""

    def test_sweep_reader_and_report(self):
        try:
            ipsim = compare.find_ipsim()
        except RuntimeError as err:
            self.skipTest(str(err))
        with open(self.path("tiny.yaml"), "w", encoding="utf-8") as out:
            out.write("name: tiny\ntime: {quarters: 8}\nfirms: {count: 200}\n"
                      "sectors: [{name: a}, {name: b}]\nregions: [{name: r1}, {name: r2}]\n")
        with open(self.path("s.yaml"), "w", encoding="utf-8") as out:
            out.write("base: tiny\nparameters: {local.weight_herding: {range: [0.2, 1.0]}}\n"
                      "design: {method: morris, samples: 2}\nseeds: 2\narms: {cut: [local.investment_subsidy=0]}\n"
                      "outputs: {cost: {metric: fiscal_cost, stat: sum}, share: {metric: world_share, sector: a}}\n")
        proc = subprocess.run([ipsim, "sweep", self.path("s.yaml"), "-o", self.path("s.h5"), "--quiet"],
                              capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        sweep = ipsim_results.load_sweep(self.path("s.h5"))
        self.assertEqual(sweep.arms, ["base", "cut"])
        self.assertEqual(sweep.outputs, ["cost", "share"])
        self.assertEqual(sweep.seeds, [1, 2])
        self.assertEqual(len(sweep.summary["cut"]["cost"]), 8)
        diff = sweep.summary["cut"]["cost"] - sweep.summary["base"]["cost"]
        self.assertAlmostEqual(sweep.compare["cut"]["cost"]["mean"], float(diff.mean()), places=9)
        self.assertEqual(sweep.sensitivity["cost"]["method"], "morris")
        run = sweep.run(sweep.run_ids[0])
        self.assertEqual(len(run.time), 8)
        self.ok("plot_sweep.py", self.path("s.h5"), "-o", self.path("report"))
        for name in ["index.html", "distributions.png", "paired.png", "sensitivity.png"]:
            self.assertTrue(os.path.isfile(self.path("report", name)), name)
        proc = run_script("plot_sweep.py", write_result(self.path("r.h5")), "-o", self.path("bad"))
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("is not an ipsim sweep file", proc.stderr)


class BadInputTest(AnalysisTestCase):
    def assert_bad(self, script, *args):
        proc = run_script(script, *args)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("error:", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)

    def test_bad_input_exits_2(self):
        good = write_result(self.path("r.h5"))
        text = self.path("notes.h5")
        with open(text, "w") as out:
            out.write("not hdf5\n")
        with h5py.File(self.path("other.h5"), "w") as f:
            f.create_dataset("x", data=[1.0])
        for bad in [self.path("missing.h5"), text, self.path("other.h5")]:
            self.assert_bad("ipsim_results.py", bad)
            self.assert_bad("plot_run.py", bad, "-o", self.path("out"))
            self.assert_bad("compare.py", good, bad)
        self.assert_bad("ipsim_results.py", good, "--table", "sector/no_such_metric")
        self.assert_bad("compare.py", good, good, "--metrics", "no_such_metric")
        self.assert_bad("plot_run.py", good, "-o", self.path("out"), "--sectors", "steel")
        self.assert_bad("plot_run.py", good, "-o", text)
        self.assert_bad("plot_run.py", good, good, "-o", self.path("out"), "--last-years", "nan")
        self.assert_bad("plot_run.py", good, good, "-o", self.path("out"), "--last-years", "inf")
        self.assert_bad("compare.py", good)
        self.assert_bad("compare.py", "--base-glob", self.path("nothing*.h5"), "--other-glob", self.path("x*.h5"))

    def test_closed_pipe_is_not_a_traceback(self):
        good = write_result(self.path("r.h5"))
        proc = subprocess.run(f"'{sys.executable}' '{os.path.join(HERE, 'plot_run.py')}' '{good}' -o '{self.path('out')}' | true",
                              shell=True, capture_output=True, text=True)
        self.assertNotIn("Traceback", proc.stderr)

    def test_help_has_examples(self):
        for script in ["ipsim_results.py", "plot_run.py", "compare.py", "plot_sweep.py", "calibration_table.py"]:
            self.assertIn("examples:", self.ok(script, "--help").stdout)


class CalibrationTableTest(unittest.TestCase):
    """Needs only the standard library: docs/calibration.md lists every value mic2025 sets."""

    def test_calibration_doc_lists_every_value_of_mic2025(self):
        import calibration_table
        expected = calibration_table.table(os.path.join(HERE, "..", "scenarios", "mic2025.yaml"))
        with open(os.path.join(HERE, "..", "docs", "calibration.md"), encoding="utf-8") as f:
            doc = f.read()
        self.assertIn(expected, doc, "docs/calibration.md is stale: run /usr/bin/python3 analysis/calibration_table.py "
                                     "scenarios/mic2025.yaml --write docs/calibration.md")

    def test_unreadable_layout_is_an_error_naming_the_line(self):
        with tempfile.TemporaryDirectory(prefix="ipsim-analysis-") as tmp:
            bad = os.path.join(tmp, "bad.yaml")
            with open(bad, "w") as out:
                out.write("name: x\nsectors:\n  - {name: a}\n  - just text\n")
            proc = run_script("calibration_table.py", bad)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("bad.yaml:4", proc.stderr)
            self.assertNotIn("Traceback", proc.stderr)


if __name__ == "__main__":
    unittest.main()
