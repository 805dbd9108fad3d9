/*!
 * @file outcomes.cpp
 * @brief Sector aggregates that behaviour reads, and the recorded outcomes of each quarter.
 *
 * Everything here is computed from the agents with deterministic reductions: sums per sector
 * over the sector index, per region over local governments. "China-located" firms are
 * Chinese-owned firms plus localized foreign firms; they make up domestic production. The
 * misallocation measure follows Hsieh and Klenow (2009): with sector output a CES aggregate
 * (elasticity sigma = 3) of firm outputs and Cobb-Douglas firms, the ratio of efficient to
 * actual sector TFP is [sum_i y_i^sigma (k_i^alpha l_i^(1-alpha))^(1-sigma)]^(1/(sigma-1)),
 * where y, k, l are each firm's shares of sector revenue, capital and labour (variable cost);
 * sectors combine with value-added weights.
 */
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "model/detail/firm_costs.hpp"
#include "model/detail/market_terms.hpp"
#include "model/phases.hpp"

namespace ipsim::model {
namespace {

constexpr double kSigma = 3.0;  // Hsieh and Klenow (2009); y^sigma is written y * y * y and l^(1-sigma) 1 / (l * l) below
static_assert(kSigma == 3.0, "misallocation_by_sector writes the powers of sigma = 3 out");

// clang-format off
enum SectorSum : std::size_t {
    cap_local, out_local, out_all, sales_china_local, sales_china_all, revenue_local, op_profit_local,
    firms_local, firms_chinese, productivity_chinese, capital_chinese, fund_equity_chinese, subsidies_local,
    exports_value, out_sq_local, revenue_value_local, productivity_weighted, zombies_local, capital_local,
    zombie_capital, investment_local, rd_local, subsidy_central, subsidy_local_sum, soe_revenue, demand_total,
    price_weighted_local, usable_local, sales_china_chinese, revenue_chinese, varcost_local, inputs_local, variance_local, scrapped_local, china_value_all, markup_weighted, productivity_chinese_weighted, out_chinese,
    counted_revenue, counted_capital, counted_varcost,  // firms in the misallocation measure (misallocation_by_sector)
    building_local,
    kSectorSums
};
// clang-format on
static_assert(kSectorSums == kSectorSumCount);

/*! A firm counts in the misallocation measure if it produces in China with positive output, revenue and capital. */
bool counted_in_misallocation(const Firms& f, std::size_t i, double revenue) {
    return f.localized[i] != 0 && f.output[i] > 0.0 && revenue > 0.0 && f.capital[i] > 0.0;
}

/*! The terms of a sector that the sector sums read for each of its firms: its cost terms, and for
 *  China-located firms the R&D share and input cost share in force (detail::firm_rd and
 *  detail::firm_inputs of such a firm), gathered once per pass. */
struct SectorTerms {
    detail::CostTerms cost;
    double rd_share_local = 0.0;
    double input_cost_share = 0.0;
};

std::vector<SectorTerms> sector_terms(const Model& model, const State& st) {
    std::vector<SectorTerms> terms(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        terms[s] = {detail::sector_cost_terms(model, st, s), st.factors[s].rd_share_local, st.now[s].input_cost_share};
    }
    return terms;
}

/*! Firm i's terms of the sector sums, added into a[0, kSectorSums), given its sector's terms, its
 *  costs and whether this quarter's flows are booked (not yet in the initial state, where they
 *  are all zero). Each column is read once into a local: a store into a[] could alias it. */
inline void add_sector_terms(const State& st, std::size_t i, const SectorTerms& t, const detail::FirmCosts& costs, bool booked, double* a) {
    const auto& f = st.firms;
    const double output = f.output[i];
    const double price = f.price[i];
    const double sales_china = f.sales_china[i];
    a[out_all] += output;
    a[sales_china_all] += sales_china;
    a[china_value_all] += price * sales_china;
    if (f.localized[i] == 0) {
        return;
    }
    const double revenue = booked ? detail::firm_revenue(f, i) : 0.0;
    const double productivity = f.productivity[i];
    const double capital = f.capital[i];
    const double variable_cost = f.variable_cost[i];
    const double in_progress = f.capital_in_progress[i];
    const std::uint8_t zombie = f.is_zombie(i) ? 1 : 0;
    const bool chinese = !st.is_foreign(i);
    a[cap_local] += f.capacity[i];
    a[usable_local] += f.usable_capacity[i];
    a[out_local] += output;
    a[out_sq_local] += output * output;
    a[sales_china_local] += sales_china;
    a[revenue_local] += revenue;
    a[op_profit_local] += f.operating_profit[i];
    a[firms_local] += 1.0;
    a[exports_value] += price * f.sales_world[i];
    a[productivity_weighted] += productivity * output;
    a[zombies_local] += zombie;
    a[capital_local] += capital;
    a[zombie_capital] += zombie != 0 ? capital : 0.0;
    a[investment_local] += f.investment[i];
    a[rd_local] += t.rd_share_local * revenue;  // detail::firm_rd of a China-located firm
    a[subsidy_central] += f.subsidy_central[i];
    a[subsidy_local_sum] += f.subsidy_local[i];
    a[soe_revenue] += f.ownership[i] == static_cast<std::uint8_t>(Ownership::soe) ? revenue : 0.0;
    a[revenue_chinese] += chinese ? revenue : 0.0;
    a[price_weighted_local] += price * output;
    a[varcost_local] += variable_cost;
    a[inputs_local] += t.input_cost_share * variable_cost;  // detail::firm_inputs of a China-located firm
    a[variance_local] += f.demand_variance[i];
    a[scrapped_local] += f.scrapped[i];
    a[building_local] += in_progress > 0.0 ? in_progress / costs.capital_per_unit : 0.0;
    a[markup_weighted] += output * price * t.cost.rd_complement / costs.full;
    if (chinese) {
        a[sales_china_chinese] += sales_china;
        a[firms_chinese] += 1.0;
        a[productivity_chinese] += productivity;
        a[capital_chinese] += capital;
        a[fund_equity_chinese] += f.fund_equity[i];
        a[productivity_chinese_weighted] += productivity * output;
        a[out_chinese] += output;
    }
    if (output > 0.0 && revenue > 0.0 && capital > 0.0) {  // counted_in_misallocation (localized)
        a[counted_revenue] += revenue;
        a[counted_capital] += capital;
        a[counted_varcost] += variable_cost;
    }
}

/*! The sector sums and, in the same pass over each sector's firms, the sums behind the reference
 *  costs (each sum adds the same terms in the same order as two separate passes would); `booked`
 *  as add_sector_terms. */
SectorSums sector_sums_with_reference_costs(const Model& model, const State& st, bool booked, std::vector<std::array<double, 4>>& reference) {
    constexpr std::size_t kAll = kSectorSums + 4;
    std::vector<std::array<double, kAll>> all;
    const auto& f = st.firms;
    const auto terms = sector_terms(model, st);
    const auto support_weights = detail::support_weight_table(model, st);
    // always_inline: GCC would otherwise call this term once per firm from group_sums' loop.
    core::group_sums<kAll>(
        st.by_sector, all, [&](std::size_t i, std::array<double, kAll> & a) __attribute__((always_inline)) {
            // The terms of add_reference_cost_terms, sharing the firm's unit and full unit cost.
            const auto& t = terms[static_cast<std::size_t>(f.sector[i])];
            const auto& k = t.cost;
            const auto costs = detail::firm_costs(model, f, i, k);
            const double weight = std::max(f.output[i], 0.0);
            const double subsidy_rate = detail::output_subsidy_rate_on(model, st, i, k, detail::local_support_weight_on(model, st, i, support_weights));
            const double weighted_cost = weight * detail::cost_basis(model, subsidy_rate, costs.unit, costs.full);
            // Constant indices: an index chosen per firm kept the accumulators in memory.
            if (f.localized[i] != 0) {
                a[kSectorSums] += weighted_cost;
                a[kSectorSums + 1] += weight;
            } else {
                a[kSectorSums + 2] += weighted_cost;
                a[kSectorSums + 3] += weight;
            }
            add_sector_terms(st, i, t, costs, booked, a.data());
        });
    SectorSums sums(all.size());
    reference.resize(all.size());
    for (std::size_t s = 0; s < all.size(); ++s) {
        std::copy_n(all[s].begin(), kSectorSums, sums[s].begin());
        std::copy_n(all[s].begin() + kSectorSums, 4, reference[s].begin());
    }
    return sums;
}

double ratio(double a, double b, double fallback = 0.0) { return b > 0.0 ? a / b : fallback; }

/*! Efficient over actual TFP per sector (Hsieh-Klenow), and each sector's value added. */
std::vector<std::pair<double, double>> misallocation_by_sector(const Model& model, const State& st, const SectorSums& totals) {
    const auto& f = st.firms;
    const auto& sc = model.scenario;
    // (k^alpha l^(1-alpha))^(1-sigma) = l^(1-sigma) (k/l)^((1-sigma) alpha): with sigma = 3 one log and
    // one exp per firm, the exponent once per sector.
    std::vector<double> exponent(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        exponent[s] = (1.0 - kSigma) * sc.sectors[s].supply.capital_share;
    }
    std::vector<std::array<double, 1>> terms;
    core::group_sums<1>(st.by_sector, terms, [&](std::size_t i, std::array<double, 1>& a) {
        const double revenue = detail::firm_revenue(f, i);
        if (!counted_in_misallocation(f, i, revenue)) {
            return;
        }
        const auto s = static_cast<std::size_t>(f.sector[i]);
        const auto& t = totals[s];
        const double y = revenue / t[counted_revenue];
        const double k = f.capital[i] / t[counted_capital];
        const double l = f.variable_cost[i] / t[counted_varcost];
        a[0] += y * y * y / (l * l) * std::exp(exponent[s] * std::log(k / l));
    });
    std::vector<std::pair<double, double>> out(model.n_sectors, {1.0, 0.0});
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& t = totals[s];
        if (t[counted_revenue] > 0.0 && terms[s][0] > 0.0) {
            out[s] = {std::pow(terms[s][0], 1.0 / (kSigma - 1.0)), t[counted_revenue] - t[counted_varcost]};
        }
    }
    return out;
}

double misallocation_gain(const Model& model, const State& st, const SectorSums& sums) {
    const auto by_sector = misallocation_by_sector(model, st, sums);
    double weight = 0.0;
    double log_gain = 0.0;
    for (const auto& [gain, value_added] : by_sector) {
        const double w = std::max(value_added, 0.0);
        weight += w;
        log_gain += w * std::log(gain);
    }
    return weight > 0.0 ? std::exp(log_gain / weight) - 1.0 : 0.0;
}

}  // namespace

