/*!
 * @file capacity_rule.hpp
 * @brief How much capacity a firm orders: partial adjustment with time to build and a supply line.
 *
 * Capacity ordered in a quarter is built over time: a share h = 1 / (1 + T) of what is under
 * construction is finished each quarter (T = build_quarters, the mean quarters from order to
 * use beyond the quarter of ordering), so T = 0 is the textbook rule in which capacity ordered
 * now serves next quarter. A firm orders
 *
 *     o = (1 + T - T / q) ((q - 1) D + delta K) + a (D - K) + a beta (P* - P),    o >= 0,
 *
 * for target capacity D (this quarter's expected demand at normal utilisation, times the firm's
 * policy and newsvendor factors), capacity K at the start of the quarter, capacity under
 * construction P, depreciation delta per quarter, expected growth factor q per quarter and
 * adjustment share a. The first term keeps a firm on a steady-growth path at its target; the
 * pipeline P* = T (q - 1 + delta) D / q is what that path has under construction. beta < 1 is
 * the behavioural part (Sterman 1989): firms give the capacity already on order less weight than
 * the capacity in place, so after a boom the pipeline keeps delivering capacity nobody needs.
 * With beta = 1, or under steady growth, no capacity is built in excess.
 */
#pragma once

#include <algorithm>

namespace ipsim::model::capacity_rule {

/*! @brief The parameters of the ordering rule. */
struct Rule {
    double adjustment = 0.25;         //!< a: share of the capacity gap closed per quarter
    double depreciation = 0.025;      //!< delta: per quarter
    double build_quarters = 0.0;      //!< T: mean quarters from order to use beyond the ordering quarter
    double supply_line_weight = 1.0;  //!< beta: weight of the capacity on order relative to capacity in place
};

/*! @brief Share of capacity under construction (including this quarter's orders) finished each quarter. */
[[nodiscard]] constexpr double completion_share(const Rule& r) noexcept { return 1.0 / (1.0 + r.build_quarters); }

/*! @brief Capacity under construction, before this quarter's orders, on a steady-growth path at target D. */
[[nodiscard]] constexpr double steady_pipeline(const Rule& r, double growth_factor, double target) noexcept {
    return r.build_quarters * (growth_factor - 1.0 + r.depreciation) * target / growth_factor;
}

/*! @brief Capacity units ordered this quarter (never negative: idle capacity is scrapped, not sold). */
[[nodiscard]] constexpr double orders(const Rule& r, double growth_factor, double target, double capacity, double pipeline) noexcept {
    const double T = r.build_quarters;
    const double path = (1.0 + T - T / growth_factor) * ((growth_factor - 1.0) * target + r.depreciation * capacity);
    const double gap = r.adjustment * (target - capacity);
    const double supply_line = r.adjustment * r.supply_line_weight * (steady_pipeline(r, growth_factor, target) - pipeline);
    return std::max(0.0, path + gap + supply_line);
}

}  // namespace ipsim::model::capacity_rule
