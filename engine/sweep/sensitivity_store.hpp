/*!
 * @file sensitivity_store.hpp
 * @brief Sobol or Morris indices of a sweep's outputs, written to /sensitivity/<output>/...
 *
 * With `design: sobol` or `design: morris`, the base arm's outputs (averaged over the seeds of
 * each design point, so the indices describe the parameters rather than the noise) are passed
 * to the estimators of sensitivity.hpp in design order. Other designs write nothing.
 */
#pragma once

#include <hdf5.h>

#include <string>
#include <vector>

#include "sweep/plan.hpp"
#include "sweep/sweep_file.hpp"

namespace ipsim::sweep {

/*! @brief Writes /sensitivity for Sobol and Morris designs; `base[output][row]`. Needs the HDF5 guard held. */
void write_sensitivity(hid_t file, const SweepSpec& spec, const SweepPlan& plan,
                       const std::vector<std::vector<double>>& base, const std::string& shown);

/*! @brief Mean over the seeds of each design point (NaN values left out; NaN if none). */
[[nodiscard]] std::vector<double> point_means(const SweepPlan& plan, const std::vector<double>& by_row);

}  // namespace ipsim::sweep
