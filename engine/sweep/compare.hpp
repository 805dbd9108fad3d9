/*!
 * @file compare.hpp
 * @brief `ipsim compare`: paired differences between result files, refusing unfair pairs.
 *
 * Three cases. One sweep file: every arm against the base, per output. Two sweep files: each
 * arm present in both (the base included), second file minus first, paired row by row; the
 * two must have the same design rows and seeds. Single-run files: they are split into two
 * sides by scenario (the resolved scenario without its seed; the first file's side is the
 * base), paired by seed, and compared on the means over the last years of every national
 * series (and, on request, every sector series); with one run per side this is a plain
 * difference. Runs that differ in scale (firm count, local
 * governments, sectors, regions), horizon or seeds are refused with io::InputError, since
 * their difference would not be the policy's effect.
 */
#pragma once

#include <string>
#include <vector>

#include "sweep/paired.hpp"

namespace ipsim::sweep {

/*! @brief One line of a comparison. */
struct CompareRow {
    std::string arm;     //!< the compared side
    std::string output;  //!< output name (sweeps) or "national/<metric>"
    std::string units;
    double base_mean = 0.0;  //!< mean over the pairs used
    double arm_mean = 0.0;
    PairedStats stats;  //!< of arm - base
};

/*! @brief A whole comparison. */
struct CompareTable {
    std::string kind;                //!< "sweep", "sweeps" or "runs"
    std::string base;                //!< label of the base side
    std::vector<std::string> seeds;  //!< seeds paired (as text)
    std::string note;                //!< e.g. which years the run means cover
    std::vector<CompareRow> rows;
};

/*! @brief What single-run comparisons cover. */
struct CompareSettings {
    double last_years = 1.0;  //!< mean over the quarters of the last N years (time > end - N)
    bool sectors = false;     //!< also every sector metric of every sector ("sector/<metric>/<sector>")
    double year = 0.0;        //!< if > 0: mean over the quarters of this calendar year instead (paired differences over time)
};

/*! @brief Compares the files as described above. Throws io::InputError. */
[[nodiscard]] CompareTable compare_files(const std::vector<std::string>& files, const CompareSettings& settings = {});

}  // namespace ipsim::sweep