namespace {

/*! Chained self-sufficiency: the national domestic share moves each quarter by the change of the
 *  sectors' domestic shares weighted by the value of China's market last quarter. */
void chain_self_sufficiency(const Model& model, State& st, const SectorSums& sums, const std::vector<double>& previous_share) {
    const std::size_t ns = model.n_sectors;
    if (st.china_market_value.empty()) {
        st.china_market_value.assign(ns, 0.0);
        for (std::size_t s = 0; s < ns; ++s) {
            st.china_market_value[s] = sums[s][china_value_all];
        }
        st.china_market_value0 = st.china_market_value;
        double total = 0.0, domestic = 0.0;
        for (std::size_t s = 0; s < ns; ++s) {
            total += st.china_market_value[s];
            domestic += st.china_market_value[s] * st.sectors.domestic_share[s];
        }
        st.self_sufficiency_chained = ratio(domestic, total);
        return;
    }
    double now = 0.0, before = 0.0;
    for (std::size_t s = 0; s < ns; ++s) {
        now += st.china_market_value[s] * st.sectors.domestic_share[s];
        before += st.china_market_value[s] * previous_share[s];
    }
    st.self_sufficiency_chained *= ratio(now, before, 1.0);
    for (std::size_t s = 0; s < ns; ++s) {
        st.china_market_value[s] = sums[s][china_value_all];
    }
}

/*! summarize_sectors, or summarize_initial_state with `booked` false. */
SectorSums summarize(const Model& model, State& st, bool booked) {
    std::vector<std::array<double, 4>> reference;
    auto sums = sector_sums_with_reference_costs(model, st, booked, reference);
    set_reference_costs(model, st, reference);
    const auto previous_share = st.sectors.domestic_share;
    auto& sec = st.sectors;
    const std::size_t ns = model.n_sectors;
    const std::size_t slot = static_cast<std::size_t>(st.step % 4);
    for (std::size_t s = 0; s < ns; ++s) {
        const auto& a = sums[s];
        sec.utilisation[s] = ratio(a[out_local], a[usable_local], 1.0);
        sec.domestic_share[s] = ratio(a[sales_china_local], a[sales_china_all]);
        sec.world_share[s] = ratio(a[out_local], a[out_all]);
        sec.margin[s] = ratio(a[op_profit_local], a[revenue_local]);
        if (st.step == 0) {
            sec.normal_margin[s] = sec.margin[s];
        }
        sec.output_china[s] = a[out_local];
        if (st.step > 0 || a[varcost_local] > 0.0) {
            sec.world_experience_prev[s] = sec.world_experience[s];
            sec.world_experience[s] += a[out_all];
        }
        if (st.step > 0 || a[varcost_local] > 0.0) {
            sec.variable_cost_china[s] = a[varcost_local];
        }
        sec.mean_capacity[s] = ratio(a[cap_local], a[firms_local]);
        sec.demand_variance[s] = ratio(a[variance_local], a[firms_local]);
        sec.mean_productivity[s] = ratio(a[productivity_chinese], a[firms_chinese], model.scenario.sectors[s].supply.china_productivity);
        sec.fund_presence[s] = ratio(a[fund_equity_chinese], a[capital_chinese]);
        sec.subsidy_sales_year[s] += a[subsidy_central] + a[subsidy_local_sum];
        sec.sales_year[s] += a[revenue_local];
        for (std::size_t m = 0; m < 2; ++m) {
            const double demand = m == 0 ? sec.demand_china[s] : sec.demand_world[s];
            double& year_ago = sec.demand_year_ago[(slot * 2 + m) * ns + s];
            double& expected = sec.demand_growth_expected[m * ns + s];
            const double observed = year_ago > 0.0 ? demand / year_ago - 1.0 : 0.0;
            expected += kGrowthExpectationWeight * (observed - expected);
            year_ago = demand;
        }
        if (st.is_last_quarter()) {
            sec.subsidy_rate[s] = ratio(sec.subsidy_sales_year[s], sec.sales_year[s]);
            sec.subsidy_sales_year[s] = 0.0;
            sec.sales_year[s] = 0.0;
        }
    }
    chain_self_sufficiency(model, st, sums, previous_share);
    return sums;
}

}  // namespace

