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
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "model/detail/firm_costs.hpp"
#include "model/detail/lanes.hpp"
#include "model/detail/market_terms.hpp"
#include "model/newsvendor.hpp"
#include "model/phases.hpp"

#if IPSIM_VECTOR_MATH
#include "model/detail/vector_math.hpp"
#endif

// As in lanes.hpp: the functions of Double4 values here are all inlined into the block kernels
// (the warning comes at the end of the file, where GCC instantiates them, hence no pop).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ipsim::model {

namespace {

namespace lanes = detail::lanes;

constexpr double kLenderMemory = 0.25;         // weight of the latest quarter in lenders' view of coverage (about a year)
constexpr double kMinLoanRate = 0.005;         // floor of any firm's loan rate per year, whatever its discounts (assumption)
constexpr double kMaxSpreadLeverage = 3.0;     // leverage above 3 adds no further spread: the SOE borrowing limit (assumption)
constexpr double kMaxInvestmentSubsidy = 0.9;  // central plus local subsidies cover at most 90% of capex (assumption)
constexpr double kCashBuffer = 0.02;           // cash a firm keeps, per unit of capital, before spending on capex (assumption)
constexpr double kCashCeiling = 0.2;           // cash above this share of capital repays debt (assumption)

/*! Interest-rate discounts (per year) a firm enjoys: SOE, fund backing, preferential loans (per lane, lanes.hpp). */
template <class L>
struct Discounts {
    L preferential;  // policy instrument: counted as fiscal cost
    L implicit;      // SOE and fund-backed access to state banks
};

/*! Discounts of a firm given whether it is China-located, foreign-owned and an SOE, its fund stake
 *  and its sector's preferential discount in force. */
template <class L>
[[gnu::always_inline]] inline Discounts<L> rate_discounts(const Model& model, const lanes::MaskOf<L>& local, const lanes::MaskOf<L>& foreign,
                                                          const lanes::MaskOf<L>& soe, const L& fund_stake, const L& loan_discount) noexcept {
    using lanes::select;
    const auto& fin = model.scenario.finance;
    const L zero = lanes::splat<L>(0.0);
    L implicit = select(soe, zero + fin.soe_rate_discount, zero);
    implicit = select(zero < fund_stake, implicit + fin.fund_backed_rate_discount, implicit);
    return {select(lanes::both(local, lanes::negate(foreign)), loan_discount, zero), select(local, implicit, zero)};
}

Discounts<double> rate_discounts(const Model& model, const State& st, std::size_t i) {
    const auto& f = st.firms;
    if (f.localized[i] == 0) {
        return {0.0, 0.0};  // as below, without reading the rest: a branch is cheaper for one firm
    }
    return rate_discounts<double>(model, true, st.is_foreign(i), f.ownership[i] == static_cast<std::uint8_t>(Ownership::soe), f.fund_stake[i],
                                  st.now[static_cast<std::size_t>(f.sector[i])].loan_discount);
}

/*! Loan rate per year of a firm with the given capital, debt and discounts. */
template <class L>
[[gnu::always_inline]] inline L loan_rate(const Model& model, const L& capital, const L& debt, const Discounts<L>& d) noexcept {
    const auto& fin = model.scenario.finance;
    const L zero = lanes::splat<L>(0.0);
    const L leverage = lanes::select(zero < capital, debt / capital, zero);
    return lanes::max_of(lanes::splat<L>(kMinLoanRate),
                         fin.base_rate + fin.leverage_spread * lanes::min_of(leverage, lanes::splat<L>(kMaxSpreadLeverage)) - d.preferential - d.implicit);
}

double loan_rate(const Model& model, const State& st, std::size_t i, const Discounts<double>& d) {
    return loan_rate(model, st.firms.capital[i], st.firms.debt[i], d);
}

/*! The investment subsidy rate of firm i and its central part, given its local support weight and
 *  the central rate in force in its sector. */
double investment_subsidy_rate(const Model& model, const State& st, std::size_t i, double support_weight, double central_rate, double& central_part) {
    const auto& f = st.firms;
    central_part = 0.0;
    if (f.localized[i] == 0) {
        return 0.0;
    }
    central_part = st.is_foreign(i) ? 0.0 : central_rate;
    const double local = model.scenario.local.investment_subsidy * support_weight;
    const double total = std::min(kMaxInvestmentSubsidy, central_part + local);
    central_part = std::min(central_part, total);
    return total;
}

/*! An investment subsidy: the whole and its central part, for `cost` at the rates investment_subsidy_rate gives. */
struct InvestmentSubsidies {
    double total;
    double central;
};

InvestmentSubsidies investment_subsidies(double subsidy_rate, double central_part, double cost) noexcept {
    const double subsidy = subsidy_rate * cost;
    return {subsidy, subsidy_rate > 0.0 ? subsidy * central_part / subsidy_rate : 0.0};
}

/*! Counterpart flows of one firm, summed per sector of the economy. */
enum Counterpart : std::size_t {
    economy,
    rest_of_world,
    banks,
    central,
    kCounterparts
};

/*! Sector terms of a firm's accounts, per sector and location group (detail::location_group). */
struct AccountTerms {
    double base_cost;  // CostTerms::base_cost of the group
    double frontier;
    double capital_per_output;
    double input_cost_share;
    double output_subsidy;
    double rd_tax_credit;
    double loan_discount;
    double tax_rebate;
    double rd_share;  // detail::rd_share of the group
};

/*! AccountTerms of sector s and group g at entry 2 * s + g. */
std::vector<AccountTerms> account_terms(const Model& model, const State& st) {
    std::vector<AccountTerms> terms(2 * model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto k = detail::sector_cost_terms(model, st, s);
        const auto& now = st.now[s];
        const auto& factors = st.factors[s];
        for (std::size_t g = 0; g < 2; ++g) {
            terms[2 * s + g] = {k.base_cost[g], k.frontier, k.capital_per_output,
                                now.input_cost_share, now.output_subsidy, now.rd_tax_credit,
                                now.loan_discount, now.tax_rebate, g == 0 ? factors.rd_share_local : factors.rd_share_abroad};
        }
    }
    return terms;
}

/*! What account_firm reads of kWidth<L> consecutive firms (lanes.hpp). */
template <class L>
struct FirmBooks {
    lanes::MaskOf<L> local, foreign, soe;
    L support;  // local support weight
    L productivity, output, price, sales_china, sales_world, capital, in_progress, debt, cash, fund_stake;
    L smoothed_profit, smoothed_interest, year_operating_profit, year_interest, cumulative_output;
    L base_cost, frontier, capital_per_output, input_cost_share, output_subsidy, rd_tax_credit, loan_discount, tax_rebate, rd_share;
};

/*! FirmBooks of the firms from row i, with their local support weights. */
template <class L>
[[gnu::always_inline]] inline FirmBooks<L> read_books(const Firms& f, std::size_t i, const AccountTerms* terms, const L& support) noexcept {
    const AccountTerms* t[lanes::kWidth<L>];
    for (std::size_t k = 0; k < lanes::kWidth<L>; ++k) {
        t[k] = &terms[2 * static_cast<std::size_t>(f.sector[i + k]) + detail::location_group(f, i + k)];
    }
    // Rows of a sector are mostly together: four rows of the same sector and group take one entry.
    bool uniform = true;
    for (std::size_t k = 1; k < lanes::kWidth<L>; ++k) {
        uniform = uniform && t[k] == t[0];
    }
    const auto sector = [&](double AccountTerms::*term) __attribute__((always_inline)) {
        return uniform ? lanes::splat<L>(t[0]->*term) : lanes::gather<L>([&](std::size_t k) { return t[k]->*term; });
    };
    const auto column = [&](const core::Column<double>& c) __attribute__((always_inline)) { return lanes::load<L>(c.data() + i); };
    return {lanes::nonzero<L>(f.localized.data() + i),
            lanes::equal<L>(f.ownership.data() + i, static_cast<std::uint8_t>(Ownership::foreign)),
            lanes::equal<L>(f.ownership.data() + i, static_cast<std::uint8_t>(Ownership::soe)),
            support,
            column(f.productivity),
            column(f.output),
            column(f.price),
            column(f.sales_china),
            column(f.sales_world),
            column(f.capital),
            column(f.capital_in_progress),
            column(f.debt),
            column(f.cash),
            column(f.fund_stake),
            column(f.smoothed_profit),
            column(f.smoothed_interest),
            column(f.year_operating_profit),
            column(f.year_interest),
            column(f.cumulative_output),
            sector(&AccountTerms::base_cost),
            sector(&AccountTerms::frontier),
            sector(&AccountTerms::capital_per_output),
            sector(&AccountTerms::input_cost_share),
            sector(&AccountTerms::output_subsidy),
            sector(&AccountTerms::rd_tax_credit),
            sector(&AccountTerms::loan_discount),
            sector(&AccountTerms::tax_rebate),
            sector(&AccountTerms::rd_share)};
}

/*! What account_firm books: the columns it stores and the counterpart flows (add_counterparts). */
template <class L>
struct Books {
    L revenue, variable_cost, inputs, subsidy_central, subsidy_local, rd, operating_profit, tax_expenditure, tax_local;
    L cash, capital, capacity, smoothed_profit, smoothed_interest, year_operating_profit, year_interest, cumulative_output;
    L china_revenue, world_revenue, domestic_costs, dividends, interest, central_net, costs_abroad;
};

/*! The firms' quarter: the rule of settle_accounts, written once for one firm (L = double) and for
 *  kWidth<L> firms at a time; every branch is a select, every expression in its scalar order. */
template <class L>
[[gnu::always_inline]] inline Books<L> account_firm(const Model& model, const FirmBooks<L>& x) noexcept {
    using lanes::max_of;
    using lanes::min_of;
    using lanes::select;
    const auto& sc = model.scenario;
    const L zero = lanes::splat<L>(0.0);
    const auto domestic = lanes::both(x.local, lanes::negate(x.foreign));  // China-located and Chinese-owned
    const auto costs = detail::unit_costs(x.productivity, x.frontier, x.capital_per_output, x.base_cost);
    const L cost = costs.unit;
    const L output = x.output;
    Books<L> b;
    b.china_revenue = x.price * x.sales_china;
    b.world_revenue = x.price * x.sales_world;
    const L revenue = b.china_revenue + b.world_revenue;
    const L variable_cost = cost * output;
    const L inputs = select(x.local, x.input_cost_share * variable_cost, zero);
    const L subsidy_rate = select(domestic, detail::capped_output_subsidy(x.output_subsidy, sc.local.output_subsidy, x.support), zero);
    const L central_rate = min_of(subsidy_rate, select(domestic, x.output_subsidy, zero));
    const L subsidy_central = central_rate * cost * output;
    const L subsidy_local = (subsidy_rate - central_rate) * cost * output;
    const L credit = select(x.local, x.rd_tax_credit, zero);
    const L rd = x.rd_share * revenue;
    const L depreciation = sc.finance.depreciation * (x.capital - x.in_progress);
    const L subsidies = subsidy_central + subsidy_local;
    // Operating grants count in operating profit (Chinese accounting standard CAS 16, 2017).
    const L operating_profit = revenue + subsidies - variable_cost - rd - depreciation;
    const auto discounts = rate_discounts<L>(model, x.local, x.foreign, x.soe, x.fund_stake, x.loan_discount);
    const L interest = loan_rate<L>(model, x.capital, x.debt, discounts) / 4.0 * x.debt;
    const L pretax = operating_profit - interest;
    const L rebate = select(x.local, min_of(lanes::splat<L>(1.0), x.tax_rebate + select(x.foreign, zero, sc.local.tax_rebate * x.support)), zero);
    const L full_tax = sc.finance.corporate_tax * max_of(zero, pretax);
    const L tax = sc.finance.corporate_tax * max_of(zero, pretax - credit * rd) * (1.0 - rebate);
    const L tax_local = select(x.local, tax * sc.finance.local_tax_share, zero);
    const L tax_central = select(x.local, tax - tax_local, zero);
    const L net_profit = pretax - tax;
    const L dividends = select(zero < x.cash, sc.markets.payout_ratio * max_of(zero, net_profit) * (1.0 - x.fund_stake), zero);
    b.revenue = revenue;
    b.variable_cost = variable_cost;
    b.inputs = inputs;
    b.subsidy_central = subsidy_central;
    b.subsidy_local = subsidy_local;
    b.rd = rd;
    b.operating_profit = operating_profit;
    b.tax_expenditure = full_tax - tax;
    b.tax_local = tax_local;
    b.cash = x.cash + (revenue - variable_cost - rd + subsidies - interest - tax - dividends);
    b.capital = x.capital - depreciation;
    b.capacity = (b.capital - x.in_progress) / costs.capital_per_unit;  // update_capacity
    b.smoothed_profit = (1.0 - kLenderMemory) * x.smoothed_profit + kLenderMemory * operating_profit;
    b.smoothed_interest = (1.0 - kLenderMemory) * x.smoothed_interest + kLenderMemory * interest;
    b.year_operating_profit = x.year_operating_profit + operating_profit;
    b.year_interest = x.year_interest + interest;
    b.cumulative_output = x.cumulative_output + output;
    b.domestic_costs = variable_cost - inputs + rd;
    b.dividends = dividends;
    b.interest = interest;
    b.central_net = tax_central - subsidy_central;
    b.costs_abroad = variable_cost + rd + interest + tax + dividends;
    return b;
}

/*! Stores the books of the firms from row i where alive holds: one line per column. */
template <class L, class M>
[[gnu::always_inline]] inline void write_books(Firms& f, std::size_t i, const M& alive, const Books<L>& b) noexcept {
    const auto put = [&](core::Column<double> & c, const L& v) __attribute__((always_inline)) { lanes::store_where(c.data() + i, alive, v); };
    put(f.variable_cost, b.variable_cost);
    put(f.subsidy_central, b.subsidy_central);
    put(f.subsidy_local, b.subsidy_local);
    put(f.operating_profit, b.operating_profit);
    put(f.fiscal_support, b.tax_expenditure);  // the rest comes in invest_firm
    put(f.tax_local, b.tax_local);
    put(f.cash, b.cash);
    put(f.capital, b.capital);
    put(f.capacity, b.capacity);
    put(f.smoothed_profit, b.smoothed_profit);
    put(f.smoothed_interest, b.smoothed_interest);
    put(f.year_operating_profit, b.year_operating_profit);
    put(f.year_interest, b.year_interest);
    put(f.cumulative_output, b.cumulative_output);
}

/*! The counterpart flows of Books, one array per flow with a value per lane. */
namespace flow {
enum : std::size_t {
    china_revenue,
    world_revenue,
    supplier_bills,
    domestic_costs,
    dividends,
    interest,
    central_net,
    costs_abroad,
    kCount
};
}  // namespace flow

template <class L>
using FlowLanes = std::array<std::array<double, lanes::kWidth<L>>, flow::kCount>;

/*! The books' counterpart flows, stored per lane for add_counterparts. */
template <class L>
[[gnu::always_inline]] inline void store_flows(const Books<L>& b, FlowLanes<L>& flows) noexcept {
    lanes::store(flows[flow::china_revenue].data(), b.china_revenue);
    lanes::store(flows[flow::world_revenue].data(), b.world_revenue);
    lanes::store(flows[flow::supplier_bills].data(), b.inputs);
    lanes::store(flows[flow::domestic_costs].data(), b.domestic_costs);
    lanes::store(flows[flow::dividends].data(), b.dividends);
    lanes::store(flows[flow::interest].data(), b.interest);
    lanes::store(flows[flow::central_net].data(), b.central_net);
    lanes::store(flows[flow::costs_abroad].data(), b.costs_abroad);
}

/*! Adds lane k of the counterpart flows to the sums: called in the firms' row order. */
template <class Flows>
[[gnu::always_inline]] inline void add_counterparts(const Flows& values, std::size_t k, bool local, bool foreign, std::array<double, kCounterparts>& to) noexcept {
    // Sales in China are paid by final buyers (the economy) and, for their inputs, by the
    // China-located firms of the using sectors: the economy pays China sales less input bills.
    to[economy] -= values[flow::china_revenue][k];
    to[rest_of_world] -= values[flow::world_revenue][k];
    if (local) {
        to[economy] += values[flow::supplier_bills][k];  // this firm pays its suppliers, not final buyers
        to[economy] += values[flow::domestic_costs][k];
        to[foreign ? rest_of_world : economy] += values[flow::dividends][k];
        to[banks] += values[flow::interest][k];
        to[central] += values[flow::central_net][k];
    } else {
        to[rest_of_world] += values[flow::costs_abroad][k];
    }
}

/*! settle_accounts for the kWidth<L> firms from row i: the local support weight of every row,
 *  the books of the live ones. */
template <class L>
[[gnu::always_inline]] inline void settle_rows(const Model& model, State& st, std::size_t i, const AccountTerms* terms, const std::vector<double>& weights,
                                               std::array<double, kCounterparts>& to) noexcept {
    auto& f = st.firms;
    const L support = lanes::gather<L>([&](std::size_t k) { return detail::local_support_weight_on(model, st, i + k, weights); });
    const auto alive = lanes::nonzero<L>(f.alive.data() + i);
    if (lanes::none(alive)) {
        return;
    }
    const auto b = account_firm<L>(model, read_books<L>(f, i, terms, support));
    // Dead rows are rare (they go at the yearly compaction): plain stores unless one is here.
    if (lanes::all(alive)) {
        write_books<L>(f, i, true, b);
    } else {
        write_books<L>(f, i, alive, b);
    }
    alignas(32) FlowLanes<L> flows;
    store_flows(b, flows);
    for (std::size_t k = 0; k < lanes::kWidth<L>; ++k) {
        if (f.alive[i + k] != 0) {
            add_counterparts(flows, k, f.localized[i + k] != 0, st.is_foreign(i + k), to);
        }
    }
}

#if IPSIM_VECTOR_MATH
/*! settle_rows over the rows [lo, lo + rows), four at a time, the last rows one at a time. */
[[gnu::always_inline]] inline void settle_block_lanes(const Model& model, State& st, std::size_t lo, std::size_t rows, const AccountTerms* terms,
                                                      const std::vector<double>& weights, std::array<double, kCounterparts>& to) noexcept {
    constexpr std::size_t width = lanes::kWidth<lanes::Double4>;
    auto sums = to;  // a local the column stores cannot alias
    std::size_t j = 0;
    for (; j + width <= rows; j += width) {
        settle_rows<lanes::Double4>(model, st, lo + j, terms, weights, sums);
    }
    for (; j < rows; ++j) {
        settle_rows<double>(model, st, lo + j, terms, weights, sums);
    }
    to = sums;
}

// AVX2 without FMA: a * b + c must stay two roundings.
[[gnu::target("avx2")]] void settle_block_avx2(const Model& model, State& st, std::size_t lo, std::size_t rows, const AccountTerms* terms,
                                               const std::vector<double>& weights, std::array<double, kCounterparts>& to) noexcept {
    settle_block_lanes(model, st, lo, rows, terms, weights, to);
}

void settle_block_sse2(const Model& model, State& st, std::size_t lo, std::size_t rows, const AccountTerms* terms, const std::vector<double>& weights,
                       std::array<double, kCounterparts>& to) noexcept {
    settle_block_lanes(model, st, lo, rows, terms, weights, to);
}
#endif

void settle_local_governments(State& st) {
    const auto& f = st.firms;
    std::vector<std::array<double, 2>> per_government;
    st.government_sums<2>(per_government, [&](std::size_t i, std::array<double, 2>& acc) {
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
    const auto terms = account_terms(model, st);
    const auto weights = detail::support_weight_table(model, st);
#if !IPSIM_VECTOR_MATH
    // always_inline: GCC would otherwise call this term once per firm from deterministic_sums' loop.
    const auto totals = core::deterministic_sums<kCounterparts>(
        f.size(), [&](std::size_t i, std::array<double, kCounterparts> & to) __attribute__((always_inline)) {
            settle_rows<double>(model, st, i, terms.data(), weights, to);
        });
#else
    // Blocks of kBlock rows, as in invest_capacity: a block never straddles two chunks of the sums,
    // and each block adds its rows' flows in row order.
    constexpr std::size_t block = detail::vector_math::kBlock;
    static_assert(core::kReduceChunk % block == 0);
    const auto settle_block = detail::vector_math::uses_avx2() ? settle_block_avx2 : settle_block_sse2;
    const auto totals = core::deterministic_sums<kCounterparts>(f.size(), [&](std::size_t i, std::array<double, kCounterparts>& to) {
        if (i % block == 0) {
            settle_block(model, st, i, std::min(block, f.size() - i), terms.data(), weights, to);
        }
    });
#endif
    st.ledger.economy += totals[economy];
    st.ledger.rest_of_world += totals[rest_of_world];
    st.ledger.banks += totals[banks];
    st.ledger.central += totals[central];
    settle_local_governments(st);
}

namespace {

/*! What invest_capacity reads per sector for every firm, gathered once per call: the conditions,
 *  sector state and rule do not change in the phase. */
struct InvestmentTerms {
    detail::CostTerms cost;
    double investment_subsidy;  // central rate in force
    double loan_discount;
    double capacity_cut;
    double reference_capacity;
    double fund_presence;
    capacity_rule::Rule rule;
};

InvestmentTerms sector_investment_terms(const Model& model, const State& st, std::size_t s) {
    const auto& now = st.now[s];
    return {detail::sector_cost_terms(model, st, s), now.investment_subsidy, now.loan_discount, now.capacity_cut,
            st.sectors.reference_capacity[s], st.sectors.fund_presence[s], model.sectors[s].ordering_rule};
}

/*! InvestmentTerms of every sector. */
std::vector<InvestmentTerms> investment_terms(const Model& model, const State& st) {
    std::vector<InvestmentTerms> terms(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        terms[s] = sector_investment_terms(model, st, s);
    }
    return terms;
}

/*! Cost per quarter of holding one unit of capacity: the rate the firm pays without the leverage
 *  spread plus depreciation, on its capital per unit, net of investment subsidies. */
[[gnu::always_inline]] inline double capacity_holding_cost(const Model& model, const State& st, std::size_t i, double subsidy_rate, double kappa,
                                                           const InvestmentTerms& k) {
    const auto& fin = model.scenario.finance;
    const auto& f = st.firms;
    // rate_discounts, on the sector's discount in force
    const auto d = f.localized[i] == 0 ? Discounts<double>{0.0, 0.0}
                                       : rate_discounts<double>(model, true, st.is_foreign(i), f.ownership[i] == static_cast<std::uint8_t>(Ownership::soe),
                                                                f.fund_stake[i], k.loan_discount);
    const double rate = std::max(kMinLoanRate, fin.base_rate - d.preferential - d.implicit);
    return (rate / 4.0 + fin.depreciation) * kappa * (1.0 - subsidy_rate);
}

/*! Margin of one more unit sold: price net of R&D (priced at the sector intensity) less variable
 *  cost net of output subsidies. */
[[gnu::always_inline]] inline double unit_margin(const Model& model, const State& st, std::size_t i, double unit_cost, double support_weight,
                                                 const InvestmentTerms& k) {
    return st.firms.price[i] * k.cost.rd_complement - unit_cost * (1.0 - detail::output_subsidy_rate_on(model, st, i, k.cost, support_weight));
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
[[gnu::always_inline]] inline CapacityTerms capacity_terms(const Model& model, const State& st, std::size_t i, double subsidy_rate, const detail::UnitCosts<double>& costs,
                                                           double support_weight, const InvestmentTerms& k) noexcept {
    CapacityTerms t;
    const double margin = unit_margin(model, st, i, costs.unit, support_weight, k);
    t.cost_ratio = margin > 0.0 ? capacity_holding_cost(model, st, i, subsidy_rate, costs.capital_per_unit, k) / margin : 1.0;
    // Local governments push for capacity in their focus sectors (capacity targets).
    const double push = 1.0 + model.scenario.local.capacity_push * support_weight;
    t.scale = push * st.firms.expected_demand[i];
    t.sigma = detail::planning_uncertainty(model, st, i);
    return t;
}

/*! target_capacity from its terms and newsvendor::capacity_factor(t.sigma, t.cost_ratio). */
[[gnu::always_inline]] inline double target_from(const Model& model, const CapacityTerms& t, double factor, const InvestmentTerms& k) noexcept {
    // Relative to the no-policy firm at the planning floor, which holds capacity at normal utilisation.
    const double relative = factor / k.reference_capacity;
    return t.scale * relative / model.scenario.markets.target_utilisation;
}

/*! Loans a firm can obtain for a request, given its limit and (for private firms) rationing. */
double loan_supply(const Model& model, const State& st, std::size_t i, double request, double capital_after, const InvestmentTerms& k) {
    const auto& sc = model.scenario;
    const auto& f = st.firms;
    const double room = std::max(0.0, st.leverage_limit(model, i) * capital_after - f.debt[i]);
    double granted = std::min(request, room);
    if (f.ownership[i] == static_cast<std::uint8_t>(Ownership::private_firm)) {
        const double crowding = f.fund_stake[i] > 0.0 ? 0.0 : sc.finance.crowding_out * k.fund_presence;
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
    const InvestmentTerms* terms;  // of the firm's sector
    double kappa;                  // capital per unit
    double subsidy_rate;
    double central_part;
    CapacityTerms target;
};  // no initializers (nor in CapacityTerms): a block's array of plans is not cleared first

/*! The plan of firm i, given the InvestmentTerms of its sector and its local support weight. */
[[gnu::always_inline]] inline InvestmentPlan plan_investment(const Model& model, const State& st, std::size_t i, const InvestmentTerms& k, double support) {
    const auto& f = st.firms;
    InvestmentPlan p;
    p.terms = &k;
    // Productivity and the frontier do not change in this phase: kappa serves every use in invest_firm.
    const auto costs = detail::unit_costs(f.productivity[i], k.cost.frontier, k.cost.capital_per_output, k.cost.base_cost[detail::location_group(f, i)]);
    p.kappa = costs.capital_per_unit;
    p.subsidy_rate = investment_subsidy_rate(model, st, i, support, k.investment_subsidy, p.central_part);
    p.target = capacity_terms(model, st, i, p.subsidy_rate, costs, support, k);
    return p;
}

/*! plan_investment on the sector table of investment_terms and the weights of detail::support_weight_table. */
[[gnu::always_inline]] inline InvestmentPlan plan_investment(const Model& model, const State& st, std::size_t i, const InvestmentTerms* terms,
                                                             const std::vector<double>& weights) {
    return plan_investment(model, st, i, terms[static_cast<std::size_t>(st.firms.sector[i])], detail::local_support_weight_on(model, st, i, weights));
}

/*! Invests for firm i, given its plan and newsvendor::capacity_factor of the plan's target terms. */
void invest_firm(const Model& model, State& st, std::size_t i, const InvestmentPlan& plan, double factor, std::array<double, kCounterparts + 1>& to) {
    const auto& sc = model.scenario;
    auto& f = st.firms;
    const auto& k = *plan.terms;
    // As settle_accounts charged it: the debt has not changed since (this firm's loans come below).
    const double interest_subsidy = rate_discounts(model, st, i).preferential / 4.0 * f.debt[i];
    const double kappa = plan.kappa;
    const double subsidy_rate = plan.subsidy_rate;
    const double central_part = plan.central_part;
    const double target = target_from(model, plan.target, factor, k);
    scrap_capacity(model, st, i, target, kappa);
    // Replace what depreciated this quarter, close part of the gap to the target and of the gap
    // to the supply line a steady path would have under construction (capacity_rule.hpp).
    const auto& rule = k.rule;
    const double at_start = f.capacity[i] / (1.0 - sc.finance.depreciation);
    double units = capacity_rule::orders(rule, detail::firm_growth_factor(st, i), target, at_start, f.capital_in_progress[i] / kappa);
    if (k.capacity_cut > 0.0 && f.localized[i] != 0) {
        // Under a capacity-removal programme new capacity is approved only to replace what depreciated.
        units = std::min(units, sc.finance.depreciation * at_start);
    }
    double cost = kappa * units;
    const double buffer = kCashBuffer * f.capital[i];
    const double internal = std::max(0.0, f.cash[i] - buffer);
    const double need = cost * (1.0 - subsidy_rate);
    double loan = 0.0;
    if (need > internal) {
        loan = loan_supply(model, st, i, need - internal, f.capital[i] + cost, k);
        if (internal + loan < need) {
            cost *= (internal + loan) / need;
            units = cost / kappa;
        }
    }
    const auto [subsidy, central_subsidy] = investment_subsidies(subsidy_rate, central_part, cost);
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
    // The fiscal cost's terms of this firm, added in the order the fiscal cost always took them.
    f.fiscal_support[i] = f.subsidy_central[i] + f.subsidy_local[i] + f.fiscal_support[i] + interest_subsidy;
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
void clear_investment(State& st, std::size_t i) { st.firms.investment[i] = 0.0; }

/*! The local part of the investment subsidy invest_firm booked for firm i this quarter, recomputed
 *  from the investment it stored: no input of the rates changes after it (weights: the table of
 *  detail::support_weight_table). */
[[gnu::always_inline]] inline double local_investment_subsidy(const Model& model, const State& st, std::size_t i, const InvestmentTerms* terms,
                                                              const std::vector<double>& weights) {
    double central_part = 0.0;
    const double central_rate = terms[static_cast<std::size_t>(st.firms.sector[i])].investment_subsidy;
    const double subsidy_rate = investment_subsidy_rate(model, st, i, detail::local_support_weight_on(model, st, i, weights), central_rate, central_part);
    const auto [subsidy, central_subsidy] = investment_subsidies(subsidy_rate, central_part, st.firms.investment[i]);
    return subsidy - central_subsidy;
}

#if IPSIM_VECTOR_MATH
/*! invest_firm for the rows [lo, lo + rows), rows <= vector_math::kBlock, with the newsvendor
 *  factors of the live ones taken over arrays (newsvendor::capacity_factors). */
void invest_block(const Model& model, State& st, std::size_t lo, std::size_t rows, const InvestmentTerms* terms, const std::vector<double>& weights,
                  std::array<double, kCounterparts + 1>& to) {
    namespace vm = detail::vector_math;
    const auto& f = st.firms;
    std::array<InvestmentPlan, vm::kBlock> plans;
    // Cleared: GCC cannot see that capacity_factors (a call, for AVX2) reads only the first width.
    alignas(32) std::array<double, vm::kBlock> sigma{};
    alignas(32) std::array<double, vm::kBlock> cost_ratio{};
    alignas(32) std::array<double, vm::kBlock> factor;
    const std::size_t width = vm::padded(rows);
    for (std::size_t j = 0; j < width; ++j) {
        const bool live = j < rows && f.alive[lo + j] != 0;
        if (live) {
            plans[j] = plan_investment(model, st, lo + j, terms, weights);
        }
        // A lane without a live firm gets a ratio at the bound: no quantile to refine.
        sigma[j] = live ? plans[j].target.sigma : 0.0;
        cost_ratio[j] = live ? plans[j].target.cost_ratio : 1.0;
    }
    newsvendor::capacity_factors(sigma.data(), cost_ratio.data(), factor.data(), width);
    for (std::size_t j = 0; j < rows; ++j) {
        if (f.alive[lo + j] != 0) {
            invest_firm(model, st, lo + j, plans[j], factor[j], to);
        } else {
            clear_investment(st, lo + j);
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
    });
}

double planning_uncertainty(const Model& model, const State& st, std::size_t i) noexcept { return detail::planning_uncertainty(model, st, i); }

double target_capacity(const Model& model, const State& st, std::size_t i) noexcept {
    const auto k = sector_investment_terms(model, st, static_cast<std::size_t>(st.firms.sector[i]));
    const auto plan = plan_investment(model, st, i, k, local_support_weight(model, st, i));
    return target_from(model, plan.target, newsvendor::capacity_factor(plan.target.sigma, plan.target.cost_ratio), k);
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
    // The governments' focus and multipliers stand still in this phase: one table serves every firm.
    const auto weights = detail::support_weight_table(model, st);
    const auto terms = investment_terms(model, st);
#if !IPSIM_VECTOR_MATH
    const auto totals = core::deterministic_sums<kCounterparts + 1>(f.size(), [&](std::size_t i, std::array<double, kCounterparts + 1>& to) {
        if (f.alive[i] != 0) {
            const auto plan = plan_investment(model, st, i, terms.data(), weights);
            invest_firm(model, st, i, plan, newsvendor::capacity_factor(plan.target.sigma, plan.target.cost_ratio), to);
        } else {
            clear_investment(st, i);
        }
    });
#else
    // Blocks of kBlock rows: the sums visit a chunk's rows in order, so the term of a block's first
    // row invests for the whole block and the others add nothing; a block never straddles two chunks.
    constexpr std::size_t block = detail::vector_math::kBlock;
    static_assert(core::kReduceChunk % block == 0);
    const auto totals = core::deterministic_sums<kCounterparts + 1>(f.size(), [&](std::size_t i, std::array<double, kCounterparts + 1>& to) {
        if (i % block == 0) {
            invest_block(model, st, i, std::min(block, f.size() - i), terms.data(), weights, to);
        }
    });
#endif
    st.ledger.economy += totals[economy];
    st.ledger.rest_of_world += totals[rest_of_world];
    st.ledger.central += totals[central];
    retire_ordered_capacity(model, st);
    // Recomputed per firm rather than kept in a firm-sized buffer, which set the full-scale peak.
    std::vector<std::array<double, 1>> per_government;
    st.government_sums<1>(per_government, [&](std::size_t i, std::array<double, 1>& acc) { acc[0] += local_investment_subsidy(model, st, i, terms.data(), weights); });
    for (std::size_t g = 0; g < st.governments.size(); ++g) {
        st.governments.debt[g] += per_government[g][0];
        st.governments.support_spent[g] += per_government[g][0];
    }
}

}  // namespace ipsim::model
