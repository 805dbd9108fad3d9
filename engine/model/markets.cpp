/*!
 * @file markets.cpp
 * @brief Conditions in force, pricing, replicator market shares, demand and production.
 *
 * Each sector has two segments, China and the rest of the world. A firm's share of a segment
 * moves by replicator dynamics, f' = f exp(chi (E - mean E)), on a competitiveness E built from
 * its delivered price, its productivity (quality), its unfilled orders and the policy terms of
 * the segment (procurement bonus, localization and market-access penalties, export controls,
 * tariffs). A fixed effect per (sector, segment, origin) is calibrated once at the start so
 * that the initial state is at rest without policy; what moves shares afterwards is policy,
 * technology and capacity. Demand grows on trend paths, responds to the segment price index
 * with an elasticity and, in China, includes intermediate demand from downstream sectors
 * (input-output matrix times last quarter's output).
 */
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <type_traits>

#include "core/random.hpp"
#include "model/detail/firm_costs.hpp"
#include "model/detail/lanes.hpp"
#include "model/detail/market_terms.hpp"
#if IPSIM_VECTOR_MATH
#include "model/detail/vector_math.hpp"
#endif
#include "model/newsvendor.hpp"
#include "model/phases.hpp"

// As in lanes.hpp: the functions of Double4 values here are all inlined into the block kernels
// (the warning comes at the end of the file, where GCC instantiates them, hence no pop).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ipsim::model {
namespace {

constexpr double kExponentCap = 5.0;
#if IPSIM_VECTOR_MATH
/*! Rows of one block of the vector-math kernels: the same blocks as the other firm phases. */
constexpr std::size_t kVectorBlock = detail::vector_math::kBlock;
#endif

/*! Trend level after this quarter's growth: the path's rate in force, compounded quarterly. */
double next_level(double level, const TimePath& growth, double year, std::int64_t step) {
    return step == 0 ? 1.0 : level * std::pow(1.0 + growth.at(year - 0.25), 0.25);
}

/*! Share of sector s capacity idled by export controls on its own or its suppliers' components. */
double component_cut(const Model& model, const State& st, std::size_t s) {
    const auto& sc = model.scenario;
    const std::size_t ns = model.n_sectors;
    const double own = st.now[s].export_control * (1.0 - st.sectors.domestic_share[s]);
    double inputs_total = 0.0;
    double upstream = 0.0;
    for (std::size_t k = 0; k < ns; ++k) {
        const double a = model.io(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(s));
        inputs_total += a;
        if (k != s) {
            upstream += a * st.now[k].export_control * (1.0 - st.sectors.domestic_share[k]);
        }
    }
    const double via_inputs = inputs_total > 0.0 ? upstream / inputs_total : 0.0;
    return sc.sectors[s].technology.component_intensity * std::min(1.0, std::max(own, via_inputs));
}

/*! Unit-cost index of sector k from last quarter's China prices of its inputs (Cobb-Douglas in
 *  inputs: a cost share theta_sk of variable cost is spent on sector s at price index P_s). */
double input_cost_factor(const Model& model, const State& st, std::size_t k) {
    double log_factor = 0.0;
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const double theta = model.input_shares(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(k));
        if (theta > 0.0) {
            log_factor += theta * std::log(std::max(st.sectors.price_index_china[s], 1e-6));
        }
    }
    return std::exp(log_factor);
}

/*! R&D share of revenue at an R&D tax credit: spending responds to its after-tax price with elasticity one. */
double rd_intensity_after_credit(const Scenario& sc, std::size_t s, double credit) {
    return sc.sectors[s].technology.rd_intensity / (1.0 - credit * sc.finance.corporate_tax);
}

/*! Quarterly growth factor of the world frontier: its exogenous trend times Wright's law on the
 *  world's cumulative output (costs fall by learning_per_doubling each time experience doubles). */
double frontier_step(const Model& model, const State& st, std::size_t s) {
    const auto& tech = model.scenario.sectors[s].technology;
    const auto& k = model.sectors[s];
    if (tech.learning_per_doubling <= 0.0 || st.sectors.world_experience_prev[s] <= 0.0) {
        return k.frontier_trend;
    }
    const double growth = st.sectors.world_experience[s] / st.sectors.world_experience_prev[s];
    return k.frontier_trend * std::pow(std::max(growth, 1.0), k.learning_exponent);
}

/*! Normal utilisation: the expected utilisation of a no-policy firm that sizes capacity for the
 *  demand uncertainty the sector's firms have seen, facing demand shocks of that size. Without
 *  shocks it is markets.target_utilisation. */
void update_normal_utilisation(const Model& model, State& st, std::size_t s) {
    const auto& m = model.scenario.markets;
    auto& sec = st.sectors;
    const double ratio = no_policy_cost_ratio(model, st, s);
    sec.reference_capacity[s] = newsvendor::capacity_factor(m.planning_uncertainty, ratio);
    const double seen = std::sqrt(m.planning_uncertainty * m.planning_uncertainty + m.planning_horizon * sec.demand_variance[s]);
    const double capacity = newsvendor::capacity_factor(seen, ratio) / sec.reference_capacity[s] / m.target_utilisation;
    sec.normal_utilisation[s] = newsvendor::expected_utilisation(capacity, std::sqrt(sec.demand_variance[s]));
}

