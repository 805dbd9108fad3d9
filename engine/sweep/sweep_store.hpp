/*!
 * @file sweep_store.hpp
 * @brief The sweep's HDF5 file: assembled from per-run parts, and read back for `ipsim compare`.
 *
 * While a sweep runs, each finished run is its own single-run file `<run id>.h5` (written by
 * io::Hdf5Writer, so it appears atomically) or a `<run id>.failed` text file in the folder
 * `OUT.h5.parts/`. assemble_sweep() reads the parts in run order and writes, through a
 * temporary file renamed into place:
 *
 *     attributes: ipsim_version, sweep, sweep_hash, layout ("sweep"), n_rows, n_runs, n_failed
 *     /sweep_yaml                       the resolved sweep file
 *     /design/<param>, /design/seed, /design/point     one row per design point x seed
 *     /runs/<run id>/...                each run in the single-run layout (series per keep_series)
 *     /summary/<arm>/<output>           one value per row (NaN for a failed run)
 *     /compare/<arm>/<output>           paired differences arm - base per row, with attributes
 *                                       n, mean, sd, se, ci_low, ci_high, t_crit
 *     /sensitivity/<output>/...         Sobol or Morris indices, for those designs
 *     /failed/run_id, /failed/message
 *
 * The content depends only on the sweep and the parts, not on the order runs finished in or
 * the thread count.
 */
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sweep/paired.hpp"
#include "sweep/plan.hpp"
#include "sweep/sweep_file.hpp"

namespace ipsim::sweep {

/*! @brief One failed run. */
struct FailedRun {
    std::string run_id;
    std::string message;
};

/*! @brief Paired statistics of one arm against the base for one output. */
struct Comparison {
    std::string arm;
    std::string output;
    PairedStats stats;
};

/*! @brief What assembling found: failures and the paired comparisons written. */
struct AssembleResult {
    std::vector<FailedRun> failed;
    std::vector<Comparison> comparisons;
};

/*! @brief Writes the sweep file from the parts folder. Throws std::runtime_error. */
[[nodiscard]] AssembleResult assemble_sweep(const SweepSpec& spec, const SweepPlan& plan, const std::filesystem::path& parts,
                                            const std::string& output, const std::string& sweep_hash);

/*! @brief A sweep file read back. */
struct SweepData {
    std::string path;
    std::string name;
    std::string sweep_yaml;
    std::vector<std::string> arms;  //!< "base" first
    std::vector<std::string> outputs;
    std::vector<std::string> parameters;
    std::vector<std::vector<double>> design;                //!< per parameter, per row
    std::vector<double> seeds;                              //!< per row
    std::vector<std::vector<std::vector<double>>> summary;  //!< [arm][output][row]
    std::vector<std::string> output_units;                  //!< per output
    std::string base_scenario_yaml;                         //!< of the first base run ("" if none kept)
};

/*! @brief True if the file is an ipsim sweep file (has /sweep_yaml). */
[[nodiscard]] bool is_sweep_file(const std::string& path);

/*! @brief Reads design, summaries and identity of a sweep file. Throws std::runtime_error. */
[[nodiscard]] SweepData read_sweep(const std::string& path);

}  // namespace ipsim::sweep
