/*!
 * @file runner.cpp
 * @brief Parts folder handling, the parallel loop over runs, and the hand-over to assembly.
 *
 * A run that throws (bad combination of parameter values, a non-finite value caught by the
 * model, an accounting residual beyond the limit that also stops `ipsim run`) becomes
 * `<run id>.failed`, a text file with the message, written atomically like the parts, and the
 * sweep goes on. Stopping (cancel flag, or the stop_after hook used by tests)
 * makes every run in flight throw model::RunCancelled at its next quarter; their temporary
 * files are deleted by the writer, so the folder holds only whole parts and the sweep.id.
 */
#include "sweep/runner.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>

#include "io/hdf5_writer.hpp"
#include "io/input_error.hpp"
#include "model/run_checks.hpp"
#include "model/simulation.hpp"
#include "model/version.hpp"

namespace ipsim::sweep {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIdFile = "sweep.id";

std::uint64_t fnv1a(const std::string& text, std::uint64_t h = 1469598103934665603ULL) {
    for (const unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string read_first_line(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);
    return line;
}

/*! Writes `text` to dir/name through a hidden temporary file and a rename. */
void write_atomically(const fs::path& dir, const std::string& name, const std::string& text) {
    const fs::path temp = dir / ("." + name + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            throw std::runtime_error("cannot write '" + temp.string() + "'");
        }
    }
    fs::rename(temp, dir / name);
}

void check_output(const std::string& output) {
    const fs::path p(output);
    std::error_code ec;
    if (!p.parent_path().empty() && !fs::is_directory(p.parent_path(), ec)) {
        throw io::InputError("-o " + output + ": directory '" + p.parent_path().string() + "' does not exist");
    }
    if (fs::is_directory(p, ec)) {
        throw io::InputError("-o " + output + ": is a directory; give a file name such as " + (p / "sweep.h5").string());
    }
}

/*! Removes the hidden temporary sweep file a process killed while assembling left next to OUT. */
void remove_stale_output_temps(const fs::path& parts) {
    std::string output = parts.filename().string();
    output.resize(output.size() - std::string(".parts").size());
    const std::string prefix = "." + output + ".tmp-";
    const fs::path dir = parts.parent_path().empty() ? fs::path(".") : parts.parent_path();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().filename().string().starts_with(prefix)) {
            fs::remove(entry.path(), ec);
        }
    }
}

/*! Creates or checks the parts folder; removes temporaries left by a killed process. */
void prepare_parts(const fs::path& parts, const std::string& hash, const std::string& yaml, bool resume) {
    std::error_code ec;
    if (fs::exists(parts, ec)) {
        if (!resume) {
            throw io::InputError(parts.string() + " exists: an interrupted sweep; continue it with --resume, or delete the folder to start again");
        }
        if (read_first_line(parts / kIdFile) != hash) {
            throw io::InputError("--resume: " + parts.string() +
                                 " belongs to another sweep (the sweep file, a scenario or ipsim changed); "
                                 "delete the folder to start again");
        }
        for (const auto& entry : fs::directory_iterator(parts)) {
            if (entry.path().filename().string().starts_with(".")) {
                fs::remove(entry.path(), ec);
            }
        }
        remove_stale_output_temps(parts);
        return;
    }
    fs::create_directory(parts);
    write_atomically(parts, kIdFile, hash + "\n" + yaml);
}

model::RunInfo run_info(const io::LoadedScenario& loaded) {
    model::RunInfo info;
    info.ipsim_version = model::engine_version();
    info.scenario_name = loaded.scenario.name;
    info.scenario_yaml = loaded.resolved_yaml;
    info.seed = static_cast<unsigned long long>(loaded.scenario.seed);
    info.n_steps = static_cast<std::size_t>(loaded.scenario.time.quarters);
    for (const auto& s : loaded.scenario.sectors) {
        info.sectors.push_back(s.name);
    }
    for (const auto& r : loaded.scenario.regions) {
        info.regions.push_back(r.name);
    }
    return info;
}

/*! Shared state of the parallel loop. */
struct Loop {
    Loop(const SweepSpec& s, const SweepPlan& p, const fs::path& f, const RunnerOptions& o) : spec(s), plan(p), parts(f), options(o) {}
    const SweepSpec& spec;
    const SweepPlan& plan;
    const fs::path& parts;
    const RunnerOptions& options;
    std::vector<std::string> part_series;  // what a part holds: kept series and the outputs' (empty: all)
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> ran{0};
    std::mutex report;
    SweepProgress progress;
};

