/*!
 * @file main.cpp
 * @brief The `ipsim` program: parses the command line with CLI11 and maps outcomes to exit
 *        codes (0 success, 2 bad input, 1 failure while running, 128 + signal when stopped:
 *        130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
 */
#include <CLI/CLI.hpp>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/design_commands.hpp"
#include "cli/sweep_commands.hpp"
#include "io/input_error.hpp"
#include "io/yaml_tree.hpp"
#include "model/version.hpp"

namespace {

using namespace ipsim::cli;

/*! Blocks from this size on (firm-sized vectors from about 32,000 firms) are mapped on their own. */
constexpr int kLargeBlockBytes = 256 << 10;

/*! Makes glibc map every large block on its own and unmap it when freed, for the whole process.
 *
 *  By default glibc raises its mmap threshold to the size of each mapped block freed (up to 32
 *  MiB), so the next firm-sized vectors (index members, row maps, scratch) come from the heap;
 *  short-lived ones freed between long-lived ones are never returned, and at full scale the heap
 *  held about 45 MiB for about 23 MiB of live blocks (peak RSS 324 MiB, 305 with this). A fixed
 *  threshold turns that adjustment off. It changes no result, only where blocks come from: a
 *  firm-sized block now costs an mmap and its page faults each time (a few ms a quarter). Set
 *  here, in the program, because a library should not change a process-wide allocator setting
 *  behind its embedder's back. */
void map_large_blocks_on_their_own() {
#if defined(__GLIBC__)
    static_cast<void>(::mallopt(M_MMAP_THRESHOLD, kLargeBlockBytes));
#endif
}

constexpr const char* kRunHelp = R"(Runs a scenario quarter by quarter and writes its time series to an HDF5 file.
With no SCENARIO the shipped baseline 'mic2025' (2015Q1-2035Q4) runs. SCENARIO is a YAML
file or the name of a shipped scenario (see 'ipsim scenarios'). The same scenario and seed
give bit-identical results with any number of threads, so counterfactuals run with the same
seed share their random numbers.)";

constexpr const char* kRunExamples = R"(
Examples:
  ipsim run                                      # the baseline, to mic2025.h5
  ipsim run export_controls -o ec.h5             # a shipped counterfactual, paired with the baseline (seed 1)
  ipsim run export_controls -o ec_2.h5 --seed 2  # pair it with 'ipsim run mic2025 -o base_2.h5 --seed 2'
  ipsim run my.yaml --set firms.count=200000 --set sectors.nev.policy.output_subsidy=0
  ipsim run --set 'sectors.nev.world.tariff={2015: 0, 2024: 0.3}' --threads 2 --quiet
  ipsim run --threads 1 --quiet --profile        # only the time per phase (docs/performance.md)

--set takes a dotted path to any scenario field (list items by name or [index]) and a YAML
value; it is validated like the file (an empty value is an error, not the default). See
'ipsim schema' for every field. -o must name a new file or an earlier ipsim result; devices,
FIFOs, links, the scenario itself and other files are refused.)";

constexpr const char* kValidateHelp = R"(Loads a scenario (with its 'extends' base and any --set overrides) and checks every
field: types, ranges, unknown keys, names of sectors and regions, and memory. Prints 'ok'
and a one-line description, or the first problem with file:line:column, and exits 2.)";

constexpr const char* kValidateExamples = R"(
Examples:
  ipsim validate scenarios/mic2025.yaml
  ipsim validate my_counterfactual.yaml --print > resolved.yaml)";

void add_run(CLI::App& app, RunOptions& o) {
    auto* run = app.add_subcommand("run", kRunHelp);
    run->add_option("scenario", o.scenario, "scenario file or shipped scenario name (default: mic2025)");
    run->add_option("-o,--output", o.output, "result file (default: <scenario name>.h5); written only when complete");
    run->add_option("--seed", o.seed, "random seed, 0 to 9e15 (default: the scenario's seed)");
    run->add_option("--threads", o.threads, "worker threads (default 0: all cores)")->check(CLI::Range(0U, 4096U));
    run->add_option("--set", o.overrides, "override a field: PATH=VALUE (repeatable)")->allow_extra_args(false);
    run->add_flag("-q,--quiet", o.quiet, "no progress bar and no summary");
    run->add_flag("--profile", o.profile,
                  "after the run, print where its time went: one line per phase of the quarter (in the order they "
                  "run, see docs/architecture.md) with its cadence, calls, seconds, share of the time in phases and "
                  "ns per firm-quarter; results are bit-identical with or without it; printed even with --quiet");
    run->footer(kRunExamples);
}

