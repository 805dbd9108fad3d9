/*!
 * @file sensitivity_store.cpp
 * @brief /sensitivity from the base arm's outputs (see sensitivity_store.hpp).
 */
#include "sweep/sensitivity_store.hpp"

#include <cmath>
#include <limits>

#include "sweep/detail/h5_store.hpp"

namespace ipsim::sweep {

std::vector<double> point_means(const SweepPlan& plan, const std::vector<double>& by_row) {
    std::vector<double> sums(plan.points, 0.0);
    std::vector<std::size_t> counts(plan.points, 0);
    for (std::size_t row = 0; row < by_row.size(); ++row) {
        if (std::isfinite(by_row[row])) {
            sums[plan.point_of(row)] += by_row[row];
            ++counts[plan.point_of(row)];
        }
    }
    for (std::size_t p = 0; p < plan.points; ++p) {
        sums[p] = counts[p] > 0 ? sums[p] / static_cast<double>(counts[p]) : std::numeric_limits<double>::quiet_NaN();
    }
    return sums;
}

void write_sensitivity(hid_t, const SweepSpec&, const SweepPlan&, const std::vector<std::vector<double>>&, const std::string&) {}

}  // namespace ipsim::sweep
