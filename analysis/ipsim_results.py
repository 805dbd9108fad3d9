"""Read ipsim result files (HDF5) into NumPy arrays and export them as tidy CSV.

An ``ipsim run`` writes one HDF5 file laid out as described in docs/output.md: the axes
``/time``, ``/sectors`` and ``/regions``, one table per metric under ``/sector``, ``/region``,
``/region_sector`` and ``/national``, and the run identity in root attributes. This module is
the one place the analysis scripts read that layout:

    import ipsim_results
    run = ipsim_results.load("out.h5")
    run.time                      # numpy array of decimal years (2015.25 is 2015 Q2)
    run.sectors, run.regions      # lists of names, the columns of the tables
    run.sector("price")           # numpy array [time x sector]
    run.units("sector/price")     # 'index (start = 1)'
    ipsim_results.to_csv("out.h5", "csv/")   # one long-format CSV per group
    sweep = ipsim_results.load_sweep("demo.h5")   # a sweep file: design, summaries, comparisons

Run as a script it prints a summary of a file, exports CSV or prints one table. Problems with
the input (missing file, not an ipsim result, unknown metric) raise ResultError; the scripts turn
it into a message and exit code 2.
"""

import argparse
import csv
import os
import sys

try:
    import numpy as np
except ImportError:  # reported by ipsim_results.load() with an install hint
    np = None

try:
    import h5py
except ImportError:  # reported when a file is actually opened
    h5py = None

GROUPS = ("sector", "region", "region_sector", "national")
REQUIRED = ("time", "sectors", "regions")
BAD_INPUT = 2


class ResultError(Exception):
    """The input is not a usable ipsim result (missing, wrong format, unknown name)."""


