/*!
 * @file firm_costs.hpp
 * @brief Inline definitions of the per-firm cost and support terms that several phases evaluate
 *        for every firm each quarter (unit cost, full unit cost, cost basis, local support weight
 *        and its per-government table, output subsidy rate, expected growth factor, R&D share,
 *        planning uncertainty).
 *
 * The public functions of the same names (phases.hpp, defined in markets.cpp; planning_uncertainty in
 * firms.cpp) forward to these.
 * Phases in other files call these directly so the compiler can inline them and share the loads and
 * arithmetic they have in common; every expression is evaluated in the same order as the public
 * function, so results are the same bit for bit.
 */
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/detail/lanes.hpp"
#include "model/state.hpp"

namespace ipsim::model::detail {

/*! @brief local_support_weight (phases.hpp). */
[[nodiscard]] inline double local_support_weight(const Model& model, const State& st, std::size_t i) noexcept {
    const auto& f = st.firms;
    // Foreign firms and central SOEs answer to others than the local government.
    if (f.localized[i] == 0 || f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign) || f.central[i] != 0) {
        return 0.0;
    }
    const auto g = static_cast<std::size_t>(f.government[i]);
    const auto s = static_cast<std::size_t>(f.sector[i]);
    if (st.governments.focus[g * model.n_sectors + s] == 0) {
        return 0.0;
    }
    return st.local_scale * st.governments.support_multiplier[g];
}

/*! @brief The weight local_support_weight gives the firms it applies to (China-located, not
 *  foreign-owned, not central SOEs), by government * n_sectors + sector: for a pass that takes
 *  the weight of every firm while the governments' focus and multipliers stand still. */
[[nodiscard]] inline std::vector<double> support_weight_table(const Model& model, const State& st) {
    const auto& g = st.governments;
    std::vector<double> table(g.size() * model.n_sectors, 0.0);
    for (std::size_t k = 0; k < table.size(); ++k) {
        if (g.focus[k] != 0) {
            table[k] = st.local_scale * g.support_multiplier[k / model.n_sectors];
        }
    }
    return table;
}

/*! @brief local_support_weight, on the table of support_weight_table. */
[[nodiscard]] inline double local_support_weight_on(const Model& model, const State& st, std::size_t i, const std::vector<double>& table) noexcept {
    const auto& f = st.firms;
    if (f.localized[i] == 0 || f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign) || f.central[i] != 0) {
        return 0.0;
    }
    return table[static_cast<std::size_t>(f.government[i]) * model.n_sectors + static_cast<std::size_t>(f.sector[i])];
}

/*! @brief Variable unit cost: sector base cost over absolute productivity, times the index of input prices. */
[[nodiscard]] inline double unit_cost(const State& st, std::size_t i) noexcept {
    const auto s = static_cast<std::size_t>(st.firms.sector[i]);
    const double inputs = st.firms.localized[i] != 0 ? st.now[s].input_cost_factor : 1.0;
    return st.sectors.base_cost[s] * inputs / (st.firms.productivity[i] * st.sectors.frontier[s]);
}

/*! @brief Capital cost per unit at normal utilisation: the part of full_unit_cost above unit_cost. */
[[nodiscard]] inline double capital_unit_cost(const Model& model, const State& st, std::size_t i) noexcept {
    const auto s = static_cast<std::size_t>(st.firms.sector[i]);
    return model.normal_capital_rate * st.capital_per_unit(model, i) / st.sectors.normal_utilisation[s];
}

/*! @brief full_unit_cost (phases.hpp). */
[[nodiscard]] inline double full_unit_cost(const Model& model, const State& st, std::size_t i) noexcept {
    return unit_cost(st, i) + capital_unit_cost(model, st, i);
}

/*! @brief Full unit cost net of the passed-on output subsidy, from the firm's unit and full unit cost. */
[[nodiscard]] inline double cost_basis(const Model& model, double subsidy_rate, double unit, double full) noexcept {
    return full - model.scenario.markets.subsidy_pass_through * subsidy_rate * unit;
}

/*! @brief Full unit cost net of the passed-on output subsidy: what a firm's price covers. */
[[nodiscard]] inline double cost_basis(const Model& model, const State& st, std::size_t i, double subsidy_rate) noexcept {
    const double unit = unit_cost(st, i);
    return cost_basis(model, subsidy_rate, unit, unit + capital_unit_cost(model, st, i));
}