SectorSums summarize_sectors(const Model& model, State& st) { return summarize(model, st, true); }

SectorSums summarize_initial_state(const Model& model, State& st) { return summarize(model, st, false); }

namespace {

/*! What compute_outcomes sums over firms, in passes that run at once: the national sums over all
 *  rows (fiscal flows, firms alive, fund holdings, cash - debt), value added by local government
 *  and the misallocation measure. */
struct FirmSums {
    std::array<double, 4> national{};
    std::vector<std::array<double, 1>> value_added;
    double misallocation_gain = 0.0;
};

/*! Local governments with each sector among their focus sectors, summed over governments in order. */
std::vector<double> focus_by_sector(const Model& model, const State& st) {
    const std::size_t ns = model.n_sectors;
    std::vector<double> focus(ns, 0.0);
    for (std::size_t k = 0; k < st.governments.size(); ++k) {
        const auto* row = &st.governments.focus[k * ns];
        for (std::size_t s = 0; s < ns; ++s) {
            focus[s] += row[s];
        }
    }
    return focus;
}

void sector_outcomes(const Model& model, const State& st, const SectorSums& sums, const std::vector<double>& focus, StepRecord& r) {
    const auto& sec = st.sectors;
    auto put = [&](SectorMetric m, std::size_t s, double value) { r.at(m, s) = value; };
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& a = sums[s];
        const double productivity = ratio(a[productivity_weighted], a[out_local]);
        put(SectorMetric::capacity, s, a[usable_local]);
        put(SectorMetric::output, s, a[out_local]);
        put(SectorMetric::utilization, s, ratio(a[out_local], a[usable_local]));
        put(SectorMetric::price, s, ratio(ratio(a[price_weighted_local], a[out_local]), sec.price_local0[s], 1.0));
        put(SectorMetric::domestic_share, s, sec.domestic_share[s]);
        put(SectorMetric::import_share, s, 1.0 - sec.domestic_share[s]);
        put(SectorMetric::chinese_firm_share, s, ratio(a[sales_china_chinese], a[sales_china_all]));
        put(SectorMetric::world_share, s, sec.world_share[s]);
        put(SectorMetric::exports, s, a[exports_value]);
        put(SectorMetric::subsidies, s, a[subsidy_central] + a[subsidy_local_sum]);
        put(SectorMetric::subsidies_central, s, a[subsidy_central]);
        put(SectorMetric::subsidies_local, s, a[subsidy_local_sum]);
        put(SectorMetric::firms, s, a[firms_local]);
        put(SectorMetric::entries, s, sec.entries[s]);
        put(SectorMetric::exits, s, sec.exits[s]);
        put(SectorMetric::zombies, s, a[zombies_local]);
        put(SectorMetric::productivity, s, productivity);
        put(SectorMetric::frontier_gap, s, 1.0 - productivity);
        put(SectorMetric::chinese_productivity, s, ratio(a[productivity_chinese_weighted], a[out_chinese]));
        put(SectorMetric::hhi, s, ratio(a[out_sq_local], a[out_local] * a[out_local]));
        put(SectorMetric::margin, s, sec.margin[s]);
        put(SectorMetric::price_cost_margin, s, ratio(a[markup_weighted], a[out_local], 1.0) - 1.0);
        put(SectorMetric::normal_utilization, s, sec.normal_utilisation[s]);
        put(SectorMetric::scrapped, s, a[scrapped_local]);
        put(SectorMetric::capacity_under_construction, s, a[building_local]);
        put(SectorMetric::refinanced, s, sec.refinanced[s]);
        put(SectorMetric::distress_sales, s, sec.distress_sales[s]);
        put(SectorMetric::bailouts, s, sec.bailouts[s]);
        put(SectorMetric::inputs, s, a[inputs_local]);
        put(SectorMetric::investment, s, a[investment_local]);
        put(SectorMetric::rd, s, a[rd_local]);
        put(SectorMetric::fund_equity, s, sec.fund_equity_flow[s]);
        put(SectorMetric::china_demand, s, sec.demand_china[s]);
        put(SectorMetric::world_demand, s, sec.demand_world[s]);
        put(SectorMetric::tariff, s, st.now[s].tariff);
        put(SectorMetric::export_control, s, st.now[s].export_control);
        put(SectorMetric::focus_governments, s, focus[s]);
        put(SectorMetric::priority, s, sec.priority[s]);
    }
}