void update_tariff_trigger(const Model& model, State& st, std::size_t s) {
    const auto& world = model.scenario.sectors[s].world;
    auto& sec = st.sectors;
    if (!world.tariff_trigger || sec.trigger_fired[s] != 0 || !st.is_first_quarter() || st.step == 0) {
        return;
    }
    if (sec.world_share[s] > world.trigger_world_share && sec.subsidy_rate[s] > world.trigger_subsidy_intensity) {
        sec.trigger_fired[s] = 1;
    }
}

}  // namespace

double planning_growth_factor(double expected_yearly_growth) noexcept {
    return std::pow(1.0 + std::clamp(expected_yearly_growth, -0.3, 0.6), 0.25);
}

double firm_growth_factor(const Model& /*model*/, const State& st, std::size_t i) noexcept { return detail::firm_growth_factor(st, i); }

void set_instruments(const Model& model, State& st, double year) {
    const auto& sc = model.scenario;
    const double central = sc.policy_scale.central.at(year);
    st.now.resize(model.n_sectors);
    st.factors.resize(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& sector = sc.sectors[s];
        const auto& p = sector.policy;
        auto& c = st.now[s];
        c.output_subsidy = std::min(1.0, central * p.output_subsidy.at(year));
        c.investment_subsidy = std::min(1.0, central * p.investment_subsidy.at(year));
        c.rd_tax_credit = central * p.rd_tax_credit.at(year);
        c.tax_rebate = std::min(1.0, central * p.tax_rebate.at(year));
        c.loan_discount = central * p.loan_discount.at(year);
        c.procurement_share = std::min(1.0, central * p.procurement_share.at(year));
        c.localization = std::min(1.0, central * p.localization_requirement.at(year));
        c.market_access = std::min(1.0, central * p.market_access_restriction.at(year));
        c.cluster_support = central * p.cluster_support.at(year);
        c.capacity_cut = std::min(1.0, central * p.capacity_cut.at(year));
        update_tariff_trigger(model, st, s);
        c.tariff = sector.world.tariff.at(year) + (st.sectors.trigger_fired[s] != 0 ? sector.world.trigger_tariff : 0.0);
        st.sectors.tariff[s] = c.tariff;
        st.factors[s].tariff_log1p = std::log1p(c.tariff);
        st.factors[s].rd_share_local = rd_intensity_after_credit(sc, s, c.rd_tax_credit);
        st.factors[s].rd_share_abroad = rd_intensity_after_credit(sc, s, 0.0);
        c.export_control = sector.world.export_control.at(year);
        c.input_cost_share = model.input_shares.rows() > 0 ? model.input_shares.col(static_cast<Eigen::Index>(s)).sum() : 0.0;
        for (std::size_t m = 0; m < 2; ++m) {
            c.growth_factor[m] = planning_growth_factor(st.sectors.demand_growth_expected[m * model.n_sectors + s]);
        }
    }
    st.local_scale = sc.policy_scale.local.at(year);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        st.now[s].component_cut = component_cut(model, st, s);
        st.now[s].input_cost_factor = model.input_shares.rows() > 0 ? input_cost_factor(model, st, s) : 1.0;
        update_normal_utilisation(model, st, s);
    }
}

void update_conditions(const Model& model, State& st) {
    const auto& sc = model.scenario;
    const double year = model.year_of(st.step);
    set_instruments(model, st, year);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& demand = sc.sectors[s].demand;
        auto& c = st.now[s];
        c.china_growth_factor = next_level(c.china_growth_factor, demand.china_growth, year, st.step);
        c.world_growth_factor = next_level(c.world_growth_factor, demand.world_growth, year, st.step);
        // The trend price follows the exogenous frontier, plus any extra change the paths embody.
        const double frontier_trend = st.step == 0 ? 1.0 : model.sectors[s].frontier_trend;
        c.trend_price_factor = next_level(c.trend_price_factor, demand.trend_price_change, year, st.step) / frontier_trend;
        c.frontier_step = frontier_step(model, st, s);
    }
}

double local_support_weight(const Model& model, const State& st, std::size_t i) noexcept { return detail::local_support_weight(model, st, i); }

double unit_cost(const Model& /*model*/, const State& st, std::size_t i) noexcept { return detail::unit_cost(st, i); }

double rd_share(const Model& /*model*/, const State& st, std::size_t i) noexcept { return detail::rd_share(st, i); }

double full_unit_cost(const Model& model, const State& st, std::size_t i) noexcept { return detail::full_unit_cost(model, st, i); }

namespace {

/*! list_price (phases.hpp); set_prices evaluates the same expressions on its sector table (price_rows). */
inline double list_price_of(const Model& model, const State& st, std::size_t i, double markup, double subsidy_rate) noexcept {
    // R&D is priced at its after-tax cost, which tax credits leave at the sector's intensity.
    // Rivals tie prices together: a firm prices on a geometric mean of its own cost and the mean
    // cost of its group (China-located or abroad), so high-cost firms earn thinner margins.
    const auto s = static_cast<std::size_t>(st.firms.sector[i]);
    const double rd = model.scenario.sectors[s].technology.rd_intensity;
    const double own = detail::cost_basis(model, st, i, subsidy_rate);
    const double reference = st.firms.localized[i] != 0 ? st.sectors.reference_cost_china[s] : st.sectors.reference_cost_abroad[s];
    const double pi = model.scenario.markets.price_convergence;
    const double reference_pow = st.factors[s].reference_pow[st.firms.localized[i] != 0 ? 0 : 1];
    const double basis = pi > 0.0 && reference > 0.0 && own > 0.0 ? std::pow(own, 1.0 - pi) * reference_pow : own;
    return (1.0 + markup) * basis / (1.0 - rd);
}

}  // namespace