/*! @brief Central plus local output subsidies cover at most 90% of unit cost (assumption). */
inline constexpr double kMaxOutputSubsidy = 0.9;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // inlined into its callers (lanes.hpp)
/*! @brief The output subsidy rate of a China-located, Chinese-owned firm: the central rate in force
 *  plus the local rate times its support weight, at most kMaxOutputSubsidy (per lane). */
template <class L>
[[gnu::always_inline]] inline L capped_output_subsidy(const L& central, double local_rate, const L& support_weight) noexcept {
    return lanes::min_of(lanes::splat<L>(kMaxOutputSubsidy), central + local_rate * support_weight);
}

#pragma GCC diagnostic pop

/*! @brief output_subsidy_rate given the firm's local support weight (phases.hpp). */
[[nodiscard]] inline double output_subsidy_rate(const Model& model, const State& st, std::size_t i, double support_weight) noexcept {
    const auto& f = st.firms;
    if (f.localized[i] == 0) {
        return 0.0;
    }
    // Central output subsidies go to Chinese-owned firms, like investment subsidies and loans.
    if (f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign)) {
        return 0.0;
    }
    const auto s = static_cast<std::size_t>(f.sector[i]);
    return capped_output_subsidy(st.now[s].output_subsidy, model.scenario.local.output_subsidy, support_weight);
}

/*! @brief output_subsidy_rate (phases.hpp). */
[[nodiscard]] inline double output_subsidy_rate(const Model& model, const State& st, std::size_t i) noexcept {
    const auto& f = st.firms;
    if (f.localized[i] == 0 || f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign)) {
        return 0.0;
    }
    return output_subsidy_rate(model, st, i, local_support_weight(model, st, i));
}

/*! @brief firm_growth_factor (phases.hpp). */
[[nodiscard]] inline double firm_growth_factor(const State& st, std::size_t i) noexcept {
    const auto& f = st.firms;
    const auto s = static_cast<std::size_t>(f.sector[i]);
    const double china = f.share_china[i] * st.sectors.demand_china[s];
    const double world = f.share_world[i] * st.sectors.demand_world[s];
    const auto& g = st.now[s].growth_factor;
    return china + world > 0.0 ? (china * g[0] + world * g[1]) / (china + world) : g[0];
}

/*! @brief rd_share (phases.hpp). */
[[nodiscard]] inline double rd_share(const State& st, std::size_t i) noexcept {
    const auto& k = st.factors[static_cast<std::size_t>(st.firms.sector[i])];
    return st.firms.localized[i] != 0 ? k.rd_share_local : k.rd_share_abroad;
}

/*! @brief Firm i's revenue this quarter as settle_accounts books it, recomputed: no phase after it
 *  changes a row's price or sales until next quarter's set_prices (rows added later have no sales). */
[[nodiscard]] inline double firm_revenue(const Firms& f, std::size_t i) noexcept {
    return f.price[i] * f.sales_china[i] + f.price[i] * f.sales_world[i];
}

/*! @brief Firm i's R&D spending this quarter as settle_accounts books it, given its revenue. */
[[nodiscard]] inline double firm_rd(const State& st, std::size_t i, double revenue) noexcept { return rd_share(st, i) * revenue; }

/*! @brief Firm i's purchases from the modelled sectors this quarter as settle_accounts books them
 *  (part of its variable cost): the input cost share does not change within a quarter. */
[[nodiscard]] inline double firm_inputs(const State& st, std::size_t i) noexcept {
    return st.firms.localized[i] != 0 ? st.now[static_cast<std::size_t>(st.firms.sector[i])].input_cost_share * st.firms.variable_cost[i] : 0.0;
}

/*! @brief planning_uncertainty (phases.hpp). */
[[nodiscard]] inline double planning_uncertainty(const Model& model, const State& st, std::size_t i) noexcept {
    const auto& m = model.scenario.markets;
    return std::sqrt(m.planning_uncertainty * m.planning_uncertainty + m.planning_horizon * st.firms.demand_variance[i]);
}

}  // namespace ipsim::model::detail