/*! The value added of China-located firms by local government (government_sums). */
std::vector<std::array<double, 1>> value_added_by_government(const State& st) {
    const auto& f = st.firms;
    std::vector<std::array<double, 1>> value_added;
    st.government_sums<1>(value_added, [&](std::size_t i, std::array<double, 1>& a) {
        a[0] += detail::firm_revenue(f, i) - detail::firm_inputs(st, i);
    });
    return value_added;
}

void region_outcomes(const Model& model, const State& st, const std::vector<std::array<double, 1>>& value_added, StepRecord& r) {
    const auto& g = st.governments;
    const std::size_t nr = model.n_regions;
    const std::size_t ns = model.n_sectors;
    using R = RegionMetric;
    std::vector<double> governments(nr, 0.0);
    for (std::size_t k = 0; k < g.size(); ++k) {
        const auto reg = static_cast<std::size_t>(g.region[k]);
        const auto* focus = &g.focus[k * ns];
        double* region_focus = &r.at(RegionSectorMetric::focus, reg, 0);  // the region's row, by sector
        double focus_count = 0.0;
        for (std::size_t s = 0; s < ns; ++s) {
            focus_count += focus[s];
            region_focus[s] += focus[s];
        }
        r.at(R::subsidies, reg) += g.support_spent[k];
        r.at(R::revenue, reg) += g.revenue[k];
        r.at(R::debt, reg) += g.debt[k];
        r.at(R::value_added, reg) += value_added[k][0];
        r.at(R::transfers, reg) += g.transfers[k];
        r.at(R::land_revenue, reg) += g.land_revenue[k];
        r.at(R::bailouts, reg) += g.bailouts[k];
        r.at(R::support_multiplier, reg) += g.support_multiplier[k];
        r.at(R::focus_sectors, reg) += focus_count;
        governments[reg] += 1.0;
    }
    for (std::size_t reg = 0; reg < nr; ++reg) {
        const double n = std::max(governments[reg], 1.0);
        r.at(R::debt_ratio, reg) = ratio(r.at(R::debt, reg), 4.0 * r.at(R::revenue, reg));
        r.at(R::support_multiplier, reg) /= n;  // means over the region's governments
        r.at(R::focus_sectors, reg) /= n;
        for (std::size_t s = 0; s < ns; ++s) {
            r.at(RegionSectorMetric::focus, reg, s) /= n;
        }
    }
}

