/*!
 * @file summary.hpp
 * @brief The tables printed at the end of a run: key outcomes, and where the time went (--profile).
 */
#pragma once

#include <string>

#include "model/metrics.hpp"
#include "model/quarter.hpp"
#include "model/scenario.hpp"

namespace ipsim::cli {

/*! @brief Key sector and national outcomes, first quarter against last quarter, as text. */
[[nodiscard]] std::string summary_table(const model::Scenario& scenario, const model::StepRecord& first,
                                        const model::StepRecord& last);

/*! @brief One line per phase of the quarter's table: cadence, calls, seconds, share of the time
 *  spent in phases, and nanoseconds per firm-quarter (firm rows at the start of each quarter). */
[[nodiscard]] std::string profile_table(const model::PhaseProfile& profile);

}  // namespace ipsim::cli