double list_price(const Model& model, const State& st, std::size_t i, double markup, double subsidy_rate) noexcept {
    return list_price_of(model, st, i, markup, subsidy_rate);
}

void set_reference_costs(const Model& model, State& st, const std::vector<std::array<double, 4>>& sums) {
    const double pi = model.scenario.markets.price_convergence;
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        st.sectors.reference_cost_china[s] = sums[s][1] > 0.0 ? sums[s][0] / sums[s][1] : 0.0;
        st.sectors.reference_cost_abroad[s] = sums[s][3] > 0.0 ? sums[s][2] / sums[s][3] : 0.0;
        // Every firm of a group prices on the same power of its rivals' cost (list_price).
        const double china = st.sectors.reference_cost_china[s];
        const double abroad = st.sectors.reference_cost_abroad[s];
        st.factors[s].reference_pow = {pi > 0.0 && china > 0.0 ? std::pow(china, pi) : 0.0,
                                       pi > 0.0 && abroad > 0.0 ? std::pow(abroad, pi) : 0.0};
    }
}

void update_reference_costs(const Model& model, State& st) {
    std::vector<std::array<double, 4>> sums;
    const auto& f = st.firms;
    core::group_sums<4>(st.by_sector, sums, [&](std::size_t i, std::array<double, 4>& acc) {
        const double weight = std::max(f.output[i], 0.0);
        const std::size_t group = f.localized[i] != 0 ? 0 : 2;
        acc[group] += weight * detail::cost_basis(model, st, i, detail::output_subsidy_rate(model, st, i));
        acc[group + 1] += weight;
    });
    set_reference_costs(model, st, sums);
}

double output_subsidy_rate(const Model& model, const State& st, std::size_t i, double support_weight) noexcept {
    return detail::output_subsidy_rate(model, st, i, support_weight);
}

double output_subsidy_rate(const Model& model, const State& st, std::size_t i) noexcept { return detail::output_subsidy_rate(model, st, i); }

