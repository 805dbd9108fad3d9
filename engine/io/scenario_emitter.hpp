/*!
 * @file scenario_emitter.hpp
 * @brief Writes a Scenario back out: as complete YAML (every field, defaults included) and as
 *        the Markdown reference of the scenario format.
 *
 * Both are visitors over Scenario::visit, so they always cover every field. The YAML is what
 * result files store in /scenario_yaml: loading it gives back the same Scenario, so any result
 * can be re-run exactly.
 */
#pragma once

#include <string>

#include "model/scenario.hpp"

namespace ipsim::io {

/*! @brief The fully resolved scenario as YAML; loads back to an identical Scenario. */
[[nodiscard]] std::string emit_scenario_yaml(const model::Scenario& scenario);

/*! @brief Markdown table of every scenario field: path, unit, default, valid range, meaning, source. */
[[nodiscard]] std::string schema_markdown();

}  // namespace ipsim::io
