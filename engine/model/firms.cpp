/*!
 * @file firms.cpp
 * @brief Firms' accounts (revenue, costs, subsidies, interest, taxes, R&D, dividends) and
 *        capacity investment with its finance.
 *
 * Every payment a firm makes or receives has a counterpart: the domestic economy (buyers in
 * China, suppliers, workers, owners), the rest of the world, the banks, the central government
 * or the firm's local government. Firm-side changes are applied per firm in parallel; the
 * counterpart totals are deterministic reductions, so the sum of all money balances is
 * conserved to rounding (checked every step in the accounting_residual series).
 */
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "model/detail/firm_costs.hpp"
#include "model/detail/market_terms.hpp"
#include "model/newsvendor.hpp"
#include "model/phases.hpp"

#if IPSIM_VECTOR_MATH
#include "model/detail/vector_math.hpp"
#endif

namespace ipsim::model {

namespace {

constexpr double kLenderMemory = 0.25;         // weight of the latest quarter in lenders' view of coverage (about a year)
constexpr double kMinLoanRate = 0.005;         // floor of any firm's loan rate per year, whatever its discounts (assumption)
constexpr double kMaxSpreadLeverage = 3.0;     // leverage above 3 adds no further spread: the SOE borrowing limit (assumption)
constexpr double kMaxInvestmentSubsidy = 0.9;  // central plus local subsidies cover at most 90% of capex (assumption)
constexpr double kCashBuffer = 0.02;           // cash a firm keeps, per unit of capital, before spending on capex (assumption)
constexpr double kCashCeiling = 0.2;           // cash above this share of capital repays debt (assumption)

/*! Interest-rate discounts (per year) a firm enjoys: SOE, fund backing, preferential loans. */
struct Discounts {
    double preferential = 0.0;  // policy instrument: counted as fiscal cost
    double implicit = 0.0;      // SOE and fund-backed access to state banks
};

Discounts rate_discounts(const Model& model, const State& st, std::size_t i) {
    const auto& fin = model.scenario.finance;
    const auto& f = st.firms;
    Discounts d;
    if (f.localized[i] == 0) {
        return d;
    }
    if (!st.is_foreign(i)) {
        d.preferential = st.now[static_cast<std::size_t>(f.sector[i])].loan_discount;
    }
    if (f.ownership[i] == static_cast<std::uint8_t>(Ownership::soe)) {
        d.implicit += fin.soe_rate_discount;
    }
    if (f.fund_stake[i] > 0.0) {
        d.implicit += fin.fund_backed_rate_discount;
    }
    return d;
}

double loan_rate(const Model& model, const State& st, std::size_t i, const Discounts& d) {
    const auto& fin = model.scenario.finance;
    const auto& f = st.firms;
    const double leverage = f.capital[i] > 0.0 ? f.debt[i] / f.capital[i] : 0.0;
    return std::max(kMinLoanRate, fin.base_rate + fin.leverage_spread * std::min(leverage, kMaxSpreadLeverage) - d.preferential - d.implicit);
}

double investment_subsidy_rate(const Model& model, const State& st, std::size_t i, double support_weight, double& central_part) {
    const auto& f = st.firms;
    central_part = 0.0;
    if (f.localized[i] == 0) {
        return 0.0;
    }
    const auto s = static_cast<std::size_t>(f.sector[i]);
    central_part = st.is_foreign(i) ? 0.0 : st.now[s].investment_subsidy;
    const double local = model.scenario.local.investment_subsidy * support_weight;
    const double total = std::min(kMaxInvestmentSubsidy, central_part + local);
    central_part = std::min(central_part, total);
    return total;
}

/*! Counterpart flows of one firm, summed per sector of the economy. */
enum Counterpart : std::size_t {
    economy,
    rest_of_world,
    banks,
    central,
    kCounterparts
};

/*! Books firm i's quarter, given its sector's cost table k and its local support weight. Inlined
 *  into settle_accounts' loop: as a call it cost a prologue and epilogue per firm. */
[[gnu::always_inline]] inline void account_firm(const Model& model, State& st, std::size_t i, const detail::CostTerms& k, double support,
                                                std::array<double, kCounterparts>& to) {
    // Inputs are read into locals and results stored once: a store to one column could alias
    // another as far as the compiler knows, which made it reload every value it had just written.
    const auto& sc = model.scenario;
    auto& f = st.firms;
    const auto s = static_cast<std::size_t>(f.sector[i]);
    const auto& now = st.now[s];
    const bool local = f.localized[i] != 0;
    const bool foreign = st.is_foreign(i);
    // unit_cost and capital_per_unit, sharing the firm's absolute productivity.
    const auto costs = detail::firm_costs(model, f, i, k);
    const double cost = costs.unit;
    const double output = f.output[i];
    const double china_revenue = f.price[i] * f.sales_china[i];
    const double world_revenue = f.price[i] * f.sales_world[i];
    const double revenue = china_revenue + world_revenue;
    const double variable_cost = cost * output;
    const double inputs = local ? now.input_cost_share * variable_cost : 0.0;
    const double subsidy_rate = detail::output_subsidy_rate(model, st, i, support);
    const double central_rate = std::min(subsidy_rate, local && !foreign ? now.output_subsidy : 0.0);
    const double subsidy_central = central_rate * cost * output;
    const double subsidy_local = (subsidy_rate - central_rate) * cost * output;
    const double credit = local ? now.rd_tax_credit : 0.0;
    const double rd = detail::rd_share(st, i) * revenue;
    const double capital = f.capital[i];
    const double in_progress = f.capital_in_progress[i];
    const double depreciation = sc.finance.depreciation * (capital - in_progress);
    const double subsidies = subsidy_central + subsidy_local;
    // Operating grants count in operating profit (Chinese accounting standard CAS 16, 2017).
    const double operating_profit = revenue + subsidies - variable_cost - rd - depreciation;
    const auto discounts = rate_discounts(model, st, i);
    const double interest = loan_rate(model, st, i, discounts) / 4.0 * f.debt[i];
    const double interest_subsidy = discounts.preferential / 4.0 * f.debt[i];
    const double pretax = operating_profit - interest;
    const double rebate = local ? std::min(1.0, now.tax_rebate + (foreign ? 0.0 : sc.local.tax_rebate * support)) : 0.0;
    const double full_tax = sc.finance.corporate_tax * std::max(0.0, pretax);
    const double tax = sc.finance.corporate_tax * std::max(0.0, pretax - credit * rd) * (1.0 - rebate);
    const double tax_local = local ? tax * sc.finance.local_tax_share : 0.0;
    const double tax_central = local ? tax - tax_local : 0.0;
    const double net_profit = pretax - tax;
    const double dividends = f.cash[i] > 0.0 ? sc.markets.payout_ratio * std::max(0.0, net_profit) * (1.0 - f.fund_stake[i]) : 0.0;
    f.revenue[i] = revenue;
    f.variable_cost[i] = variable_cost;
    f.inputs[i] = inputs;
    f.subsidy_central[i] = subsidy_central;
    f.subsidy_local[i] = subsidy_local;
    f.rd[i] = rd;
    f.operating_profit[i] = operating_profit;
    f.interest_subsidy[i] = interest_subsidy;
    f.tax_expenditure[i] = full_tax - tax;
    f.tax_local[i] = tax_local;
    st.support_weight[i] = support;
    f.cash[i] += revenue - variable_cost - rd + subsidies - interest - tax - dividends;
    const double capital_after = capital - depreciation;
    f.capital[i] = capital_after;
    f.capacity[i] = (capital_after - in_progress) / costs.capital_per_unit;  // update_capacity
    f.smoothed_profit[i] = (1.0 - kLenderMemory) * f.smoothed_profit[i] + kLenderMemory * operating_profit;
    f.smoothed_interest[i] = (1.0 - kLenderMemory) * f.smoothed_interest[i] + kLenderMemory * interest;
    f.year_operating_profit[i] += operating_profit;
    f.year_interest[i] += interest;
    f.cumulative_output[i] += output;

    // Sales in China are paid by final buyers (the economy) and, for their inputs, by the
    // China-located firms of the using sectors: the economy pays China sales less input bills.
    to[economy] -= china_revenue;
    to[rest_of_world] -= world_revenue;
    if (local) {
        to[economy] += inputs;  // this firm pays its suppliers, not final buyers
        to[economy] += variable_cost - inputs + rd;
        to[foreign ? rest_of_world : economy] += dividends;
        to[banks] += interest;
        to[central] += tax_central - subsidy_central;
    } else {
        to[rest_of_world] += variable_cost + rd + interest + tax + dividends;
    }
}

void settle_local_governments(State& st) {
    const auto& f = st.firms;
    std::vector<std::array<double, 2>> per_government;
    core::group_sums<2>(st.by_government, per_government, [&](std::size_t i, std::array<double, 2>& acc) {
        acc[0] += f.tax_local[i];
        acc[1] += f.subsidy_local[i];
    });
    for (std::size_t g = 0; g < st.governments.size(); ++g) {
        // Local taxes lower and local subsidies raise the government's borrowing.
        st.governments.debt[g] += per_government[g][1] - per_government[g][0];
        st.governments.revenue[g] = per_government[g][0];  // completed in settle_governments
        st.governments.support_spent[g] += per_government[g][1];
    }
}

}  // namespace

void settle_accounts(const Model& model, State& st) {
    auto& f = st.firms;
    // No input of the weight changes until next quarter: the later phases read what is stored here.
    st.support_weight.resize(f.size());  // every entry is written below
    const auto cost_terms = detail::cost_terms(model, st);
    const auto weights = detail::support_weight_table(model, st);
    // always_inline: GCC would otherwise call this term once per firm from deterministic_sums' loop.
    const auto totals = core::deterministic_sums<kCounterparts>(
        f.size(), [&](std::size_t i, std::array<double, kCounterparts> & to) __attribute__((always_inline)) {
            const double support = detail::local_support_weight_on(model, st, i, weights);
            if (f.alive[i] != 0) {
                account_firm(model, st, i, cost_terms[static_cast<std::size_t>(f.sector[i])], support, to);
            } else {
                st.support_weight[i] = support;
            }
        });
    st.ledger.economy += totals[economy];
    st.ledger.rest_of_world += totals[rest_of_world];
    st.ledger.banks += totals[banks];
    st.ledger.central += totals[central];
    settle_local_governments(st);
}

namespace {

/*! Cost per quarter of holding one unit of capacity: the rate the firm pays without the leverage
 *  spread plus depreciation, on its capital per unit, net of investment subsidies. */
[[gnu::always_inline]] inline double capacity_holding_cost(const Model& model, const State& st, std::size_t i, double subsidy_rate, double kappa) {
    const auto& fin = model.scenario.finance;
    const auto d = rate_discounts(model, st, i);
    const double rate = std::max(kMinLoanRate, fin.base_rate - d.preferential - d.implicit);
    return (rate / 4.0 + fin.depreciation) * kappa * (1.0 - subsidy_rate);
}

/*! Margin of one more unit sold: price net of R&D (priced at the sector intensity) less variable
 *  cost net of output subsidies. */
[[gnu::always_inline]] inline double unit_margin(const Model& model, const State& st, std::size_t i, double support_weight) {
    const auto s = static_cast<std::size_t>(st.firms.sector[i]);
    const double rd = model.scenario.sectors[s].technology.rd_intensity;
    return st.firms.price[i] * (1.0 - rd) - detail::unit_cost(st, i) * (1.0 - detail::output_subsidy_rate(model, st, i, support_weight));
}

/*! The inputs of target_capacity's newsvendor factor, and what multiplies its relative factor. */
struct CapacityTerms {
    double sigma;       // planning uncertainty
    double cost_ratio;  // holding cost over margin
    double scale;       // local push times expected demand
};

/*! target_capacity's terms given the firm's investment subsidy rate, capital per unit and local
 *  support weight (which investing firms already have). Inlined into invest_firm: as a call it
 *  spilled and reloaded the values invest_firm keeps in registers. */
[[gnu::always_inline]] inline CapacityTerms capacity_terms(const Model& model, const State& st, std::size_t i, double subsidy_rate, double kappa, double support_weight) noexcept {
    CapacityTerms t;
    const double margin = unit_margin(model, st, i, support_weight);
    t.cost_ratio = margin > 0.0 ? capacity_holding_cost(model, st, i, subsidy_rate, kappa) / margin : 1.0;
    // Local governments push for capacity in their focus sectors (capacity targets).
    const double push = 1.0 + model.scenario.local.capacity_push * support_weight;
    t.scale = push * st.firms.expected_demand[i];
    t.sigma = detail::planning_uncertainty(model, st, i);
    return t;
}

/*! target_capacity from its terms and newsvendor::capacity_factor(t.sigma, t.cost_ratio). */
[[gnu::always_inline]] inline double target_from(const Model& model, const State& st, std::size_t i, const CapacityTerms& t, double factor) noexcept {
    // Relative to the no-policy firm at the planning floor, which holds capacity at normal utilisation.
    const double relative = factor / st.sectors.reference_capacity[static_cast<std::size_t>(st.firms.sector[i])];
    return t.scale * relative / model.scenario.markets.target_utilisation;
}

/*! Loans a firm can obtain for a request, given its limit and (for private firms) rationing. */
double loan_supply(const Model& model, const State& st, std::size_t i, double request, double capital_after) {
    const auto& sc = model.scenario;
    const auto& f = st.firms;
    const double room = std::max(0.0, st.leverage_limit(model, i) * capital_after - f.debt[i]);
    double granted = std::min(request, room);
    if (f.ownership[i] == static_cast<std::uint8_t>(Ownership::private_firm)) {
        const auto s = static_cast<std::size_t>(f.sector[i]);
        const double crowding = f.fund_stake[i] > 0.0 ? 0.0 : sc.finance.crowding_out * st.sectors.fund_presence[s];
        granted *= sc.finance.private_credit_rationing * std::max(0.0, 1.0 - crowding);
    }
    return granted;
}

/*! Idle capacity far above what the firm wants is scrapped gradually: its book value is written
 *  off. kappa is the firm's capital per unit (State::capital_per_unit). */
void scrap_capacity(const Model& model, State& st, std::size_t i, double desired, double kappa) {
    const auto& m = model.scenario.markets;
    auto& f = st.firms;
    const double excess = f.capacity[i] - (1.0 + m.scrap_threshold) * desired;
    f.scrapped[i] = 0.0;
    if (excess <= 0.0 || m.scrap_rate <= 0.0) {
        return;
    }
    f.scrapped[i] = m.scrap_rate * excess;
    f.capital[i] -= f.scrapped[i] * kappa;
    f.capacity[i] = (f.capital[i] - f.capital_in_progress[i]) / kappa;  // State::update_capacity
}

/*! What invest_firm computes of firm i before the newsvendor factor of its target. */
struct InvestmentPlan {
    double kappa;  // capital per unit
    double subsidy_rate;
    double central_part;
    CapacityTerms target;
};  // no initializers (nor in CapacityTerms): a block's array of plans is not cleared first

[[gnu::always_inline]] inline InvestmentPlan plan_investment(const Model& model, const State& st, std::size_t i) {
    InvestmentPlan p;
    // Productivity and the frontier do not change in this phase: kappa serves every use in invest_firm.
    p.kappa = st.capital_per_unit(model, i);
    const double support = st.support_weight[i];
    p.subsidy_rate = investment_subsidy_rate(model, st, i, support, p.central_part);
    p.target = capacity_terms(model, st, i, p.subsidy_rate, p.kappa, support);
    return p;
}

/*! Invests for firm i, given its plan and newsvendor::capacity_factor of the plan's target terms. */
void invest_firm(const Model& model, State& st, std::size_t i, const InvestmentPlan& plan, double factor, std::array<double, kCounterparts + 1>& to,
                 std::vector<double>& local_subsidy) {
    const auto& sc = model.scenario;
    auto& f = st.firms;
    const auto s = static_cast<std::size_t>(f.sector[i]);
    const double kappa = plan.kappa;
    const double subsidy_rate = plan.subsidy_rate;
    const double central_part = plan.central_part;
    const double target = target_from(model, st, i, plan.target, factor);
    scrap_capacity(model, st, i, target, kappa);
    // Replace what depreciated this quarter, close part of the gap to the target and of the gap
    // to the supply line a steady path would have under construction (capacity_rule.hpp).
    const auto& rule = model.sectors[s].ordering_rule;
    const double at_start = f.capacity[i] / (1.0 - sc.finance.depreciation);
    double units = capacity_rule::orders(rule, detail::firm_growth_factor(st, i), target, at_start, f.capital_in_progress[i] / kappa);
    if (st.now[s].capacity_cut > 0.0 && f.localized[i] != 0) {
        // Under a capacity-removal programme new capacity is approved only to replace what depreciated.
        units = std::min(units, sc.finance.depreciation * at_start);
    }
    double cost = kappa * units;
    const double buffer = kCashBuffer * f.capital[i];
    const double internal = std::max(0.0, f.cash[i] - buffer);
    const double need = cost * (1.0 - subsidy_rate);
    double loan = 0.0;
    if (need > internal) {
        loan = loan_supply(model, st, i, need - internal, f.capital[i] + cost);
        if (internal + loan < need) {
            cost *= (internal + loan) / need;
            units = cost / kappa;
        }
    }
    const double subsidy = subsidy_rate * cost;
    const double central_subsidy = subsidy_rate > 0.0 ? subsidy * central_part / subsidy_rate : 0.0;
    const double used_loan = std::min(loan, std::max(0.0, cost - subsidy - internal));
    f.cash[i] += subsidy + used_loan - cost;
    f.debt[i] += used_loan;
    f.capital[i] += cost;
    // Construction finishes a share of what is under way, this quarter's orders included.
    f.capital_in_progress[i] += cost;
    f.capital_in_progress[i] -= capacity_rule::completion_share(rule) * f.capital_in_progress[i];
    f.capacity[i] = (f.capital[i] - f.capital_in_progress[i]) / kappa;  // State::update_capacity
    f.investment[i] = cost;
    f.subsidy_central[i] += central_subsidy;
    f.subsidy_local[i] += subsidy - central_subsidy;
    local_subsidy[i] = subsidy - central_subsidy;
    // Surplus cash repays debt (no effect on net financial positions).
    const double surplus = f.cash[i] - kCashCeiling * f.capital[i];
    if (surplus > 0.0 && f.debt[i] > 0.0) {
        const double repay = std::min(surplus, f.debt[i]);
        f.cash[i] -= repay;
        f.debt[i] -= repay;
    }
    to[f.localized[i] != 0 ? economy : rest_of_world] += cost;
    to[central] -= central_subsidy;
    to[kCounterparts] += units;
}

/*! A firm that is gone invests nothing. */
void clear_investment(State& st, std::size_t i, std::vector<double>& local_subsidy) {
    st.firms.investment[i] = 0.0;
    local_subsidy[i] = 0.0;
}

#if IPSIM_VECTOR_MATH
/*! invest_firm for the rows [lo, lo + rows), rows <= vector_math::kBlock, with the newsvendor
 *  factors of the live ones taken over arrays (newsvendor::capacity_factors). */
void invest_block(const Model& model, State& st, std::size_t lo, std::size_t rows, std::array<double, kCounterparts + 1>& to,
                  std::vector<double>& local_subsidy) {
    namespace vm = detail::vector_math;
    const auto& f = st.firms;
    std::array<InvestmentPlan, vm::kBlock> plans;
    alignas(32) std::array<double, vm::kBlock> sigma;
    alignas(32) std::array<double, vm::kBlock> cost_ratio;
    alignas(32) std::array<double, vm::kBlock> factor;
    const std::size_t width = vm::padded(rows);
    for (std::size_t j = 0; j < width; ++j) {
        const bool live = j < rows && f.alive[lo + j] != 0;
        if (live) {
            plans[j] = plan_investment(model, st, lo + j);
        }
        // A lane without a live firm gets a ratio at the bound: no quantile to refine.
        sigma[j] = live ? plans[j].target.sigma : 0.0;
        cost_ratio[j] = live ? plans[j].target.cost_ratio : 1.0;
    }
    newsvendor::capacity_factors(sigma.data(), cost_ratio.data(), factor.data(), width);
    for (std::size_t j = 0; j < rows; ++j) {
        if (f.alive[lo + j] != 0) {
            invest_firm(model, st, lo + j, plans[j], factor[j], to, local_subsidy);
        } else {
            clear_investment(st, lo + j, local_subsidy);
        }
    }
}
#endif

/*! A capacity-removal programme: each quarter the sector's China-located firms retire the quarter's
 *  share of its finished capacity, least productive first (ties by id), their book value written off
 *  and counted as scrapped. Serial per sector, so the result does not depend on threads. */
void retire_ordered_capacity(const Model& model, State& st) {
    auto& f = st.firms;
    std::vector<std::uint32_t> plants;
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const double yearly = st.now[s].capacity_cut;
        if (yearly <= 0.0) {
            continue;
        }
        plants.clear();
        double total = 0.0;
        for (std::size_t k = 0; k < st.by_sector.size(s); ++k) {
            const auto i = st.by_sector.member(s, k);
            if (f.alive[i] != 0 && f.localized[i] != 0 && f.capacity[i] > 0.0) {
                plants.push_back(i);
                total += f.capacity[i];
            }
        }
        std::sort(plants.begin(), plants.end(), [&](std::uint32_t a, std::uint32_t b) {
            return f.productivity[a] != f.productivity[b] ? f.productivity[a] < f.productivity[b] : f.id[a] < f.id[b];
        });
        double left = (1.0 - std::pow(1.0 - yearly, 0.25)) * total;
        for (const auto i : plants) {
            if (left <= 0.0) {
                break;
            }
            const double retired = std::min(f.capacity[i], left);
            f.scrapped[i] += retired;
            if (retired < f.capacity[i]) {
                f.capital[i] -= retired * st.capital_per_unit(model, i);
                st.update_capacity(model, i);
            } else {
                f.capital[i] = f.capital_in_progress[i];  // closed: exactly no finished capital left
                f.capacity[i] = 0.0;
            }
            left -= retired;
        }
    }
}

}  // namespace