def _text(value):
    """Decode an HDF5 string (bytes, numpy.bytes_ or str) to str."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    return str(value)


def _attr(value):
    """Turn an HDF5 attribute into a plain Python value."""
    if isinstance(value, (bytes, np.bytes_, str)):
        return _text(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


class Result:
    """One ipsim run held in memory: axes, root attributes and every metric table."""

    def __init__(self, path, time, sectors, regions, attrs, scenario_yaml, tables, meta):
        self.path = path
        self.time = time
        self.sectors = sectors
        self.regions = regions
        self.attrs = attrs
        self.scenario_yaml = scenario_yaml
        self._tables = tables  # {"sector": {name: array}, ...} in file order
        self._meta = meta      # {"sector/price": {"units": ..., "description": ...}}

    @property
    def scenario(self):
        return str(self.attrs.get("scenario", ""))

    @property
    def seed(self):
        return self.attrs.get("seed")

    @property
    def version(self):
        return str(self.attrs.get("ipsim_version", ""))

    def metrics(self, group):
        """Names of the metrics stored under /<group>, in file order."""
        if group not in GROUPS:
            raise ResultError(f"unknown group '{group}' (groups: {', '.join(GROUPS)})")
        return list(self._tables[group])

    def table(self, group, metric):
        """The array stored at /<group>/<metric>; ResultError if there is none."""
        names = self.metrics(group)
        if metric not in names:
            listed = ", ".join(names) or "none"
            raise ResultError(f"{self.path}: unknown {group} metric '{metric}' (available: {listed})")
        return self._tables[group][metric]

    def sector(self, metric):
        """[time x sector] array of a sector metric."""
        return self.table("sector", metric)

    def region(self, metric):
        """[time x region] array of a region metric."""
        return self.table("region", metric)

    def region_sector(self, metric):
        """[time x region x sector] array of a region-sector metric."""
        return self.table("region_sector", metric)

    def national(self, metric):
        """[time] array of a national metric."""
        return self.table("national", metric)

    def _meta_of(self, path, metric=None):
        key = f"{path}/{metric}" if metric else path.strip("/")
        if key not in self._meta:
            raise ResultError(f"{self.path}: no metric '{key}' (write it as group/metric, e.g. sector/price)")
        return self._meta[key]

    def units(self, path, metric=None):
        """Units of a table: units('sector/price') or units('sector', 'price') -> 'index (start = 1)'."""
        return self._meta_of(path, metric)["units"]

    def description(self, path, metric=None):
        """Description attribute of a table, addressed like units()."""
        return self._meta_of(path, metric)["description"]

    def to_csv(self, out_dir):
        """Write <group>.csv files (time,scope,entity,metric,value) and metrics.csv; return paths."""
        os.makedirs(out_dir, exist_ok=True)
        written = [self._write_group_csv(g, out_dir) for g in GROUPS if self._tables[g]]
        written.append(self._write_catalog_csv(out_dir))
        return written

    def _entities(self, group):
        if group == "sector":
            return self.sectors
        if group == "region":
            return self.regions
        if group == "region_sector":
            return [f"{r}/{s}" for r in self.regions for s in self.sectors]
        return ["national"]

    def _write_group_csv(self, group, out_dir):
        path = os.path.join(out_dir, f"{group}.csv")
        entities = self._entities(group)
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["time", "scope", "entity", "metric", "value"])
            for metric, data in self._tables[group].items():
                rows = data.reshape(len(self.time), len(entities))
                for t, row in zip(self.time, rows):
                    for entity, value in zip(entities, row):
                        writer.writerow([repr(float(t)), group, entity, metric, repr(float(value))])
        return path

    def _write_catalog_csv(self, out_dir):
        path = os.path.join(out_dir, "metrics.csv")
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["scope", "metric", "units", "description"])
            for key, meta in self._meta.items():
                group, metric = key.split("/", 1)
                writer.writerow([group, metric, meta["units"], meta["description"]])
        return path


def _open(path):
    if h5py is None or np is None:
        raise RuntimeError("numpy and h5py are needed but not installed for this Python "
                           f"({sys.executable}): on Debian, apt-get install python3-numpy python3-h5py "
                           "python3-matplotlib and run the script with /usr/bin/python3")
    if not os.path.isfile(path):
        raise ResultError(f"result file '{path}' does not exist")
    try:
        return h5py.File(path, "r")
    except OSError as err:
        raise ResultError(f"'{path}' is not an HDF5 file ({err})") from None


def _read_groups(f):
    tables = {g: {} for g in GROUPS}
    meta = {}
    for group in GROUPS:
        if group not in f:
            continue
        for name, ds in f[group].items():
            tables[group][name] = np.asarray(ds[()], dtype=float)
            meta[f"{group}/{name}"] = {key: _text(ds.attrs.get(key, "")) for key in ("units", "description")}
    return tables, meta


def _result_from(f, path):
    """A Result from an HDF5 group in the single-run layout (a file's root, or /runs/<id> of a sweep)."""
    missing = [name for name in REQUIRED if name not in f]
    if missing or "ipsim_version" not in f.attrs:
        what = ", ".join("/" + m for m in missing) or "attribute ipsim_version"
        hint = "; it is a sweep file: use load_sweep() or plot_sweep.py" if "sweep_yaml" in f else ""
        raise ResultError(f"'{path}' is not an ipsim result (missing {what}){hint}; see docs/output.md")
    time = np.asarray(f["time"][()], dtype=float)
    sectors = [_text(s) for s in f["sectors"][()]]
    regions = [_text(r) for r in f["regions"][()]]
    attrs = {key: _attr(value) for key, value in f.attrs.items()}
    yaml = _text(f["scenario_yaml"][()]) if "scenario_yaml" in f else ""
    tables, meta = _read_groups(f)
    return Result(path, time, sectors, regions, attrs, yaml, tables, meta)


def load(path):
    """Read the result file at path into a Result; ResultError if it is not an ipsim result."""
    with _open(path) as f:
        return _result_from(f, path)


class Sweep:
    """An ipsim sweep file (docs/sweeps.md): design, per-run summaries, paired comparisons,
    sensitivity indices, failures, and each kept run as a Result.

        s = load_sweep("demo.h5")
        s.design["local.weight_herding"]        # numpy array, one value per row
        s.summary["hard_budget"]["zombie_share"]
        s.compare["hard_budget"]["zombie_share"]  # {"mean", "se", "ci_low", "ci_high", "n", "differences"}
        s.sensitivity["fiscal_cost"]              # {"method", "S1", "ST", ...} (sobol and morris designs)
        s.run("hard_budget-0003").national("zombie_share")
    """

    def __init__(self, path, attrs, sweep_yaml, design, summary, units, compare, sensitivity, failed, run_ids):
        self.path = path
        self.attrs = attrs
        self.sweep_yaml = sweep_yaml
        self.design = design            # {param: array}, plus "seed" and "point"
        self.summary = summary          # {arm: {output: array}}
        self.units = units              # {output: units text}
        self.compare = compare          # {arm: {output: {...}}}
        self.sensitivity = sensitivity  # {output: {...}}
        self.failed = failed            # [(run id, message)]
        self.run_ids = run_ids

    @property
    def name(self):
        return str(self.attrs.get("sweep", ""))

    @property
    def arms(self):
        return list(self.summary)

    @property
    def outputs(self):
        return list(self.summary.get("base", {}))

    @property
    def parameters(self):
        return [p for p in self.design if p not in ("seed", "point")]

    @property
    def seeds(self):
        return sorted({int(s) for s in self.design.get("seed", [])})

    def run(self, run_id):
        """The run `run_id` (e.g. 'base-0003') as a Result with the series the sweep kept."""
        if run_id not in self.run_ids:
            raise ResultError(f"{self.path}: no run '{run_id}' (runs: {', '.join(self.run_ids[:5])}, ...)")
        with _open(self.path) as f:
            return _result_from(f["runs"][run_id], f"{self.path}:/runs/{run_id}")


def _sensitivity(group):
    out = {"parameters": [_text(p) for p in group["parameters"][()]]} if "parameters" in group else {}
    indices = {}
    for output, g in group.items():
        if not isinstance(g, h5py.Group):
            continue
        entry = {key: _attr(value) for key, value in g.attrs.items()}
        entry.update({name: np.asarray(ds[()], dtype=float) for name, ds in g.items()})
        indices[output] = entry
    return out.get("parameters", []), indices


def load_sweep(path):
    """Read a sweep file written by 'ipsim sweep'; ResultError if it is not one."""
    with _open(path) as f:
        if "sweep_yaml" not in f:
            raise ResultError(f"'{path}' is not an ipsim sweep file (no /sweep_yaml); see docs/sweeps.md")
        attrs = {key: _attr(value) for key, value in f.attrs.items()}
        design = {name: np.asarray(ds[()], dtype=float) for name, ds in f["design"].items()}
        summary, units = {}, {}
        for arm, group in f["summary"].items():
            summary[arm] = {name: np.asarray(ds[()], dtype=float) for name, ds in group.items()}
            for name, ds in group.items():
                units[name] = _text(ds.attrs.get("units", ""))
        compare = {}
        for arm, group in f.get("compare", {}).items():
            compare[arm] = {}
            for name, ds in group.items():
                entry = {key: _attr(ds.attrs[key]) for key in ("n", "mean", "sd", "se", "ci_low", "ci_high", "t_crit")
                         if key in ds.attrs}
                entry["differences"] = np.asarray(ds[()], dtype=float)
                compare[arm][name] = entry
        parameters, sensitivity = _sensitivity(f["sensitivity"]) if "sensitivity" in f else ([], {})
        for entry in sensitivity.values():
            entry["parameters"] = parameters
        failed = []
        if "failed" in f:
            ids = [_text(x) for x in f["failed"]["run_id"][()]]
            messages = [_text(x) for x in f["failed"]["message"][()]]
            failed = list(zip(ids, messages))
        run_ids = list(f["runs"]) if "runs" in f else []
        yaml = _text(f["sweep_yaml"][()])
    return Sweep(path, attrs, yaml, design, summary, units, compare, sensitivity, failed, run_ids)


def is_sweep(path):
    """True if path is an ipsim sweep file."""
    with _open(path) as f:
        return "sweep_yaml" in f


def to_csv(path, out_dir):
    """Export the result file at path as tidy CSV files in out_dir; return the written paths."""
    return load(path).to_csv(out_dir)


def run_cli(main, prog):
    """Run main(); report ResultError and unusable paths as 'prog: error: ...' with exit code 2,
    missing modules and other failures with exit code 1, and stop quietly (exit 0) when the
    reader of stdout goes away (| head)."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ResultError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return BAD_INPUT
    except (FileExistsError, NotADirectoryError, IsADirectoryError, PermissionError) as err:
        print(f"{prog}: error: {err.filename or ''}: {err.strerror}", file=sys.stderr)
        return BAD_INPUT
    except RuntimeError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 1


def _summary(run):
    lines = [f"file      {run.path}",
             f"scenario  {run.scenario}   seed {run.seed}   ipsim {run.version}",
             f"time      {run.time[0]:g} .. {run.time[-1]:g} ({len(run.time)} quarters)" if len(run.time)
             else "time      (empty)",
             f"sectors   {', '.join(run.sectors)}",
             f"regions   {', '.join(run.regions)}"]
    for group in GROUPS:
        lines.append(f"{group + '/':<14}{', '.join(run.metrics(group)) or '-'}")
    return "\n".join(lines)


def _print_table(run, path):
    group, _, metric = path.strip("/").partition("/")
    data = run.table(group, metric)
    entities = run._entities(group)
    writer = csv.writer(sys.stdout)
    writer.writerow(["time"] + entities)
    for t, row in zip(run.time, data.reshape(len(run.time), len(entities))):
        writer.writerow([f"{t:g}"] + [f"{v:.10g}" for v in row])


def _parser():
    parser = argparse.ArgumentParser(
        prog="ipsim_results.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Summarise an ipsim result file, export it as CSV, or print one table.\n\n"
                    "The CSV export writes sector.csv, region.csv, region_sector.csv and national.csv\n"
                    "in long format (time,scope,entity,metric,value; region_sector entities are\n"
                    "'region/sector') plus metrics.csv with the units and description of every table.",
        epilog="examples:\n"
               "  python3 analysis/ipsim_results.py out.h5                  # what is in the file\n"
               "  python3 analysis/ipsim_results.py out.h5 -o out_csv/        # export every table\n"
               "  python3 analysis/ipsim_results.py out.h5 --table sector/price > price.csv")
    parser.add_argument("result", help="result file written by 'ipsim run'")
    parser.add_argument("-o", "--csv", metavar="OUTDIR", help="write the tidy CSV files into OUTDIR")
    parser.add_argument("--table", metavar="GROUP/METRIC", help="print one table as wide CSV to stdout")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)

    def body():
        run = load(args.result)
        if args.table:
            _print_table(run, args.table)
        elif args.csv:
            for path in run.to_csv(args.csv):
                print(path)
        else:
            print(_summary(run))
        return 0

    return run_cli(body, "ipsim_results.py")


if __name__ == "__main__":
    sys.exit(main())