namespace {

/*! Rows of one block of set_prices: the block's arrays stay in the L1 cache. */
constexpr std::size_t kPriceBlock = 256;

/*! What set_prices carries per row of a block from its lane pass to its pow and its price. */
struct PriceBlock {
    alignas(32) std::array<double, kPriceBlock> basis;          //!< the cost basis; after the pow pass, the price basis
    alignas(32) std::array<double, kPriceBlock> reference_pow;  //!< the group's reference cost^price_convergence
    alignas(32) std::array<double, kPriceBlock> scale;          //!< 1 + markup
    alignas(32) std::array<double, kPriceBlock> rd_complement;  //!< 1 - rd_intensity
    std::array<std::uint8_t, kPriceBlock> on_reference;         //!< live, priced on the reference cost, positive cost basis
};

/*! set_prices' lane pass for the kWidth<L> rows from row lo + j: every branch computed and picked
 *  with select, the markups stored and the rest of each price left in slot j of the block. The
 *  markup is the sector's normal markup moved by the firm's share, cut in a price war, raised
 *  when capacity is short; the price (finish_prices) is list_price_of's at the firm's output
 *  subsidy rate, with the expressions of firm_costs, output_subsidy_rate_on, cost_basis and
 *  list_price_of in their order, on the sector's table. Dead rows are left. */
template <class L>
[[gnu::always_inline]] inline void price_rows(const Model& model, State& st, std::size_t lo, std::size_t j, const detail::PricingTerms* terms,
                                              const std::vector<double>& support_weights, bool scarcity_pricing, PriceBlock& out) noexcept {
    namespace ln = detail::lanes;
    constexpr std::size_t width = ln::kWidth<L>;
    auto& f = st.firms;
    const std::size_t i = lo + j;
    const auto alive = ln::nonzero<L>(f.alive.data() + i);
    if (ln::none(alive)) {
        std::fill_n(out.on_reference.data() + j, width, std::uint8_t{0});
        return;
    }
    const auto& m = model.scenario.markets;
    // Each lane's sector table and location group, looked up once for the gathers below.
    std::array<const detail::PricingTerms*, width> tables{};
    std::array<std::size_t, width> groups{};
    for (std::size_t k = 0; k < width; ++k) {
        tables[k] = &terms[static_cast<std::size_t>(f.sector[i + k])];
        groups[k] = detail::location_group(f, i + k);
    }
    const auto term = [&](std::size_t k) -> const detail::PricingTerms& { return *tables[k]; };
    const auto group = [&](std::size_t k) { return groups[k]; };
    const auto localized = ln::nonzero<L>(f.localized.data() + i);
    const auto foreign = ln::equal<L>(f.ownership.data() + i, static_cast<std::uint8_t>(Ownership::foreign));
    const L normal_u = ln::gather<L>([&](std::size_t k) { return term(k).cost.normal_utilisation; });
    const L zero = ln::splat<L>(0.0);
    const L one = ln::splat<L>(1.0);
    // A price war starts when utilisation falls below the sector's own normal utilisation.
    const L share = 0.5 * (ln::load<L>(f.share_china.data() + i) + ln::load<L>(f.share_world.data() + i));
    const L capacity = ln::load<L>(f.capacity.data() + i);
    const L own_utilisation = ln::select(zero < capacity, ln::load<L>(f.output.data() + i) / capacity, one);
    const L utilisation = ln::select(localized, ln::gather<L>([&](std::size_t k) { return term(k).utilisation; }), own_utilisation);
    const L slack = ln::max_of(zero, normal_u - utilisation);
    const L war = ln::max_of(zero, 1.0 - m.price_war_sensitivity * slack / normal_u);
    const L normal_markup = ln::gather<L>([&](std::size_t k) { return term(k).normal_markup; });
    const L inverse_count = ln::gather<L>([&](std::size_t k) { return term(k).inverse_count; });
    L markup = normal_markup * ln::max_of(zero, 1.0 + m.markup_share_sensitivity * (share - inverse_count)) * war;
    if (scarcity_pricing) {
        // Short capacity: sellers raise markups, the mirror of the price war.
        const auto scarce = ln::both(normal_u < utilisation, normal_u < one);
        markup = ln::select(scarce, markup * (1.0 + m.scarcity_sensitivity * (utilisation - normal_u) / (1.0 - normal_u)), markup);
    }
    // The price covers the cost basis, tied to the group's reference cost (list_price_of).
    const auto c = detail::unit_costs(ln::load<L>(f.productivity.data() + i), ln::gather<L>([&](std::size_t k) { return term(k).cost.frontier; }),
                                      ln::gather<L>([&](std::size_t k) { return term(k).cost.capital_per_output; }),
                                      ln::gather<L>([&](std::size_t k) { return term(k).cost.base_cost[group(k)]; }));
    const L full = c.unit + model.normal_capital_rate * c.capital_per_unit / normal_u;
    const L support = ln::gather<L>([&](std::size_t k) { return detail::local_support_weight_on(model, st, i + k, support_weights); });
    const L central_subsidy = ln::gather<L>([&](std::size_t k) { return term(k).cost.output_subsidy; });
    const L subsidy_rate = ln::select(ln::both(localized, ln::negate(foreign)),
                                      detail::capped_output_subsidy(central_subsidy, model.scenario.local.output_subsidy, support), zero);
    const L own = full - m.subsidy_pass_through * subsidy_rate * c.unit;
    const auto on_reference = ln::both(ln::gather<L>([&](std::size_t k) { return term(k).on_reference[group(k)] ? 1.0 : 0.0; }) != zero, zero < own);
    const L reference_pow = ln::gather<L>([&](std::size_t k) { return term(k).reference_pow[group(k)]; });
    ln::store(out.basis.data() + j, own);
    ln::store(out.reference_pow.data() + j, reference_pow);
    ln::store(out.scale.data() + j, 1.0 + markup);
    ln::store(out.rd_complement.data() + j, ln::gather<L>([&](std::size_t k) { return term(k).cost.rd_complement; }));
    for (std::size_t k = 0; k < width; ++k) {
        out.on_reference[j + k] = ln::holds(alive, k) && ln::holds(on_reference, k) ? 1 : 0;
    }
    if (ln::all(alive)) {
        ln::store(f.markup.data() + i, markup);
    } else {
        ln::store_where(f.markup.data() + i, alive, markup);
    }
}

/*! The lane pass of set_prices over the rows [lo, lo + rows), four at a time with Double4, the
 *  last rows one at a time. */
template <bool kFour>
[[gnu::always_inline]] inline void price_block_lanes(const Model& model, State& st, std::size_t lo, std::size_t rows, const detail::PricingTerms* terms,
                                                     const std::vector<double>& support_weights, bool scarcity_pricing, PriceBlock& out) noexcept {
    std::size_t j = 0;
    if constexpr (kFour) {
        constexpr std::size_t width = detail::lanes::kWidth<detail::lanes::Double4>;
        for (; j + width <= rows; j += width) {
            price_rows<detail::lanes::Double4>(model, st, lo, j, terms, support_weights, scarcity_pricing, out);
        }
    }
    for (; j < rows; ++j) {
        price_rows<double>(model, st, lo, j, terms, support_weights, scarcity_pricing, out);
    }
}

#if IPSIM_VECTOR_MATH
// AVX2 without FMA: a * b + c must stay two roundings.
[[gnu::target("avx2")]] void price_block_avx2(const Model& model, State& st, std::size_t lo, std::size_t rows, const detail::PricingTerms* terms,
                                              const std::vector<double>& support_weights, bool scarcity_pricing, PriceBlock& out) noexcept {
    price_block_lanes<true>(model, st, lo, rows, terms, support_weights, scarcity_pricing, out);
}

void price_block_sse2(const Model& model, State& st, std::size_t lo, std::size_t rows, const detail::PricingTerms* terms,
                      const std::vector<double>& support_weights, bool scarcity_pricing, PriceBlock& out) noexcept {
    price_block_lanes<true>(model, st, lo, rows, terms, support_weights, scarcity_pricing, out);
}
#endif

/*! The price basis of the block's rows priced on the reference cost: own^(1 - price_convergence)
 *  times the reference cost^price_convergence (list_price_of), one scalar pow a row. */
void tie_to_reference(PriceBlock& block, std::size_t rows, double own_power) noexcept {
    for (std::size_t j = 0; j < rows; ++j) {
        if (block.on_reference[j] != 0) {
            block.basis[j] = std::pow(block.basis[j], own_power) * block.reference_pow[j];
        }
    }
}

/*! The prices of the block's live rows: (1 + markup) times the price basis over 1 - rd_intensity. */
void finish_prices(Firms& f, const PriceBlock& block, std::size_t lo, std::size_t rows) noexcept {
    for (std::size_t j = 0; j < rows; ++j) {
        if (f.alive[lo + j] != 0) {
            f.price[lo + j] = block.scale[j] * block.basis[j] / block.rd_complement[j];
        }
    }
}

}  // namespace

