#include "cli/commands.hpp"

#include <oneapi/tbb/global_control.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/progress.hpp"
#include "cli/summary.hpp"
#include "io/embedded.hpp"
#include "io/hdf5_writer.hpp"
#include "io/input_error.hpp"
#include "io/result_reader.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_loader.hpp"
#include "model/simulation.hpp"

namespace ipsim::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_cancel{false};

extern "C" void on_signal(int /*signal*/) { g_cancel.store(true); }

/*! A scenario argument is a file if one exists at that path, else the name of a shipped one. */
io::LoadedScenario load(const std::string& scenario, const std::vector<std::string>& overrides) {
    if (scenario.empty()) {
        return io::load_embedded_scenario("mic2025", overrides);
    }
    std::error_code ec;
    if (fs::exists(scenario, ec) || scenario.find('/') != std::string::npos || scenario.ends_with(".yaml")) {
        return io::load_scenario_file(scenario, overrides);
    }
    return io::load_embedded_scenario(scenario, overrides);
}

/*! Forwards to the file writer and keeps the first and last records for the summary. */
class SummarySink final : public model::ResultSink {
public:
    explicit SummarySink(model::ResultSink& inner) : inner_(inner) {}
    void begin(const model::RunInfo& info) override { inner_.begin(info); }
    void write_step(const model::StepRecord& record) override {
        if (!has_first_) {
            first_ = record;
            has_first_ = true;
        }
        last_ = record;
        inner_.write_step(record);
    }
    void finish() override { inner_.finish(); }
    const model::StepRecord& first() const { return first_; }
    const model::StepRecord& last() const { return last_; }

private:
    model::ResultSink& inner_;
    model::StepRecord first_;
    model::StepRecord last_;
    bool has_first_ = false;
};

std::string output_path(const RunOptions& options, const model::Scenario& scenario) {
    const std::string path = options.output.empty() ? scenario.name + ".h5" : options.output;
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
        throw io::InputError("-o " + path + ": directory '" + parent.string() + "' does not exist");
    }
    if (fs::is_directory(path, ec)) {
        throw io::InputError("-o " + path + ": is a directory; give a file name such as " + (fs::path(path) / (scenario.name + ".h5")).string());
    }
    return path;
}

model::RunInfo run_info(const io::LoadedScenario& loaded, std::uint64_t seed) {
    model::RunInfo info;
    info.ipsim_version = IPSIM_VERSION;
    info.scenario_name = loaded.scenario.name;
    info.scenario_yaml = loaded.resolved_yaml;
    info.seed = seed;
    info.n_steps = static_cast<std::size_t>(loaded.scenario.time.quarters);
    for (const auto& s : loaded.scenario.sectors) info.sectors.push_back(s.name);
    for (const auto& r : loaded.scenario.regions) info.regions.push_back(r.name);
    return info;
}

}  // namespace

int run_command(const RunOptions& options) {
    auto loaded = load(options.scenario, options.overrides);
    if (options.seed) {
        loaded.scenario.seed = static_cast<std::int64_t>(*options.seed);
        loaded.resolved_yaml = io::emit_scenario_yaml(loaded.scenario);
    }
    const auto seed = static_cast<std::uint64_t>(loaded.scenario.seed);
    const std::string path = output_path(options, loaded.scenario);
    std::optional<tbb::global_control> limit;
    if (options.threads > 0) {
        limit.emplace(tbb::global_control::max_allowed_parallelism, options.threads);
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    io::Hdf5Writer writer(path);
    SummarySink sink(writer);
    ProgressReporter progress(!options.quiet && ProgressReporter::stderr_is_terminal());
    model::RunHooks hooks;
    hooks.cancel = &g_cancel;
    hooks.on_step = [&](std::int64_t done, std::int64_t total) { progress.update(done, total, sink.last().year); };
    try {
        model::run(loaded.scenario, seed, run_info(loaded, seed), sink, hooks);
    } catch (const model::RunCancelled&) {
        progress.finish();
        std::cerr << "ipsim: interrupted; no output written\n";
        return kInterrupted;
    }
    progress.finish();
    if (!options.quiet) {
        std::cout << summary_table(loaded.scenario, sink.first(), sink.last()) << "\nwrote " << path << "\n";
    }
    return kSuccess;
}

int validate_command(const ValidateOptions& options) {
    const auto loaded = load(options.scenario, options.overrides);
    const auto& sc = loaded.scenario;
    if (options.print) {
        std::cout << loaded.resolved_yaml;
        return kSuccess;
    }
    std::cout << "ok: " << sc.name << " (" << sc.sectors.size() << " sectors, " << sc.regions.size() << " regions, "
              << sc.regions.size() * static_cast<std::size_t>(sc.local.per_region) << " local governments, " << sc.firms.count
              << " firms, " << sc.time.quarters << " quarters)\n";
    return kSuccess;
}

int scenarios_command(const std::string& show) {
    for (const auto& e : io::embedded_scenarios()) {
        if (!show.empty()) {
            if (e.name == show) {
                std::cout << e.text;
                return kSuccess;
            }
            continue;
        }
        const auto loaded = io::load_embedded_scenario(e.name);
        std::printf("%-22s %s\n", std::string(e.name).c_str(), loaded.scenario.description.c_str());
    }
    if (!show.empty()) {
        throw io::InputError("no shipped scenario named '" + show + "' (see 'ipsim scenarios')");
    }
    return kSuccess;
}

int info_command(const std::string& path) {
    try {
        std::cout << io::format_summary(io::read_result_summary(path));
    } catch (const std::runtime_error& e) {
        throw io::InputError(e.what());
    }
    return kSuccess;
}

int schema_command() {
    std::cout << "# Scenario fields\n\n" << io::schema_markdown();
    return kSuccess;
}

}  // namespace ipsim::cli