/*! Series of the fiscal reaction rule and of focus choices (governments.cpp). */
void government_outcomes(const State& st, const std::vector<double>& slots, StepRecord& r) {
    const auto& g = st.governments;
    double totals[4] = {0.0, 0.0, 0.0, 0.0};
    if (g.support_debt.size() == g.size()) {
        for (std::size_t k = 0; k < g.size(); ++k) {
            const auto reg = static_cast<std::size_t>(g.region[k]);
            r.at(RegionMetric::spending, reg) += g.spending[k];
            r.at(RegionMetric::support_debt, reg) += g.support_debt[k];
            totals[0] += g.support_debt[k];
            totals[1] += g.support_gross_debt[k];
            totals[2] += g.gap_debt[k];
            totals[3] += g.spending[k];
        }
    }
    double all = 0.0;
    for (const double x : slots) {
        all += x;
    }
    double hhi = 0.0;
    for (const double x : slots) {
        hhi += all > 0.0 ? (x / all) * (x / all) : 0.0;
    }
    auto put = [&](NationalMetric m, double value) { r.at(m) = value; };
    put(NationalMetric::support_debt, totals[0]);
    put(NationalMetric::support_outlays_debt, totals[1]);
    put(NationalMetric::structural_gap_debt, totals[2]);
    put(NationalMetric::local_spending, totals[3]);
    put(NationalMetric::focus_slots, all);
    put(NationalMetric::focus_concentration, hhi);
}