void set_prices(const Model& model, State& st) {
    auto& f = st.firms;
    const auto& m = model.scenario.markets;
    const auto terms = detail::pricing_terms(model, st);
    const auto support_weights = detail::support_weight_table(model, st);
    const double own_power = 1.0 - m.price_convergence;
    const bool scarcity_pricing = m.scarcity_sensitivity > 0.0;
#if IPSIM_VECTOR_MATH
    const auto price_block = detail::vector_math::uses_avx2() ? price_block_avx2 : price_block_sse2;
#else
    const auto price_block = price_block_lanes<false>;
#endif
    // Blocks of kPriceBlock rows: a lane pass, the pows, the prices.
    const std::size_t n = f.size();
    core::parallel_for(
        (n + kPriceBlock - 1) / kPriceBlock,
        [&](std::size_t b) {
            const std::size_t lo = b * kPriceBlock;
            const std::size_t rows = std::min(kPriceBlock, n - lo);
            PriceBlock block;
            price_block(model, st, lo, rows, terms.data(), support_weights, scarcity_pricing, block);
            tie_to_reference(block, rows, own_power);
            finish_prices(f, block, lo, rows);
        },
        1);
}

namespace {

struct Competitiveness {
    double china;
    double world;
};

/*! Competitiveness without policy terms: price, quality, unfilled orders. */
double base_competitiveness(const MarketSettings& m, double price, double productivity, double unfilled) {
    return -m.price_weight * std::log(price) + m.quality_weight * std::log(productivity) - m.unfilled_weight * unfilled;
}

/*! Policy and trade terms of firm i's competitiveness in the two segments, on its sector's table k. */
[[gnu::always_inline]] inline Competitiveness policy_terms(const Model& model, const State& st, std::size_t i, const detail::ShareTerms& k,
                                                           double support_weight) {
    const auto& sc = model.scenario;
    const auto& f = st.firms;
    const std::size_t group = detail::location_group(f, i);
    Competitiveness t{0.0, k.world[group]};
    if (f.ownership[i] != static_cast<std::uint8_t>(Ownership::foreign)) {
        const double local_pref = sc.local.procurement_preference * support_weight;
        // Buyers can only favour domestic suppliers as far as these can deliver: the bonus scales
        // with the firm's productivity relative to the frontier.
        const double capability = std::min(1.0, f.productivity[i]);
        t.china += sc.markets.procurement_weight * capability * k.procurement_segment * std::min(1.0, k.procurement_share + local_pref);
    } else {
        t.china = k.foreign_china[group];
    }
    return t;
}

[[gnu::always_inline]] inline Competitiveness competitiveness(const Model& model, const State& st, std::size_t i, const detail::ShareTerms& k,
                                                              const std::vector<double>& support_weights) {
    const auto& f = st.firms;
    const double base = base_competitiveness(model.scenario.markets, f.price[i], f.productivity[i], f.unfilled[i]);
    const auto t = policy_terms(model, st, i, k, detail::local_support_weight_on(model, st, i, support_weights));
    const double shift = f.demand_shock[i];
    return {base + t.china + f.appeal_china[i] + shift, base + t.world + f.appeal_world[i] + shift};
}

}  // namespace

void set_appeal(const Model& model, State& st, std::size_t i) {
    // The appeal makes the current shares the rest point of the share dynamics at the firm's price
    // and under the policy in force, without orders left unfilled or demand shocks.
    auto& f = st.firms;
    const auto t = policy_terms(model, st, i, detail::sector_share_terms(model, st, static_cast<std::size_t>(f.sector[i])),
                                detail::local_support_weight(model, st, i));
    const double base = base_competitiveness(model.scenario.markets, f.price[i], f.productivity[i], 0.0);
    f.appeal_china[i] = std::log(f.share_china[i]) - base - t.china;
    f.appeal_world[i] = std::log(f.share_world[i]) - base - t.world;
}

void calibrate_appeal(const Model& model, State& st) {
    auto& f = st.firms;
    auto& sec = st.sectors;
    update_reference_costs(model, st);
    // Each firm's price and appeal read only its own row and sector-wide terms.
    core::parallel_for(f.size(), [&](std::size_t i) {
        f.share_china[i] = std::max(f.share_china[i], model.scenario.markets.min_share);
        f.share_world[i] = std::max(f.share_world[i], model.scenario.markets.min_share);
        f.price[i] = list_price(model, st, i, f.markup[i], output_subsidy_rate(model, st, i));
        set_appeal(model, st, i);
    });
    std::vector<std::array<double, 4>> sums;
    core::group_sums<4>(st.by_sector, sums, [&](std::size_t i, std::array<double, 4>& acc) {
        acc[0] += f.share_china[i] * f.price[i];
        acc[1] += f.share_world[i] * f.price[i];
        if (f.localized[i] != 0) {
            acc[2] += f.price[i] * f.output[i];
            acc[3] += f.output[i];
        }
    });
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        sec.price_china0[s] = sums[s][0];
        sec.price_world0[s] = sums[s][1];
        sec.price_local0[s] = sums[s][3] > 0.0 ? sums[s][2] / sums[s][3] : 1.0;
    }
}

