/*!
 * @file market_terms.hpp
 * @brief Per-sector tables of the values that set_prices, clear_markets, settle_accounts and the
 *        sector sums of summarize_sectors read for every firm of a sector, gathered once per pass
 *        into one small struct per sector.
 *
 * The per-firm loops would otherwise fetch each of these from a different place (the scenario's
 * sector structs, the conditions in force, the sector state, the sector factors) for every firm.
 * Each entry is computed with the same operations, in the same order, on the same values as the
 * per-firm expression it replaces, so the per-firm results are the same bit for bit.
 */
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "model/detail/firm_costs.hpp"
#include "model/state.hpp"

namespace ipsim::model::detail {

/*! @brief Index of a firm's group in the two-entry arrays below: 0 China-located, 1 abroad. */
[[nodiscard]] inline std::size_t location_group(const Firms& f, std::size_t i) noexcept { return f.localized[i] != 0 ? 0 : 1; }

/*! @brief The sector's terms of a firm's unit cost, capital cost and output subsidy. */
struct CostTerms {
    std::array<double, 2> base_cost{};  //!< base cost times the input cost factor (1 abroad), by location_group
    double frontier = 0.0;              //!< world frontier productivity
    double capital_per_output = 0.0;    //!< supply.capital_per_output
    double normal_utilisation = 0.0;    //!< the capital cost's divisor
    double output_subsidy = 0.0;        //!< central output subsidy in force
    double rd_complement = 0.0;         //!< 1 - rd_intensity
};

/*! @brief The cost terms of sector s as the state now stands. */
[[nodiscard]] inline CostTerms sector_cost_terms(const Model& model, const State& st, std::size_t s) {
    const auto& supply = model.scenario.sectors[s].supply;
    return {{st.sectors.base_cost[s] * st.now[s].input_cost_factor, st.sectors.base_cost[s] * 1.0},
            st.sectors.frontier[s],
            supply.capital_per_output,
            st.sectors.normal_utilisation[s],
            st.now[s].output_subsidy,
            1.0 - model.scenario.sectors[s].technology.rd_intensity};
}

/*! @brief Unit and full unit cost of firm i of the sector of k (unit_cost and full_unit_cost). */
struct FirmCosts {
    double capital_per_unit;
    double unit;
    double full;
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // inlined into its callers (lanes.hpp)
/*! @brief Capital per unit and unit cost (per lane, lanes.hpp), with the expressions of
 *  capital_per_unit and unit_cost in their order. */
template <class L>
struct UnitCosts {
    L capital_per_unit;
    L unit;
};

/*! @brief UnitCosts of a firm of the given relative productivity, on its sector's frontier, capital
 *  per output and base cost (CostTerms::base_cost of its location group). */
template <class L>
[[gnu::always_inline]] inline UnitCosts<L> unit_costs(const L& productivity, const L& frontier, const L& capital_per_output, const L& base_cost) noexcept {
    const L absolute_productivity = productivity * frontier;
    return {capital_per_output / absolute_productivity, base_cost / absolute_productivity};
}

#pragma GCC diagnostic pop

/*! @brief FirmCosts of firm i, with the expressions of unit_cost, capital_per_unit and
 *  capital_unit_cost in their order. */
[[gnu::always_inline]] inline FirmCosts firm_costs(const Model& model, const Firms& f, std::size_t i, const CostTerms& k) noexcept {
    const auto c = unit_costs(f.productivity[i], k.frontier, k.capital_per_output, k.base_cost[location_group(f, i)]);
    return {c.capital_per_unit, c.unit, c.unit + model.normal_capital_rate * c.capital_per_unit / k.normal_utilisation};
}

/*! @brief output_subsidy_rate of firm i, on the table k of its sector, given its local support weight. */
[[gnu::always_inline]] inline double output_subsidy_rate_on(const Model& model, const State& st, std::size_t i, const CostTerms& k, double support_weight) noexcept {
    const auto& f = st.firms;
    if (f.localized[i] == 0 || f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign)) {
        return 0.0;
    }
    return capped_output_subsidy(k.output_subsidy, model.scenario.local.output_subsidy, support_weight);
}

/*! @brief output_subsidy_rate of firm i, on the table k of its sector. */
[[gnu::always_inline]] inline double output_subsidy_rate_on(const Model& model, const State& st, std::size_t i, const CostTerms& k) noexcept {
    const auto& f = st.firms;
    if (f.localized[i] == 0 || f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign)) {
        return 0.0;
    }
    return output_subsidy_rate_on(model, st, i, k, local_support_weight(model, st, i));
}