void initialise_histories(const Model& model, State& st) {
    const auto& sc = model.scenario;
    auto& f = st.firms;
    const auto years = static_cast<std::int32_t>(sc.finance.zombie_years);
    core::parallel_for(f.size(), [&](std::size_t i) {
        if (f.localized[i] == 0) {
            return;
        }
        // The state is at rest: the quarters before the start looked like the first one.
        const double cost = unit_cost(model, st, i) * f.output[i];
        const double revenue = f.price[i] * f.output[i];
        const double profit = revenue * (1.0 - rd_share(model, st, i)) - cost * (1.0 - output_subsidy_rate(model, st, i)) -
                              sc.finance.depreciation * (f.capital[i] - f.capital_in_progress[i]);
        const double interest = loan_rate(model, st, i, rate_discounts(model, st, i)) / 4.0 * f.debt[i];
        f.smoothed_profit[i] = profit;
        f.smoothed_interest[i] = interest;
        f.bad_years[i] = static_cast<QuarterCount>(profit < interest ? years : 0);
        f.zombie[i] = profit < interest ? 1 : 0;
    });
}

double planning_uncertainty(const Model& model, const State& st, std::size_t i) noexcept { return detail::planning_uncertainty(model, st, i); }

double target_capacity(const Model& model, const State& st, std::size_t i) noexcept {
    double central_part = 0.0;
    const double support = local_support_weight(model, st, i);
    const double subsidy_rate = investment_subsidy_rate(model, st, i, support, central_part);
    const auto t = capacity_terms(model, st, i, subsidy_rate, st.capital_per_unit(model, i), support);
    return target_from(model, st, i, t, newsvendor::capacity_factor(t.sigma, t.cost_ratio));
}