namespace {

/*! Logit-replicator step of firm i before renormalisation: log f' = log f + chi (E - log f). */
[[gnu::always_inline]] inline void move_shares(const Model& model, State& st, std::size_t i, const Competitiveness& e) {
    auto& f = st.firms;
    const auto& m = model.scenario.markets;
    const double dc = std::clamp(m.selection_intensity * (e.china - std::log(f.share_china[i])), -kExponentCap, kExponentCap);
    const double dw = std::clamp(m.selection_intensity * (e.world - std::log(f.share_world[i])), -kExponentCap, kExponentCap);
    f.share_china[i] = f.share_china[i] * std::exp(dc);
    f.share_world[i] = f.share_world[i] * std::exp(dw);
}

}  // namespace

Eigen::VectorXd input_spending(const Model& model, const State& st) {
    const auto ns = static_cast<Eigen::Index>(model.n_sectors);
    const Eigen::Map<const Eigen::VectorXd> cost(st.sectors.variable_cost_china.data(), ns);
    return model.input_shares * cost;
}

namespace {

/*! Renormalises each sector's shares to one per segment (floored at min_share) and, in the same
 *  pass over each sector's live firms, takes the segment price indexes and demand. */
void compute_demand(const Model& model, State& st, const std::vector<detail::ShareTerms>& terms, const std::vector<std::array<double, 2>>& totals) {
    const auto& sc = model.scenario;
    auto& f = st.firms;
    auto& sec = st.sectors;
    const double min_share = sc.markets.min_share;
    std::vector<std::array<double, 2>> price;
    core::group_sums<2>(st.by_sector, price, [&](std::size_t i, std::array<double, 2>& acc) {
        const auto s = static_cast<std::size_t>(f.sector[i]);
        f.share_china[i] = std::max(min_share, f.share_china[i] / totals[s][0]);
        f.share_world[i] = std::max(min_share, f.share_world[i] / totals[s][1]);
        acc[0] += f.share_china[i] * f.price[i];
        acc[1] += f.share_world[i] * f.price[i] * (f.localized[i] != 0 ? terms[s].tariff_factor : 1.0);
    });
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        sec.price_index_china[s] = price[s][0] / sec.price_china0[s];
        sec.price_index_world[s] = price[s][1] / sec.price_world0[s];
    }
    const Eigen::VectorXd intermediate = input_spending(model, st);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& demand = sc.sectors[s].demand;
        // Trend paths are demand at the price path they embody (trend_price_change): only prices that
        // deviate from that path (learning, subsidies, price wars, tariffs) move demand off trend.
        const double trend_price = st.now[s].trend_price_factor;
        sec.demand_china[s] = sec.final_china0[s] * st.now[s].china_growth_factor *
                                  std::pow(sec.price_index_china[s] / trend_price, -demand.elasticity) +
                              intermediate(static_cast<Eigen::Index>(s)) / sec.price_index_china[s];
        sec.demand_world[s] = demand.world * st.now[s].world_growth_factor *
                              std::pow(sec.price_index_world[s] / trend_price, -demand.elasticity);
    }
}

/*! Firm i's production, sales and demand expectation this quarter; returns demanded / forecast,
 *  whose log is the forecast error of the demand variance, or 0 when there is none. */
[[gnu::always_inline]] inline double produce_firm(Firms& f, const detail::ProductionTerms& k, std::size_t i, double keep_expectation,
                                                  double expectation_weight) {
    const double china = f.share_china[i] * k.demand_china;
    const double world = f.share_world[i] * k.demand_world;
    const double demanded = china + world;
    // Missing foreign components bind on every unit made, not only on idle capacity.
    const double supplied = f.localized[i] != 0 ? k.supplied_local : 1.0;
    const double capacity = f.capacity[i];
    const double output = std::min(demanded, capacity) * supplied;
    f.usable_capacity[i] = capacity * supplied;
    f.output[i] = output;
    const double filled = demanded > 0.0 ? output / demanded : 1.0;
    f.sales_china[i] = filled * china;
    f.sales_world[i] = filled * world;
    f.unfilled[i] = 1.0 - filled;
    // Last quarter's expectation carried forward by the sector's expected growth is this
    // quarter's forecast (a level that keeps pace with steady growth, not one that lags it);
    // the growth factor is firm_growth_factor's, from the same china and world demand.
    const double growth = demanded > 0.0 ? (china * k.growth_factor[0] + world * k.growth_factor[1]) / demanded : k.growth_factor[0];
    const double forecast = f.expected_demand[i] * growth;
    f.expected_demand[i] = keep_expectation * forecast + expectation_weight * demanded;
    return demanded > 0.0 && forecast > 0.0 ? demanded / forecast : 0.0;
}