// A fund's claim on firm i: its stake in the equity, with capital carried at the lower of book value
// and recoverable amount, the higher of earnings value (after-tax smoothed operating profit
// capitalised at the valuation rate) and what the capital fetches in a distress sale. Stakes in
// firms that earn too little for their capital are impaired (model.md section 6).
double marked_fund_holding(const Scenario& sc, const Firms& f, std::size_t i) {
    const double annual_earnings = 4.0 * std::max(0.0, f.smoothed_profit[i]) * (1.0 - sc.finance.corporate_tax);
    const double recoverable = std::max(annual_earnings / sc.funds.valuation_rate, sc.finance.distress_sale_price * f.capital[i]);
    const double carried_capital = std::min(f.capital[i], recoverable);
    return f.fund_stake[i] * std::max(0.0, f.cash[i] + carried_capital - f.debt[i]);
}

/*! The national sums over all firm rows: fiscal flows, firms alive, fund holdings, and cash - debt
 *  (the firms' part of money_total: the same terms in the same chunks and order). */
std::array<double, 4> national_firm_sums(const Model& model, const State& st) {
    const auto& sc = model.scenario;
    const auto& f = st.firms;
    return core::deterministic_sums<4>(f.size(), [&](std::size_t i, std::array<double, 4>& a) {
        a[3] += f.alive[i] != 0 ? f.cash[i] - f.debt[i] : 0.0;
        if (f.alive[i] == 0 && f.bailout[i] == 0.0) {
            return;
        }
        a[0] += f.fiscal_support[i] + f.bailout[i];
        a[1] += f.alive[i];
        a[2] += f.alive[i] != 0 && f.fund_stake[i] > 0.0 ? marked_fund_holding(sc, f, i) : 0.0;
    });
}

