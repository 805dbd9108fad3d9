/*!
 * @file runner.hpp
 * @brief Runs every run of a sweep in parallel, each into its own part file, then assembles
 *        the sweep file; resumes an interrupted sweep from its parts.
 *
 * Runs are oneTBB tasks in one arena of `threads` workers. A run's own parallel loops nest in
 * the same arena, so small runs spread across threads and a large run can still use idle
 * workers, never more threads than asked. A run holds only its agents and streams its series
 * to `OUT.h5.parts/<run id>.h5` (atomic), so memory is bounded by the runs in flight whatever
 * the sweep's size. The parts folder carries `sweep.id` (a hash of the resolved sweep and of
 * every arm's resolved scenario); --resume continues only a folder with the same hash, skips
 * finished and failed runs, and the final file is assembled in run order from the parts, so
 * it is the same whether the sweep ran once, was killed and resumed, or used 1 or 64 threads.
 */
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>

#include "sweep/plan.hpp"
#include "sweep/sweep_store.hpp"

namespace ipsim::sweep {

/*! @brief Progress of a sweep, reported after each run. */
struct SweepProgress {
    std::size_t done = 0;  //!< runs finished (including failed and earlier-resumed ones)
    std::size_t failed = 0;
    std::size_t total = 0;
};

/*! @brief How to run a sweep. */
struct RunnerOptions {
    unsigned threads = 0;                                              //!< 0: all cores
    bool resume = false;                                               //!< continue an existing parts folder
    const std::atomic<bool>* cancel = nullptr;                         //!< set to true (e.g. on SIGINT) to stop, keeping finished parts
    std::size_t stop_after = std::numeric_limits<std::size_t>::max();  //!< test hook: stop once this many runs finished here
    std::function<void(const SweepProgress&)> on_progress;             //!< called under a lock
};

/*! @brief What happened. */
struct SweepOutcome {
    bool interrupted = false;  //!< stopped before all runs finished; parts kept, no sweep file
    std::size_t total = 0;
    std::size_t resumed = 0;  //!< runs found finished in the parts folder
    std::size_t ran = 0;      //!< runs finished by this call
    AssembleResult result;    //!< failures and comparisons (when not interrupted)
};

/*! @brief The parts folder of an output: "OUT.h5.parts". */
[[nodiscard]] std::filesystem::path parts_folder(const std::string& output);

/*! @brief Hex hash identifying a sweep: resolved sweep text, every arm's scenario, ipsim version. */
[[nodiscard]] std::string sweep_hash(const SweepSpec& spec);

/*! @brief Runs (or resumes) a sweep and writes `output`. Throws io::InputError for a bad output
 *  path or a parts folder that cannot be used, std::runtime_error for I/O failures. */
[[nodiscard]] SweepOutcome run_sweep(const SweepSpec& spec, const std::string& output, const RunnerOptions& options);

}  // namespace ipsim::sweep