void produce(const Model& model, State& st) {
    auto& f = st.firms;
    const auto& m = model.scenario.markets;
    const auto terms = detail::production_terms(model, st);
    // Copied out of the Model: read through it, they would be fetched again after the log call.
    const double volatility_weight = m.volatility_weight;
    const double keep_variance = 1.0 - volatility_weight;
    const double expectation_weight = m.expectation_weight;
    const double keep_expectation = 1.0 - expectation_weight;
    auto update_variance = [&](std::size_t i, double error) {
        f.demand_variance[i] = keep_variance * f.demand_variance[i] + volatility_weight * error * error;
    };
#if !IPSIM_VECTOR_MATH
    core::parallel_for(f.size(), [&](std::size_t i) {
        if (f.alive[i] == 0) {
            return;
        }
        const double ratio = produce_firm(f, terms[static_cast<std::size_t>(f.sector[i])], i, keep_expectation, expectation_weight);
        if (ratio > 0.0) {
            update_variance(i, std::log(ratio));
        }
    });
#else
    // The forecast errors' logs are taken over blocks of kVectorBlock rows (vector_math).
    const std::size_t n = f.size();
    core::parallel_for(
        (n + kVectorBlock - 1) / kVectorBlock,
        [&](std::size_t b) {
            const std::size_t lo = b * kVectorBlock;
            const std::size_t rows = std::min(kVectorBlock, n - lo);
            alignas(32) std::array<double, kVectorBlock> error;
            std::array<bool, kVectorBlock> has_error;
            for (std::size_t j = 0; j < rows; ++j) {
                const std::size_t i = lo + j;
                const double ratio = f.alive[i] != 0 ? produce_firm(f, terms[static_cast<std::size_t>(f.sector[i])], i, keep_expectation, expectation_weight) : 0.0;
                has_error[j] = ratio > 0.0;
                error[j] = has_error[j] ? ratio : 1.0;
            }
            const std::size_t width = detail::vector_math::padded(rows);
            std::fill(error.begin() + static_cast<std::ptrdiff_t>(rows), error.begin() + static_cast<std::ptrdiff_t>(width), 1.0);
            detail::vector_math::log(error.data(), width);
            for (std::size_t j = 0; j < rows; ++j) {
                if (has_error[j]) {
                    update_variance(lo + j, error[j]);
                }
            }
        },
        1);
#endif
}

}  // namespace

namespace {

/*! Reputation abroad builds with scale: a China-located firm's appeal in the world market rises
 *  toward that of a foreign producer of its capacity (sector mean of appeal - log capacity over
 *  producers abroad), at markets.appeal_adjustment per quarter. It does not fall back. These are
 *  the sums over producers abroad per sector (none if reputation does not move). */
std::vector<std::array<double, 2>> reputation_sums(const Model& model, const State& st) {
    const auto& f = st.firms;
    std::vector<std::array<double, 2>> sums;
    if (model.scenario.markets.appeal_adjustment <= 0.0) {
        return sums;
    }
    core::group_sums<2>(st.by_sector, sums, [&](std::size_t i, std::array<double, 2>& acc) {
        if (f.localized[i] == 0 && f.capacity[i] > 0.0) {
            acc[0] += f.appeal_world[i] - std::log(f.capacity[i]);
            acc[1] += 1.0;
        }
    });
    return sums;
}

/*! Moves the world appeal of live firm i toward its target (reputation_sums, in its sector's table k). */
[[gnu::always_inline]] inline void build_reputation(const Model& model, State& st, std::size_t i, const detail::ShareTerms& k) {
    auto& f = st.firms;
    if (f.localized[i] == 0 || k.producers_abroad <= 0.0 || f.capacity[i] <= 0.0) {
        return;
    }
    const double target = k.appeal_abroad / k.producers_abroad + std::log(f.capacity[i]);
    f.appeal_world[i] += model.scenario.markets.appeal_adjustment * std::max(0.0, target - f.appeal_world[i]);
}

}  // namespace

#if IPSIM_VECTOR_MATH
namespace {

/*! The replicator pass of clear_markets (reputation, demand shock, competitiveness, replicator
 *  step) for the live firms rows[0, count), count <= kVectorBlock, with their logs, exps and
 *  cosines taken over arrays (vector_math): each firm's expressions are the scalar pass's, but
 *  with libmvec's values of the transcendental calls. */
void replicate_block(const Model& model, State& st, const std::vector<detail::ShareTerms>& terms, const std::vector<double>& support_weights,
                     const std::uint32_t* rows, std::size_t count, bool reputation_moves, const core::StreamFamily* shocks) {
    namespace vm = detail::vector_math;
    auto& f = st.firms;
    const auto& m = model.scenario.markets;
    const std::size_t width = vm::padded(count);
    alignas(32) std::array<double, kVectorBlock> log_capacity;
    alignas(32) std::array<double, kVectorBlock> log_u1;
    alignas(32) std::array<double, kVectorBlock> angle;
    alignas(32) std::array<double, kVectorBlock> log_price;
    alignas(32) std::array<double, kVectorBlock> log_productivity;
    alignas(32) std::array<double, kVectorBlock> china;
    alignas(32) std::array<double, kVectorBlock> world;
    std::array<bool, kVectorBlock> builds_reputation;
    // The padding past count: arguments the transforms accept, results never read.
    for (std::size_t j = count; j < width; ++j) {
        log_capacity[j] = 1.0;
        log_u1[j] = 1.0;
        angle[j] = 0.0;
        log_price[j] = 1.0;
        log_productivity[j] = 1.0;
        china[j] = 1.0;
        world[j] = 1.0;
    }
    for (std::size_t j = 0; j < count; ++j) {
        const std::size_t i = rows[j];
        const auto& k = terms[static_cast<std::size_t>(f.sector[i])];
        builds_reputation[j] = reputation_moves && f.localized[i] != 0 && k.producers_abroad > 0.0 && f.capacity[i] > 0.0;
        log_capacity[j] = builds_reputation[j] ? f.capacity[i] : 1.0;
        log_price[j] = f.price[i];
        log_productivity[j] = f.productivity[i];
        china[j] = f.share_china[i];
        world[j] = f.share_world[i];
    }
    if (reputation_moves) {
        vm::log(log_capacity.data(), width);
    }
    if (shocks != nullptr) {
        std::array<std::uint64_t, kVectorBlock> ids;
        for (std::size_t j = 0; j < count; ++j) {
            ids[j] = f.id[rows[j]];
        }
        shocks->first_uniforms(ids.data(), count, log_u1.data(), angle.data());
        for (std::size_t j = 0; j < count; ++j) {
            angle[j] = 2.0 * std::numbers::pi * angle[j];
        }
        vm::log(log_u1.data(), width);
        vm::cos(angle.data(), width);
    }
    vm::log(log_price.data(), width);
    vm::log(log_productivity.data(), width);
    vm::log(china.data(), width);
    vm::log(world.data(), width);
    for (std::size_t j = 0; j < count; ++j) {
        const std::size_t i = rows[j];
        const auto& k = terms[static_cast<std::size_t>(f.sector[i])];
        if (builds_reputation[j]) {
            const double target = k.appeal_abroad / k.producers_abroad + log_capacity[j];
            f.appeal_world[i] += m.appeal_adjustment * std::max(0.0, target - f.appeal_world[i]);
        }
        if (shocks != nullptr) {
            const double normal = std::sqrt(-2.0 * log_u1[j]) * angle[j];
            f.demand_shock[i] = m.demand_shock_persistence * f.demand_shock[i] + m.demand_shock * normal;
        }
        const double base = -m.price_weight * log_price[j] + m.quality_weight * log_productivity[j] - m.unfilled_weight * f.unfilled[i];
        const auto t = policy_terms(model, st, i, k, detail::local_support_weight_on(model, st, i, support_weights));
        const double shift = f.demand_shock[i];
        const double e_china = base + t.china + f.appeal_china[i] + shift;
        const double e_world = base + t.world + f.appeal_world[i] + shift;
        // china and world now hold the logs of the shares; they become the replicator exponents.
        china[j] = std::clamp(m.selection_intensity * (e_china - china[j]), -kExponentCap, kExponentCap);
        world[j] = std::clamp(m.selection_intensity * (e_world - world[j]), -kExponentCap, kExponentCap);
    }
    for (std::size_t j = count; j < width; ++j) {
        china[j] = 0.0;
        world[j] = 0.0;
    }
    vm::exp(china.data(), width);
    vm::exp(world.data(), width);
    for (std::size_t j = 0; j < count; ++j) {
        const std::size_t i = rows[j];
        f.share_china[i] = f.share_china[i] * china[j];
        f.share_world[i] = f.share_world[i] * world[j];
    }
}

}  // namespace