void national_outcomes(const Model& model, const State& st, const SectorSums& sums, const FirmSums& firms, StepRecord& r) {
    const auto& sc = model.scenario;
    auto put = [&](NationalMetric m, double value) { r.at(m) = value; };
    const auto& flows = firms.national;
    double paid_in_quarter = 0.0;
    double pledged = 0.0;
    double paid_in = 0.0;
    double invested = 0.0;
    for (std::size_t k = 0; k < st.funds.size(); ++k) {
        pledged += model.year_of(st.step) + 1e-9 >= st.funds.start_year[k] ? st.funds.pledged[k] : 0.0;
        paid_in += st.funds.paid_in[k];
        invested += st.funds.invested[k];
        const double year = model.year_of(st.step);
        if (year + 1e-9 >= st.funds.start_year[k] && year < st.funds.start_year[k] + st.funds.investment_years[k]) {
            paid_in_quarter += st.funds.pledged[k] * st.funds.paid_in_share[k] / (4.0 * st.funds.investment_years[k]);
        }
    }
    double china_local = 0.0, china_all = 0.0, firms_local_n = 0.0, zombies = 0.0, capital = 0.0, zombie_capital_sum = 0.0;
    double key_revenue = 0.0, key_soe = 0.0;
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& a = sums[s];
        china_local += a[sales_china_local];
        china_all += a[sales_china_all];
        firms_local_n += a[firms_local];
        zombies += a[zombies_local];
        capital += a[capital_local];
        zombie_capital_sum += a[zombie_capital];
        if (sc.sectors[s].key_industry) {
            key_revenue += a[revenue_chinese];
            key_soe += a[soe_revenue];
        }
    }
    double local_debt = 0.0;
    for (const double d : st.governments.debt) {
        local_debt += d;
    }
    put(NationalMetric::fiscal_cost, flows[0] + paid_in_quarter);
    double fixed_total = 0.0, fixed_domestic = 0.0;
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        fixed_total += st.china_market_value0[s];
        fixed_domestic += st.china_market_value0[s] * st.sectors.domestic_share[s];
    }
    put(NationalMetric::self_sufficiency, st.self_sufficiency_chained);
    put(NationalMetric::self_sufficiency_fixed_weights, ratio(fixed_domestic, fixed_total));
    put(NationalMetric::self_sufficiency_quantity, ratio(china_local, china_all));
    put(NationalMetric::zombie_share, ratio(zombies, firms_local_n));
    put(NationalMetric::zombie_capital_share, ratio(zombie_capital_sum, capital));
    put(NationalMetric::soe_revenue_share_key, ratio(key_soe, key_revenue));
    put(NationalMetric::misallocation_tfp_gain, firms.misallocation_gain);
    put(NationalMetric::local_debt, local_debt);
    put(NationalMetric::funds_pledged, pledged);
    put(NationalMetric::funds_paid_in, paid_in);
    put(NationalMetric::funds_invested, invested);
    put(NationalMetric::funds_portfolio_value, flows[2]);
    put(NationalMetric::funds_write_offs, st.funds_write_offs);
    put(NationalMetric::firms, flows[1]);
    put(NationalMetric::accounting_residual, st.money_total(flows[3]) - st.ledger.initial_total);
}

}  // namespace

void compute_outcomes(const Model& model, const State& st, StepRecord& record) {
    std::vector<std::array<double, 4>> reference;
    compute_outcomes(model, st, sector_sums_with_reference_costs(model, st, true, reference), record);
}

void compute_outcomes(const Model& model, const State& st, const SectorSums& sums, StepRecord& record) {
    record.resize(model.n_sectors, model.n_regions);
    record.year = model.year_of(st.step);
    // The passes over firms each spread over the threads, but their tails and the serial sum over
    // local governments leave threads idle if run one after the other.
    FirmSums firms;
    std::vector<double> focus;
    core::parallel_invoke([&] { firms.national = national_firm_sums(model, st); }, [&] { firms.value_added = value_added_by_government(st); },
                          [&] { firms.misallocation_gain = misallocation_gain(model, st, sums); }, [&] { focus = focus_by_sector(model, st); });
    sector_outcomes(model, st, sums, focus, record);
    region_outcomes(model, st, firms.value_added, record);
    national_outcomes(model, st, sums, firms, record);
    government_outcomes(st, focus, record);
}

}  // namespace ipsim::model