/*! One run: true if it finished (as a part or as a failure). */
bool do_run(Loop& loop, std::size_t run) {
    const std::string id = run_id(loop.spec, loop.plan, run);
    model::RunHooks hooks;
    hooks.cancel = &loop.stop;
    hooks.on_step = [&loop](std::int64_t, std::int64_t) {
        if (loop.options.cancel != nullptr && loop.options.cancel->load()) {
            loop.stop.store(true);
        }
    };
    bool failed = false;
    try {
        const auto loaded = run_scenario(loop.spec, loop.plan, run);
        io::Hdf5Writer writer((loop.parts / (id + ".h5")).string());
        writer.keep_only(loop.part_series);
        model::ResidualCheckedSink checked(writer);  // money not conserved: a failed run, never a part
        model::run(loaded.scenario, static_cast<std::uint64_t>(loaded.scenario.seed), run_info(loaded), checked, hooks);
    } catch (const model::RunCancelled&) {
        return false;
    } catch (const std::exception& e) {
        write_atomically(loop.parts, id + ".failed", e.what());
        failed = true;
    }
    const std::lock_guard lock(loop.report);
    ++loop.progress.done;
    loop.progress.failed += failed ? 1 : 0;
    if (loop.options.on_progress) {
        loop.options.on_progress(loop.progress);
    }
    if (loop.ran.fetch_add(1) + 1 >= loop.options.stop_after) {
        loop.stop.store(true);
    }
    return true;
}

/*! The series a part must hold: every kept one, and those the outputs read. Empty: all. */
std::vector<std::string> part_series(const SweepSpec& spec) {
    if (spec.keep_all) {
        return {};
    }
    std::vector<std::string> series = spec.keep;
    for (const auto& o : spec.outputs) {
        const std::string key = std::string(model::scope_group(o.scope)) + "/" + o.metric;
        if (std::find(series.begin(), series.end(), key) == series.end()) {
            series.push_back(key);
        }
    }
    return series;
}

}  // namespace

fs::path parts_folder(const std::string& output) { return fs::path(output + ".parts"); }

std::string sweep_hash(const SweepSpec& spec) {
    std::uint64_t h = fnv1a(resolved_sweep_yaml(spec));
    for (const auto& arm : spec.arms) {
        h = fnv1a(arm.resolved_yaml, h);
    }
    h = fnv1a(model::engine_version(), h);
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

SweepOutcome run_sweep(const SweepSpec& spec, const std::string& output, const RunnerOptions& options) {
    check_output(output);
    const SweepPlan plan = make_plan(spec);
    const fs::path parts = parts_folder(output);
    const std::string hash = sweep_hash(spec);
    prepare_parts(parts, hash, resolved_sweep_yaml(spec), options.resume);
    SweepOutcome outcome;
    outcome.total = plan.runs();
    Loop loop(spec, plan, parts, options);
    loop.part_series = part_series(spec);
    std::vector<std::size_t> pending;
    for (std::size_t run = 0; run < plan.runs(); ++run) {
        const std::string id = run_id(spec, plan, run);
        if (fs::exists(parts / (id + ".h5")) || fs::exists(parts / (id + ".failed"))) {
            ++loop.progress.done;
            loop.progress.failed += fs::exists(parts / (id + ".failed")) ? 1 : 0;
        } else {
            pending.push_back(run);
        }
    }
    outcome.resumed = loop.progress.done;
    loop.progress.total = plan.runs();
    if (options.on_progress) {
        options.on_progress(loop.progress);
    }
    tbb::task_arena arena(options.threads > 0 ? static_cast<int>(options.threads) : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, pending.size(), 1), [&](const tbb::blocked_range<std::size_t>& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) {
                    if (!loop.stop.load() && !(options.cancel != nullptr && options.cancel->load())) {
                        do_run(loop, pending[i]);
                    }
                }
            },
            tbb::simple_partitioner());
    });
    outcome.ran = loop.ran.load();
    if (outcome.resumed + outcome.ran < outcome.total) {
        outcome.interrupted = true;
        return outcome;
    }
    outcome.result = assemble_sweep(spec, plan, parts, output, hash);
    fs::remove_all(parts);
    return outcome;
}

}  // namespace ipsim::sweep
