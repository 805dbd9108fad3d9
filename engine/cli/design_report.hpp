/*!
 * @file design_report.hpp
 * @brief How `ipsim analyze` shows its results: a readable table per output, and JSON.
 */
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sweep/sensitivity.hpp"

namespace ipsim::cli {

/*! @brief Indices of every output column (either sobol or morris is filled, one entry per output). */
struct AnalysisReport {
    std::vector<std::string> parameters;
    std::vector<std::string> outputs;
    std::vector<sweep::SobolIndices> sobol;
    std::vector<sweep::MorrisIndices> morris;
    bool second_order = false;  //!< show S2
    std::size_t resamples = 0;
};

/*! @brief One table per output: parameters as rows, indices and interval half-widths as columns. */
[[nodiscard]] std::string report_table(const AnalysisReport& report);
/*! @brief {output: {param: {"S1", "S1_conf", "ST", "ST_conf"[, "S2", "S2_conf"]}}} or the Morris fields; NaN as null. */
[[nodiscard]] std::string report_json(const AnalysisReport& report);

}  // namespace ipsim::cli