/*! @brief The cost table of every sector. */
[[nodiscard]] inline std::vector<CostTerms> cost_terms(const Model& model, const State& st) {
    std::vector<CostTerms> terms(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        terms[s] = sector_cost_terms(model, st, s);
    }
    return terms;
}

/*! @brief What set_prices reads per sector. */
struct PricingTerms {
    CostTerms cost;
    double normal_markup = 0.0;             //!< supply.markup
    double inverse_count = 0.0;             //!< 1 / number of live firms (at least 1)
    double utilisation = 0.0;               //!< sector utilisation, the one China-located firms price on
    std::array<double, 2> reference_pow{};  //!< reference cost^price_convergence, by location_group
    std::array<bool, 2> on_reference{};     //!< price_convergence > 0 and a positive reference cost, by location_group
};

/*! @brief The pricing table of every sector for this quarter. */
[[nodiscard]] inline std::vector<PricingTerms> pricing_terms(const Model& model, const State& st) {
    const auto& sc = model.scenario;
    const double pi = sc.markets.price_convergence;
    std::vector<PricingTerms> terms(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        auto& k = terms[s];
        k.cost = sector_cost_terms(model, st, s);
        k.normal_markup = sc.sectors[s].supply.markup;
        k.inverse_count = 1.0 / static_cast<double>(std::max<std::size_t>(1, st.by_sector.size(s)));
        k.utilisation = st.sectors.utilisation[s];
        k.reference_pow = st.factors[s].reference_pow;
        k.on_reference = {pi > 0.0 && st.sectors.reference_cost_china[s] > 0.0, pi > 0.0 && st.sectors.reference_cost_abroad[s] > 0.0};
    }
    return terms;
}

/*! @brief What the replicator step of clear_markets and compute_demand read per sector: the
 *  policy terms of competitiveness that do not depend on the firm, and the reputation targets. */
struct ShareTerms {
    double procurement_segment = 0.0;       //!< demand.procurement_segment
    double procurement_share = 0.0;         //!< procurement share in force
    std::array<double, 2> foreign_china{};  //!< China term of a foreign firm: market access, and abroad localization and export controls
    std::array<double, 2> world{};          //!< world term: the tariff's price effect on China-located firms, 0 abroad
    double tariff_factor = 1.0;             //!< 1 + tariff: the world price of China-located firms
    double appeal_abroad = 0.0;             //!< sum over producers abroad of appeal_world - log capacity (reputation)
    double producers_abroad = 0.0;          //!< their number (0 if reputation does not move)
};

/*! @brief The share table of sector s, without the reputation sums. */
[[nodiscard]] inline ShareTerms sector_share_terms(const Model& model, const State& st, std::size_t s) {
    const auto& m = model.scenario.markets;
    const auto& c = st.now[s];
    ShareTerms k;
    k.procurement_segment = model.scenario.sectors[s].demand.procurement_segment;
    k.procurement_share = c.procurement_share;
    double china = 0.0;
    china -= m.market_access_penalty * c.market_access;
    k.foreign_china[0] = china;
    china -= m.localization_penalty * c.localization + m.export_control_penalty * c.export_control;
    k.foreign_china[1] = china;
    double world = 0.0;
    world -= m.price_weight * st.factors[s].tariff_log1p;
    k.world = {world, 0.0};
    k.tariff_factor = 1.0 + c.tariff;
    return k;
}

/*! @brief The share table of every sector for this quarter, given the reputation sums (empty if
 *  reputation does not move). */
[[nodiscard]] inline std::vector<ShareTerms> share_terms(const Model& model, const State& st, const std::vector<std::array<double, 2>>& reputation) {
    std::vector<ShareTerms> terms(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        terms[s] = sector_share_terms(model, st, s);
        if (!reputation.empty()) {
            terms[s].appeal_abroad = reputation[s][0];
            terms[s].producers_abroad = reputation[s][1];
        }
    }
    return terms;
}

/*! @brief What produce reads per sector, once demand is known. */
struct ProductionTerms {
    double demand_china = 0.0;
    double demand_world = 0.0;
    double supplied_local = 1.0;                    //!< 1 - component cut: the usable share of a China-located firm's capacity
    std::array<double, 2> growth_factor{1.0, 1.0};  //!< expected quarterly growth, China and world segments
};

/*! @brief The production table of every sector for this quarter. */
[[nodiscard]] inline std::vector<ProductionTerms> production_terms(const Model& model, const State& st) {
    std::vector<ProductionTerms> terms(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        terms[s] = {st.sectors.demand_china[s], st.sectors.demand_world[s], 1.0 - st.now[s].component_cut, st.now[s].growth_factor};
    }
    return terms;
}

}  // namespace ipsim::model::detail