capacity_rule::Rule ordering_rule(const Scenario& sc, std::size_t s) noexcept {
    return {sc.markets.capacity_adjustment, sc.finance.depreciation, sc.sectors[s].supply.build_quarters, sc.markets.supply_line_weight};
}

double no_policy_cost_ratio(const Model& model, const State& st, std::size_t s) noexcept {
    const auto& sc = model.scenario;
    const auto& sector = sc.sectors[s];
    // Costs, capital and price all scale with 1 / (productivity x frontier): the ratio does not.
    const double cost = st.sectors.base_cost[s] * st.now[s].input_cost_factor;
    const double holding = model.normal_capital_rate * sector.supply.capital_per_output;
    const double margin = (1.0 + sector.supply.markup) * (cost + holding / sc.markets.target_utilisation) - cost;
    return holding / margin;
}

void invest_capacity(const Model& model, State& st) {
    auto& f = st.firms;
    // Local to the phase, not kept in State: a firm-sized buffer held between phases would sit in
    // the full-scale peak (the last quarter's compaction) for nothing.
    std::vector<double> local_subsidy(f.size());
#if !IPSIM_VECTOR_MATH
    const auto totals = core::deterministic_sums<kCounterparts + 1>(f.size(), [&](std::size_t i, std::array<double, kCounterparts + 1>& to) {
        if (f.alive[i] != 0) {
            const auto plan = plan_investment(model, st, i);
            invest_firm(model, st, i, plan, newsvendor::capacity_factor(plan.target.sigma, plan.target.cost_ratio), to, local_subsidy);
        } else {
            clear_investment(st, i, local_subsidy);
        }
    });
#else
    // Blocks of kBlock rows: the sums visit a chunk's rows in order, so the term of a block's first
    // row invests for the whole block and the others add nothing; a block never straddles two chunks.
    constexpr std::size_t block = detail::vector_math::kBlock;
    static_assert(core::kReduceChunk % block == 0);
    const auto totals = core::deterministic_sums<kCounterparts + 1>(f.size(), [&](std::size_t i, std::array<double, kCounterparts + 1>& to) {
        if (i % block == 0) {
            invest_block(model, st, i, std::min(block, f.size() - i), to, local_subsidy);
        }
    });
#endif
    st.ledger.economy += totals[economy];
    st.ledger.rest_of_world += totals[rest_of_world];
    st.ledger.central += totals[central];
    retire_ordered_capacity(model, st);
    std::vector<std::array<double, 1>> per_government;
    core::group_sums<1>(st.by_government, per_government, [&](std::size_t i, std::array<double, 1>& acc) { acc[0] += local_subsidy[i]; });
    for (std::size_t g = 0; g < st.governments.size(); ++g) {
        st.governments.debt[g] += per_government[g][0];
        st.governments.support_spent[g] += per_government[g][0];
    }
}

}  // namespace ipsim::model