#endif

/*! Reputation, demand shocks, competitiveness and the replicator step for every live firm, then
 *  demand and production. With IPSIM_VECTOR_MATH the replicator pass runs in blocks of the sector
 *  index's members (replicate_block) and the shares' totals are summed after it, per sector in
 *  member order, as the scalar pass sums them. */
void clear_markets(const Model& model, State& st) {
    auto& f = st.firms;
    const auto& m = model.scenario.markets;
    const auto reputation = reputation_sums(model, st);
    const bool reputation_moves = !reputation.empty();
    // The demand shocks' normals, Stream::normal() of each firm's stream, from its first block.
    const core::StreamFamily shock_streams(st.seed, core::Purpose::demand_shock, static_cast<std::uint64_t>(st.step));
    const core::StreamFamily* shocks = m.demand_shock > 0.0 ? &shock_streams : nullptr;
    const auto terms = detail::share_terms(model, st, reputation);
    const auto support_weights = detail::support_weight_table(model, st);
#if IPSIM_VECTOR_MATH
    const auto& index = st.by_sector;
    const std::size_t groups = index.groups();
    if (groups > 0) {
        const std::uint32_t* members = index.begin(0);
        const auto n = static_cast<std::size_t>(index.end(groups - 1) - members);
        core::parallel_for(
            (n + kVectorBlock - 1) / kVectorBlock,
            [&](std::size_t b) {
                const std::size_t lo = b * kVectorBlock;
                replicate_block(model, st, terms, support_weights, members + lo, std::min(kVectorBlock, n - lo), reputation_moves, shocks);
            },
            1);
    }
    std::vector<std::array<double, 2>> totals;
    core::group_sums<2>(index, totals, [&](std::size_t i, std::array<double, 2>& acc) {
        acc[0] += f.share_china[i];
        acc[1] += f.share_world[i];
    });
#else
    // One pass over each sector's live firms (the sector index holds exactly these; it is rebuilt
    // whenever the population changes): reputation, demand shock, competitiveness and the
    // replicator step read and write firm i only, and the shares' totals, the divisors of the
    // renormalisation, are summed as they come.
    std::vector<std::array<double, 2>> totals;
    // always_inline: GCC would otherwise call this term once per firm from group_sums' loop.
    core::group_sums<2>(
        st.by_sector, totals, [&](std::size_t i, std::array<double, 2> & acc) __attribute__((always_inline)) {
            const auto& k = terms[static_cast<std::size_t>(f.sector[i])];
            if (reputation_moves) {
                build_reputation(model, st, i, k);
            }
            if (shocks != nullptr) {
                const auto u = shocks->first_uniforms(f.id[i]);
                const double normal = std::sqrt(-2.0 * std::log(u[0])) * std::cos(2.0 * std::numbers::pi * u[1]);
                f.demand_shock[i] = m.demand_shock_persistence * f.demand_shock[i] + m.demand_shock * normal;
            }
            move_shares(model, st, i, competitiveness(model, st, i, k, support_weights));
            acc[0] += f.share_china[i];
            acc[1] += f.share_world[i];
        });
#endif
    compute_demand(model, st, terms, totals);
    produce(model, st);
}

}  // namespace ipsim::model
