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

#include "model/phases.hpp"

namespace ipsim::model {

namespace {

/*! Interest-rate discounts (per year) a firm enjoys: SOE, fund backing, preferential loans. */
struct Discounts {
    double preferential = 0.0;  // policy instrument: counted as fiscal cost
    double implicit = 0.0;      // SOE and fund-backed access to state banks
};

Discounts rate_discounts(const State& st, std::size_t i) {
    const auto& fin = st.scenario->finance;
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

double loan_rate(const State& st, std::size_t i, const Discounts& d) {
    const auto& fin = st.scenario->finance;
    const auto& f = st.firms;
    const double leverage = f.capital[i] > 0.0 ? f.debt[i] / f.capital[i] : 0.0;
    return std::max(0.005, fin.base_rate + fin.leverage_spread * std::min(leverage, 3.0) - d.preferential - d.implicit);
}

double investment_subsidy_rate(const State& st, std::size_t i, double& central_part) {
    const auto& f = st.firms;
    central_part = 0.0;
    if (f.localized[i] == 0) {
        return 0.0;
    }
    const auto s = static_cast<std::size_t>(f.sector[i]);
    central_part = st.is_foreign(i) ? 0.0 : st.now[s].investment_subsidy;
    const double local = st.scenario->local.investment_subsidy * local_support_weight(st, i);
    const double total = std::min(0.9, central_part + local);
    central_part = std::min(central_part, total);
    return total;
}

/*! Counterpart flows of one firm, summed per sector of the economy. */
enum Counterpart : std::size_t { economy, rest_of_world, banks, central, kCounterparts };

void account_firm(State& st, std::size_t i, std::array<double, kCounterparts>& to) {
    const auto& sc = *st.scenario;
    auto& f = st.firms;
    const auto s = static_cast<std::size_t>(f.sector[i]);
    const auto& now = st.now[s];
    const bool local = f.localized[i] != 0;
    const double cost = unit_cost(st, i);
    const double china_revenue = f.price[i] * f.sales_china[i];
    const double world_revenue = f.price[i] * f.sales_world[i];
    f.revenue[i] = china_revenue + world_revenue;
    f.variable_cost[i] = cost * f.output[i];
    const double subsidy_rate = output_subsidy_rate(st, i);
    const double central_rate = std::min(subsidy_rate, local && !st.is_foreign(i) ? now.output_subsidy : 0.0);
    f.subsidy_central[i] = central_rate * cost * f.output[i];
    f.subsidy_local[i] = (subsidy_rate - central_rate) * cost * f.output[i];
    const double credit = local ? now.rd_tax_credit : 0.0;
    f.rd[i] = rd_share(st, i) * f.revenue[i];
    const double depreciation = sc.finance.depreciation * f.capital[i];
    const double subsidies = f.subsidy_central[i] + f.subsidy_local[i];
    // Operating grants count in operating profit (Chinese accounting standard CAS 16, 2017).
    f.operating_profit[i] = f.revenue[i] + subsidies - f.variable_cost[i] - f.rd[i] - depreciation;
    const auto discounts = rate_discounts(st, i);
    f.interest[i] = loan_rate(st, i, discounts) / 4.0 * f.debt[i];
    f.interest_subsidy[i] = discounts.preferential / 4.0 * f.debt[i];
    const double pretax = f.operating_profit[i] - f.interest[i];
    const double rebate = local ? std::min(1.0, now.tax_rebate + (st.is_foreign(i) ? 0.0 : sc.local.tax_rebate * local_support_weight(st, i))) : 0.0;
    const double full_tax = sc.finance.corporate_tax * std::max(0.0, pretax);
    const double tax = sc.finance.corporate_tax * std::max(0.0, pretax - credit * f.rd[i]) * (1.0 - rebate);
    f.tax_expenditure[i] = full_tax - tax;
    f.tax_local[i] = local ? tax * sc.finance.local_tax_share : 0.0;
    f.tax_central[i] = local ? tax - f.tax_local[i] : 0.0;
    f.net_profit[i] = pretax - tax;
    f.dividends[i] = f.cash[i] > 0.0 ? sc.markets.payout_ratio * std::max(0.0, f.net_profit[i]) * (1.0 - f.fund_stake[i]) : 0.0;
    f.cash[i] += f.revenue[i] - f.variable_cost[i] - f.rd[i] + subsidies - f.interest[i] - tax - f.dividends[i];
    f.capital[i] -= depreciation;
    st.update_capacity(i);
    f.year_operating_profit[i] += f.operating_profit[i];
    f.year_interest[i] += f.interest[i];
    f.cumulative_output[i] += f.output[i];

    to[economy] -= china_revenue;
    to[rest_of_world] -= world_revenue;
    if (local) {
        to[economy] += f.variable_cost[i] + f.rd[i];
        to[st.is_foreign(i) ? rest_of_world : economy] += f.dividends[i];
        to[banks] += f.interest[i];
        to[central] += f.tax_central[i] - f.subsidy_central[i];
    } else {
        to[rest_of_world] += f.variable_cost[i] + f.rd[i] + f.interest[i] + tax + f.dividends[i];
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

void settle_accounts(State& st) {
    auto& f = st.firms;
    const auto totals = core::deterministic_sums<kCounterparts>(f.size(), [&](std::size_t i, std::array<double, kCounterparts>& to) {
        if (f.alive[i] != 0) {
            account_firm(st, i, to);
        }
    });
    st.ledger.economy += totals[economy];
    st.ledger.rest_of_world += totals[rest_of_world];
    st.ledger.banks += totals[banks];
    st.ledger.central += totals[central];
    settle_local_governments(st);
}

namespace {

double target_utilisation(const State& st, std::size_t i, double subsidy_rate) {
    const auto& sc = *st.scenario;
    const double depreciation_year = 4.0 * sc.finance.depreciation;
    const auto d = rate_discounts(st, i);
    const double reference = sc.finance.base_rate + depreciation_year;
    const double user_cost = std::max(0.005, sc.finance.base_rate - d.preferential - d.implicit + depreciation_year) * (1.0 - subsidy_rate);
    const double ratio = user_cost / reference;
    const double elasticity = sc.markets.capacity_cost_elasticity;
    return sc.markets.target_utilisation * (elasticity == 1.0 ? ratio : std::pow(ratio, elasticity));
}

/*! Loans a firm can obtain for a request, given its limit and (for private firms) rationing. */
double loan_supply(const State& st, std::size_t i, double request, double capital_after) {
    const auto& sc = *st.scenario;
    const auto& f = st.firms;
    const double room = std::max(0.0, st.leverage_limit(i) * capital_after - f.debt[i]);
    double granted = std::min(request, room);
    if (f.ownership[i] == static_cast<std::uint8_t>(Ownership::private_firm)) {
        const auto s = static_cast<std::size_t>(f.sector[i]);
        const double crowding = f.fund_stake[i] > 0.0 ? 0.0 : sc.finance.crowding_out * st.sectors.fund_presence[s];
        granted *= sc.finance.private_credit_rationing * std::max(0.0, 1.0 - crowding);
    }
    return granted;
}

void invest_firm(State& st, std::size_t i, std::array<double, kCounterparts + 1>& to, std::vector<double>& local_subsidy) {
    const auto& sc = *st.scenario;
    auto& f = st.firms;
    const auto s = static_cast<std::size_t>(f.sector[i]);
    const double kappa = st.capital_per_unit(i);
    double central_part = 0.0;
    const double subsidy_rate = investment_subsidy_rate(st, i, central_part);
    // Local governments push for capacity in their focus sectors (capacity targets).
    const double push = 1.0 + sc.local.capacity_push * local_support_weight(st, i);
    const double desired = push * f.expected_demand[i] * st.now[s].capacity_growth / target_utilisation(st, i, subsidy_rate);
    // Replace what depreciated this quarter and close part of the gap to the desired capacity.
    const double before_depreciation = f.capacity[i] / (1.0 - sc.finance.depreciation);
    double units = std::max(0.0, sc.markets.capacity_adjustment * (desired - before_depreciation) +
                                     sc.finance.depreciation * before_depreciation);
    double cost = kappa * units;
    const double buffer = 0.02 * f.capital[i];
    const double internal = std::max(0.0, f.cash[i] - buffer);
    const double need = cost * (1.0 - subsidy_rate);
    double loan = 0.0;
    if (need > internal) {
        loan = loan_supply(st, i, need - internal, f.capital[i] + cost);
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
    st.update_capacity(i);
    f.investment[i] = cost;
    f.subsidy_central[i] += central_subsidy;
    f.subsidy_local[i] += subsidy - central_subsidy;
    local_subsidy[i] = subsidy - central_subsidy;
    // Surplus cash repays debt (no effect on net financial positions).
    const double surplus = f.cash[i] - 0.2 * f.capital[i];
    if (surplus > 0.0 && f.debt[i] > 0.0) {
        const double repay = std::min(surplus, f.debt[i]);
        f.cash[i] -= repay;
        f.debt[i] -= repay;
    }
    to[f.localized[i] != 0 ? economy : rest_of_world] += cost;
    to[central] -= central_subsidy;
    to[kCounterparts] += units;
}

}  // namespace

void invest_capacity(State& st) {
    auto& f = st.firms;
    std::vector<double> local_subsidy(f.size(), 0.0);
    const auto totals = core::deterministic_sums<kCounterparts + 1>(f.size(), [&](std::size_t i, std::array<double, kCounterparts + 1>& to) {
        if (f.alive[i] != 0) {
            invest_firm(st, i, to, local_subsidy);
        } else {
            f.investment[i] = 0.0;
        }
    });
    st.ledger.economy += totals[economy];
    st.ledger.rest_of_world += totals[rest_of_world];
    st.ledger.central += totals[central];
    std::vector<std::array<double, 1>> per_government;
    core::group_sums<1>(st.by_government, per_government, [&](std::size_t i, std::array<double, 1>& acc) { acc[0] += local_subsidy[i]; });
    for (std::size_t g = 0; g < st.governments.size(); ++g) {
        st.governments.debt[g] += per_government[g][0];
        st.governments.support_spent[g] += per_government[g][0];
    }
}

}  // namespace ipsim::model