void add_validate(CLI::App& app, ValidateOptions& o) {
    auto* validate = app.add_subcommand("validate", kValidateHelp);
    validate->add_option("scenario", o.scenario, "scenario file or shipped scenario name")->required();
    validate->add_option("--set", o.overrides, "override a field: PATH=VALUE (repeatable)")->allow_extra_args(false);
    validate->add_flag("--print", o.print, "print the fully resolved scenario (defaults included) as YAML");
    validate->footer(kValidateExamples);
}

int dispatch(CLI::App& app, const RunOptions& run, const ValidateOptions& validate, const std::string& show, const std::string& info,
             const SweepOptions& sweep, const CompareOptions& compare, const DesignOptions& design,
             const AnalyzeOptions& analyze) {
    if (app.got_subcommand("run")) {
        return run_command(run);
    }
    if (app.got_subcommand("sweep")) {
        return sweep_command(sweep);
    }
    if (app.got_subcommand("compare")) {
        return compare_command(compare);
    }
    if (app.got_subcommand("design")) {
        return design_command(design);
    }
    if (app.got_subcommand("analyze")) {
        return analyze_command(analyze);
    }
    if (app.got_subcommand("validate")) {
        return validate_command(validate);
    }
    if (app.got_subcommand("scenarios")) {
        return scenarios_command(show);
    }
    if (app.got_subcommand("info")) {
        return info_command(info);
    }
    return schema_command();
}

/*! The program; main() adds only the last-resort handler for an exception thrown outside the
 *  command (while building the command line, or a non-standard one). */
int ipsim_main(int argc, char** argv) {
    CLI::App app{
        "ipsim: agent-based simulation of state-led industrial policy (firms, local governments,\n"
        "central government and state funds; results as HDF5 time series)."};
    app.set_version_flag("--version", ipsim::model::engine_version());
    app.require_subcommand(1, 1);
    app.footer(
        "\nRun 'ipsim COMMAND --help' for a command's options and examples.\n"
        "Exit codes: 0 success, 2 bad input (usage, scenario, option), 1 failure while running,\n"
        "128 + signal number when stopped by a signal (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).");
    RunOptions run;
    ValidateOptions validate;
    std::string show;
    std::string info;
    add_run(app, run);
    add_validate(app, validate);
    auto* scenarios = app.add_subcommand("scenarios", "Lists the shipped scenarios with what each asks; --show NAME prints one.");
    scenarios->add_option("--show", show, "print the YAML of this shipped scenario");
    scenarios->footer("\nExample:\n  ipsim scenarios --show export_controls > ec.yaml");
    auto* info_cmd = app.add_subcommand("info", "Describes a result file: scenario, seed, version, time range, sectors, regions and every series.");
    info_cmd->add_option("file", info, "an HDF5 file written by 'ipsim run'")->required();
    info_cmd->footer("\nExample:\n  ipsim info mic2025.h5");
    SweepOptions sweep;
    CompareOptions compare;
    add_sweep_commands(app, sweep, compare);
    app.add_subcommand("schema", "Prints every scenario field with unit, default, valid range, meaning and source (Markdown).");
    DesignOptions design;
    AnalyzeOptions analyze;
    register_design_commands(app, design, analyze);
    if (argc > 1 && argv[1][0] != '-') {
        const std::string command = argv[1];
        const std::vector<std::string> known = {"run", "validate", "scenarios", "info", "schema", "sweep", "compare", "design", "analyze"};
        if (std::find(known.begin(), known.end(), command) == known.end()) {
            const auto best = ipsim::io::closest_match(command, known);
            std::cerr << "ipsim: error: unknown command '" << command << "'"
                      << (best.empty() ? std::string() : " (did you mean '" + best + "'?)")
                      << "; commands: run, validate, scenarios, info, schema, sweep, compare, design, analyze (see 'ipsim --help')\n";
            return kBadInput;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) {
            return app.exit(e);
        }
        std::cerr << "ipsim: error: " << e.what() << " (see 'ipsim --help' or 'ipsim COMMAND --help')\n";
        return kBadInput;
    }
    try {
        return dispatch(app, run, validate, show, info, sweep, compare, design, analyze);
    } catch (const ipsim::io::InputError& e) {
        std::cerr << "ipsim: error: " << e.what() << "\n";
        return kBadInput;
    } catch (const std::exception& e) {
        std::cerr << "ipsim: error while running: " << e.what() << "\n";
        return kRunFailure;
    }
}

}  // namespace

int main(int argc, char** argv) {
    map_large_blocks_on_their_own();
    try {
        return ipsim_main(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "ipsim: error while running: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "ipsim: error while running: unknown exception\n";
    }
    return kRunFailure;
}
