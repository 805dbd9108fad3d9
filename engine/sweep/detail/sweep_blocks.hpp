/*!
 * @file sweep_blocks.hpp
 * @brief Private readers of the sweep file's `parameters`, `design`, `outputs` and
 *        `keep_series` blocks (used by sweep_file.cpp).
 */
#pragma once

#include "io/yaml_tree.hpp"
#include "sweep/sweep_file.hpp"

namespace ipsim::sweep::detail {

/*! @brief The `parameters` map; each value is checked by loading `base` with it. */
[[nodiscard]] std::vector<Parameter> read_parameters(const io::Node* node, const Arm& base);

/*! @brief The `design` map (absent: a grid); `params_node` supplies per-parameter `levels`. */
[[nodiscard]] DesignSettings read_design(const io::Node* node, const io::Node* params_node, const std::vector<Parameter>& params);

/*! @brief The `outputs` map, checked against the metric catalog and the base's names. */
[[nodiscard]] std::vector<Output> read_outputs(const io::Node* node, const io::Node& root, const model::Scenario& base);

/*! @brief `keep_series`: all (default), none, or a list of metrics. */
void read_keep(const io::Node* node, SweepSpec& spec);

}  // namespace ipsim::sweep::detail
