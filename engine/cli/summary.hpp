/*!
 * @file summary.hpp
 * @brief The table of key outcomes printed at the end of a run.
 */
#pragma once

#include <string>

#include "model/metrics.hpp"
#include "model/scenario.hpp"

namespace ipsim::cli {

/*! @brief Key sector and national outcomes, first quarter against last quarter, as text. */
[[nodiscard]] std::string summary_table(const model::Scenario& scenario, const model::StepRecord& first,
                                        const model::StepRecord& last);

}  // namespace ipsim::cli
