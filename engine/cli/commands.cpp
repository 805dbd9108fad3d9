#include "cli/commands.hpp"

#include <oneapi/tbb/global_control.h>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/progress.hpp"
#include "cli/summary.hpp"
#include "io/embedded.hpp"
#include "io/hdf5_writer.hpp"
#include "io/input_error.hpp"
#include "io/result_reader.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_loader.hpp"
#include "model/quarter.hpp"
#include "model/run_checks.hpp"
#include "model/simulation.hpp"
#include "model/version.hpp"

namespace ipsim::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMaxSeed = 9'000'000'000'000'000;
constexpr std::size_t kMaxStem = 100;

std::atomic<bool> g_cancel{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_signal(int signal) {
    g_signal.store(signal);
    g_cancel.store(true);
}

void install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
        ::sigaction(signal, &action, nullptr);
    }
}

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
        model::check_accounting_residual(record, steps_ + 1);  // the same rule stops a sweep's run
        if (!has_first_) {
            first_ = record;
            has_first_ = true;
        }
        last_ = record;
        ++steps_;
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
    std::size_t steps_ = 0;
};

bool same_file(const struct stat& a, const std::string& other) {
    struct stat b {};
    return ::stat(other.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*! Refuses a path that is not a regular file ipsim wrote, or that is one of the inputs. */
void check_existing_output(const std::string& path, const io::LoadedScenario& loaded) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return;
    }
    const std::string shown = "-o " + path + ": ";
    if (S_ISLNK(st.st_mode)) {
        throw io::InputError(shown + "is a symbolic link; ipsim does not replace links (name the file itself, or another name)");
    }
    if (S_ISDIR(st.st_mode)) {
        throw io::InputError(shown + "is a directory; give a file name such as " +
                             (fs::path(path) / (safe_file_stem(loaded.scenario.name) + ".h5")).string());
    }
    if (!S_ISREG(st.st_mode)) {
        throw io::InputError(shown + "is not a regular file (a device, FIFO or socket); ipsim writes only regular files");
    }
    for (std::size_t i = 0; i < loaded.files.size(); ++i) {
        if (same_file(st, loaded.files[i])) {
            throw io::InputError(shown + (i == 0 ? "is the scenario file being run" : "is the 'extends' base " + loaded.files[i] + " of the scenario") +
                                 "; choose another output name");
        }
    }
    if (!io::is_ipsim_result(path)) {
        throw io::InputError(shown +
                             "exists and is not an ipsim result file; ipsim replaces only its own results "
                             "(remove it or choose another name)");
    }
}

std::string output_path(const RunOptions& options, const io::LoadedScenario& loaded) {
    std::string path;
    if (options.output) {
        path = *options.output;
        if (path.empty()) {
            throw io::InputError("-o: empty file name (an unset shell variable?); give a result file such as run.h5");
        }
        if (path == "-") {
            throw io::InputError("-o -: results cannot go to standard output (HDF5 needs a file it can seek); give a file name");
        }
    } else {
        path = safe_file_stem(loaded.scenario.name) + ".h5";
    }
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
        throw io::InputError("-o " + path + ": directory '" + parent.string() + "' does not exist");
    }
    check_existing_output(path, loaded);
    const std::string folder = parent.empty() ? std::string(".") : parent.string();
    if (::access(folder.c_str(), W_OK | X_OK) != 0) {
        throw io::InputError("-o " + path + ": cannot write in directory '" + folder + "' (" + std::strerror(errno) + ")");
    }
    return path;
}

model::RunInfo run_info(const io::LoadedScenario& loaded, std::uint64_t seed) {
    model::RunInfo info;
    info.ipsim_version = model::engine_version();
    info.scenario_name = loaded.scenario.name;
    info.scenario_yaml = loaded.resolved_yaml;
    info.seed = seed;
    info.n_steps = static_cast<std::size_t>(loaded.scenario.time.quarters);
    for (const auto& s : loaded.scenario.sectors) {
        info.sectors.push_back(s.name);
    }
    for (const auto& r : loaded.scenario.regions) {
        info.regions.push_back(r.name);
    }
    return info;
}

}  // namespace

std::int64_t parse_seed(const std::string& text) {
    std::int64_t seed = -1;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, seed);
    if (text.empty() || ec != std::errc() || stop != end || seed < 0 || seed > kMaxSeed) {
        throw io::InputError("--seed " + text + ": must be a whole number from 0 to " + std::to_string(kMaxSeed));
    }
    return seed;
}

std::string safe_file_stem(const std::string& scenario_name) {
    std::string stem;
    for (const char c : scenario_name) {
        const bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 && static_cast<unsigned char>(c) < 0x80;
        stem += plain || c == '-' || c == '_' || c == '.' ? c : '_';
    }
    const auto first = stem.find_first_not_of('.');
    stem.erase(0, first == std::string::npos ? stem.size() : first);
    if (stem.size() > kMaxStem) {
        stem.resize(kMaxStem);
    }
    return stem.empty() ? std::string("unnamed") : stem;
}

int run_command(const RunOptions& options) {
    const std::optional<std::int64_t> seed_option =
        options.seed ? std::optional<std::int64_t>(parse_seed(*options.seed)) : std::nullopt;
    auto loaded = load(options.scenario, options.overrides);
    if (seed_option && *seed_option != loaded.scenario.seed) {
        // Emitting the text again costs as much as parsing it (yaml-cpp); only a new seed changes it.
        loaded.scenario.seed = *seed_option;
        loaded.resolved_yaml = io::emit_scenario_yaml(loaded.scenario);
    }
    const auto seed = static_cast<std::uint64_t>(loaded.scenario.seed);
    const std::string path = output_path(options, loaded);
    std::optional<tbb::global_control> limit;
    if (options.threads > 0) {
        limit.emplace(tbb::global_control::max_allowed_parallelism, options.threads);
    }
    install_signal_handlers();
    io::Hdf5Writer writer(path);
    SummarySink sink(writer);
    ProgressReporter progress(!options.quiet && ProgressReporter::stderr_is_terminal());
    model::RunHooks hooks;
    hooks.cancel = &g_cancel;
    hooks.on_step = [&](std::int64_t done, std::int64_t total) { progress.update(done, total, sink.last().year); };
    std::optional<model::PhaseProfile> profile;
    if (options.profile) {
        hooks.profile = &profile.emplace();
    }
    try {
        model::run(loaded.scenario, seed, run_info(loaded, seed), sink, hooks);
    } catch (const model::RunCancelled&) {
        progress.finish();
        const int signal = g_signal.load();
        std::cerr << "ipsim: " << (signal == SIGINT ? "interrupted" : "stopped by signal " + std::to_string(signal))
                  << "; no output written\n";
        return kSignalBase + (signal > 0 ? signal : SIGINT);
    }
    progress.finish();
    if (!options.quiet) {
        std::cout << summary_table(loaded.scenario, sink.first(), sink.last()) << "\nwrote " << path << "\n";
    }
    if (profile) {
        std::cout << (options.quiet ? "" : "\n") << profile_table(*profile);
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
    std::cout << "# Scenario fields\n\n"
              << io::schema_markdown();
    return kSuccess;
}

}  // namespace ipsim::cli
