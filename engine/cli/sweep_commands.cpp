/*!
 * @file sweep_commands.cpp
 * @brief The `sweep` and `compare` commands: thin layers over ipsim::sweep that parse, print
 *        and map outcomes to exit codes.
 *
 * Both print comparisons through the same three formatters (table, CSV, JSON) over a
 * sweep::CompareTable, so `ipsim sweep`'s closing table and `ipsim compare` agree digit for
 * digit. Missing values (NaN: one pair, or no pairs) print as "-" in tables, empty in CSV and
 * null in JSON.
 */
#include "cli/sweep_commands.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "io/input_error.hpp"
#include "sweep/compare.hpp"
#include "sweep/runner.hpp"
#include "sweep/sweep_file.hpp"

namespace ipsim::cli {
namespace {

std::atomic<bool> g_sweep_cancel{false};

extern "C" void on_sweep_signal(int /*signal*/) { g_sweep_cancel.store(true); }

constexpr const char* kSweepHelp = R"(Runs a sweep: a base scenario over a design of parameter values and several seeds, with
optional policy arms run on the same rows (same parameter values and seeds), all runs in
parallel. Writes one HDF5 file with the design, one summary value per run and output, the
paired differences of every arm against the base (mean, standard error, 95% CI), Sobol or
Morris indices for those designs, and each run's series. Finished runs are kept in
OUT.h5.parts/ while the sweep runs; after an interruption (even kill -9) --resume continues
where it stopped and gives the same file. See docs/sweeps.md for the sweep file format.)";

constexpr const char* kSweepExamples = R"(
Examples:
  ipsim sweep scenarios/sweeps/demo.yaml -o demo.h5 --threads 2
  ipsim sweep scenarios/sweeps/demo.yaml -o demo.h5 --resume     # after an interruption
  ipsim compare demo.h5 --csv > demo_compare.csv)";

constexpr const char* kCompareHelp = R"(Compares results, paired so that only the policy differs. One sweep file: each arm against
its base. Two sweep files: second minus first, row by row. Single-run files (any number of
seeds of two scenarios): the runs of the first file's scenario are the base, pairs are
formed by seed, and the means of the national series over the last year (--last-years N;
--sectors adds every sector series) are compared. Refuses runs
that differ in scale (firm count, sectors, regions), horizon or seeds.)";

constexpr const char* kCompareExamples = R"(
Examples:
  ipsim compare base.h5 export_controls.h5
  ipsim compare base_s1.h5 base_s2.h5 ec_s1.h5 ec_s2.h5 --json
  ipsim compare demo.h5 --csv)";

std::string cell(double x, int precision = 4) {
    if (!std::isfinite(x)) {
        return "-";
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*g", precision, x);
    return buf;
}

std::string csv_number(double x) {
    if (!std::isfinite(x)) {
        return "";
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", x);
    return buf;
}

std::string json_number(double x) { return std::isfinite(x) ? csv_number(x) : "null"; }

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        if (static_cast<unsigned char>(c) < 0x20) {
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string format_table(const sweep::CompareTable& t) {
    std::ostringstream os;
    std::string seeds;
    for (const auto& s : t.seeds) {
        seeds += (seeds.empty() ? "" : ",") + s;
    }
    os << "paired comparison against " << t.base << " (" << t.note << "; seeds " << seeds << ")\n";
    int arm_width = 3;
    int output_width = 6;
    for (const auto& r : t.rows) {
        arm_width = std::max(arm_width, static_cast<int>(r.arm.size()));
        output_width = std::max(output_width, static_cast<int>(r.output.size()));
    }
    char line[1024];
    std::snprintf(line, sizeof(line), "%-*s  %-*s %11s %11s %11s %24s %5s  %s\n", arm_width, "arm", output_width, "output", "base",
                  "arm", "difference", "95% CI", "n", "units");
    os << line;
    for (const auto& r : t.rows) {
        const std::string ci = std::isfinite(r.stats.ci_low) ? "[" + cell(r.stats.ci_low) + ", " + cell(r.stats.ci_high) + "]" : "-";
        std::snprintf(line, sizeof(line), "%-*s  %-*s %11s %11s %11s %24s %5zu  %s\n", arm_width, r.arm.c_str(), output_width,
                      r.output.c_str(), cell(r.base_mean).c_str(), cell(r.arm_mean).c_str(), cell(r.stats.mean).c_str(), ci.c_str(),
                      r.stats.n, r.units.c_str());
        os << line;
    }
    return os.str();
}

std::string format_csv(const sweep::CompareTable& t) {
    std::ostringstream os;
    os << "arm,output,units,n,base_mean,arm_mean,mean_difference,se,ci_low,ci_high\n";
    for (const auto& r : t.rows) {
        os << r.arm << "," << r.output << ",\"" << r.units << "\"," << r.stats.n << "," << csv_number(r.base_mean) << ","
           << csv_number(r.arm_mean) << "," << csv_number(r.stats.mean) << "," << csv_number(r.stats.se) << ","
           << csv_number(r.stats.ci_low) << "," << csv_number(r.stats.ci_high) << "\n";
    }
    return os.str();
}

std::string format_json(const sweep::CompareTable& t) {
    std::ostringstream os;
    os << "{\"kind\": " << json_string(t.kind) << ", \"base\": " << json_string(t.base) << ", \"note\": " << json_string(t.note)
       << ", \"seeds\": [";
    for (std::size_t i = 0; i < t.seeds.size(); ++i) {
        os << (i ? ", " : "") << t.seeds[i];
    }
    os << "], \"rows\": [";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const auto& r = t.rows[i];
        os << (i ? ",\n  " : "\n  ") << "{\"arm\": " << json_string(r.arm) << ", \"output\": " << json_string(r.output)
           << ", \"units\": " << json_string(r.units) << ", \"n\": " << r.stats.n << ", \"base_mean\": " << json_number(r.base_mean)
           << ", \"arm_mean\": " << json_number(r.arm_mean) << ", \"mean_difference\": " << json_number(r.stats.mean)
           << ", \"se\": " << json_number(r.stats.se) << ", \"ci_low\": " << json_number(r.stats.ci_low)
           << ", \"ci_high\": " << json_number(r.stats.ci_high) << "}";
    }
    os << "\n]}\n";
    return os.str();
}

}  // namespace

void add_sweep_commands(CLI::App& app, SweepOptions& sweep, CompareOptions& compare) {
    auto* s = app.add_subcommand("sweep", kSweepHelp);
    s->add_option("sweep_file", sweep.file, "sweep file (YAML; see docs/sweeps.md)")->required();
    s->add_option("-o,--output", sweep.output, "sweep file to write (default: <sweep name>.h5); written only when complete");
    s->add_option("--threads", sweep.threads, "worker threads (default 0: all cores)")->check(CLI::Range(0U, 4096U));
    s->add_flag("--resume", sweep.resume, "continue an interrupted sweep from OUT.h5.parts/");
    s->add_flag("-q,--quiet", sweep.quiet, "no progress bar and no table");
    s->footer(kSweepExamples);
    auto* c = app.add_subcommand("compare", kCompareHelp);
    c->add_option("files", compare.files, "result files (ipsim run) or sweep files (ipsim sweep)")->required();
    auto* csv = c->add_flag("--csv", compare.csv, "CSV on stdout");
    c->add_flag("--json", compare.json, "JSON on stdout")->excludes(csv);
    c->add_option("--last-years", compare.last_years, "single runs: mean over the last N years (default 1)");
    c->add_flag("--sectors", compare.sectors, "single runs: every sector series too (sector/<metric>/<sector>)");
    c->add_option("--year", compare.year, "single runs: mean over one calendar year instead (repeat per year for differences over time)")
        ->check(CLI::Range(1.0, 1e5))
        ->excludes("--last-years");
    c->footer(kCompareExamples);
}

int sweep_command(const SweepOptions& options) {
    const auto spec = sweep::load_sweep_file(options.file);
    const std::string output = options.output.empty() ? spec.name + ".h5" : options.output;
    std::signal(SIGINT, on_sweep_signal);
    std::signal(SIGTERM, on_sweep_signal);
    ProgressReporter progress(!options.quiet && ProgressReporter::stderr_is_terminal());
    std::size_t resumed = SIZE_MAX;
    sweep::RunnerOptions run;
    run.threads = options.threads;
    run.resume = options.resume;
    run.cancel = &g_sweep_cancel;
    run.on_progress = [&](const sweep::SweepProgress& p) {
        if (resumed == SIZE_MAX) {
            resumed = p.done;
        }
        progress.update_runs(p.done, p.failed, p.total, p.done - resumed);
    };
    const auto outcome = sweep::run_sweep(spec, output, run);
    progress.finish();
    if (outcome.interrupted) {
        std::cerr << "ipsim: interrupted; " << outcome.resumed + outcome.ran << " of " << outcome.total << " runs kept in "
                  << sweep::parts_folder(output).string() << "; continue with --resume\n";
        return kInterrupted;
    }
    if (!options.quiet && !outcome.result.comparisons.empty()) {
        std::cout << format_table(sweep::compare_files({output}));
    }
    if (!options.quiet && (spec.design.method == "sobol" || spec.design.method == "morris")) {
        std::cout << spec.design.method << " indices of every output written to /sensitivity (charts: analysis/plot_sweep.py)\n";
    }
    if (!options.quiet) {
        std::cout << "wrote " << output << " (" << outcome.total << " runs, " << outcome.result.failed.size() << " failed)\n";
    }
    if (!outcome.result.failed.empty()) {
        std::cerr << "ipsim: " << outcome.result.failed.size() << " of " << outcome.total << " runs failed (recorded in /failed):\n";
        for (const auto& f : outcome.result.failed) {
            std::cerr << "  " << f.run_id << ": " << f.message << "\n";
        }
        return kRunFailure;
    }
    return kSuccess;
}

int compare_command(const CompareOptions& options) {
    const auto table = sweep::compare_files(options.files, {options.last_years, options.sectors, options.year});
    std::cout << (options.json ? format_json(table) : (options.csv ? format_csv(table) : format_table(table)));
    std::cout.flush();
    return kSuccess;
}

}  // namespace ipsim::cli
