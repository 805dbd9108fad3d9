/*!
 * @file test_accounting.cpp
 * @brief Accounting identities checked every quarter, and the textbook limit.
 */
#include <gtest/gtest.h>

#include <cmath>

#include "fixtures.hpp"
#include "model/detail/firm_costs.hpp"
#include "model/phases.hpp"
#include "model/quarter.hpp"
#include "model/state.hpp"

using namespace ipsim;
using model::Scope;

namespace {

/*! Scenario with every instrument on, so every money flow is exercised. */
model::Scenario busy_scenario() {
    auto sc = test::small_scenario(800, 48);
    for (auto& s : sc.sectors) {
        s.policy.output_subsidy = model::TimePath(0.1);
        s.policy.investment_subsidy = model::TimePath(0.1);
        s.policy.rd_tax_credit = model::TimePath(0.5);
        s.policy.tax_rebate = model::TimePath(0.4);
        s.policy.loan_discount = model::TimePath(0.01);
        s.policy.procurement_share = model::TimePath(0.5);
        s.policy.localization_requirement = model::TimePath(0.5);
        s.world.tariff = model::TimePath(0.1);
        s.supply.build_quarters = 6.0;  // capital under construction moves with plants, exits and sales
    }
    sc.sectors[0].world.export_control.points = {{2015.0, 0.0}, {2019.0, 0.5}};
    sc.finance.bailout_private = 0.5;
    sc.local.debt_limit = 0.5;
    return sc;
}

}  // namespace

TEST(Accounting, MoneyIsConservedEveryQuarter) {
    const auto sc = busy_scenario();
    const auto residual = static_cast<std::size_t>(model::metric_index(Scope::national, "accounting_residual"));
    const auto fiscal = static_cast<std::size_t>(model::metric_index(Scope::national, "fiscal_cost"));
    double gross = 0.0;
    for (const auto& r : test::run_records(sc, 3)) {
        gross += r.national_value(fiscal);
        // Rounding only: a leak of one flow would be of the order of the flows themselves.
        EXPECT_LT(std::abs(r.national_value(residual)), 1e-9 * std::max(1.0, gross)) << "year " << r.year;
    }
    EXPECT_GT(gross, 1.0);
}

TEST(Accounting, SupportWeightTableGivesEachFirmsWeight) {
    const auto sc = busy_scenario();
    model::Simulation sim(sc, 7);
    double positive = 0.0;
    for (int q = 0; q < 6; ++q) {
        sim.step();
        const auto& st = sim.state();
        const auto table = model::detail::support_weight_table(sim.model(), st);
        for (std::size_t i = 0; i < st.firms.size(); ++i) {
            const double weight = model::detail::local_support_weight(sim.model(), st, i);
            ASSERT_EQ(model::detail::local_support_weight_on(sim.model(), st, i, table), weight) << "firm row " << i;
            positive += weight > 0.0 ? 1.0 : 0.0;
        }
    }
    EXPECT_GT(positive, 0.0);  // the test sees supported firms
}

TEST(Accounting, OutputWithinCapacityAndSharesSumToOne) {
    const auto sc = busy_scenario();
    model::Simulation sim(sc, 5);
    while (sim.steps_done() < sim.steps_total()) {
        sim.step();
        const auto& f = sim.state().firms;
        std::vector<double> china(sc.sectors.size(), 0.0);
        std::vector<double> world(sc.sectors.size(), 0.0);
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (f.alive[i] == 0) {
                continue;
            }
            china[static_cast<std::size_t>(f.sector[i])] += f.share_china[i];
            world[static_cast<std::size_t>(f.sector[i])] += f.share_world[i];
            if (f.age[i] == 0) {  // entered this quarter (age counts from the next quarter)
                continue;
            }
            EXPECT_LE(f.output[i], f.usable_capacity[i] * (1.0 + 1e-12) + 1e-15);
            // Capacity only shrinks by depreciation and scrapping, except that a producer abroad may
            // move its China part into a new plant in a first quarter.
            const bool may_have_split = f.localized[i] == 0 && (sim.steps_done() - 1) % 4 == 0;
            if (!may_have_split) {
                EXPECT_LE(f.usable_capacity[i], (f.capacity[i] + f.scrapped[i]) / (1.0 - sc.finance.depreciation) * (1.0 + 1e-9) + 1e-12);
            }
            EXPECT_GE(f.output[i], 0.0);
            EXPECT_GE(f.capacity[i], 0.0);
            EXPECT_GE(f.capital_in_progress[i], 0.0);
            EXPECT_LE(f.capital_in_progress[i], f.capital[i] * (1.0 + 1e-12)) << "capital under construction is part of capital";
            EXPECT_NEAR(f.sales_china[i] + f.sales_world[i], f.output[i], 1e-9 * std::max(1.0, f.output[i]));
        }
        for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
            // Shares of firms that exited this quarter drop out until the next normalisation.
            EXPECT_NEAR(china[s], 1.0, 0.15) << "sector " << s;
            EXPECT_NEAR(world[s], 1.0, 0.15) << "sector " << s;
        }
        const auto& r = sim.record();
        const auto dom = static_cast<std::size_t>(model::metric_index(Scope::sector, "domestic_share"));
        const auto imp = static_cast<std::size_t>(model::metric_index(Scope::sector, "import_share"));
        const auto util = static_cast<std::size_t>(model::metric_index(Scope::sector, "utilization"));
        for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
            EXPECT_NEAR(r.sector_value(dom, s) + r.sector_value(imp, s), 1.0, 1e-12);
            EXPECT_LE(r.sector_value(util, s), 1.0 + 1e-12);
        }
    }
}

TEST(Accounting, RecordsAreFinite) {
    const auto records = test::run_records(busy_scenario(), 7);
    for (const auto& r : records) {
        for (const double x : r.sector) {
            ASSERT_TRUE(std::isfinite(x));
        }
        for (const double x : r.region) {
            ASSERT_TRUE(std::isfinite(x));
        }
        for (const double x : r.national) {
            ASSERT_TRUE(std::isfinite(x));
        }
    }
}

/*! One sector, identical firms, no policy, no shocks, no entry, no technology change. */
model::Scenario textbook_scenario(double growth_from_2015, double growth_from_2017) {
    model::Scenario sc;
    sc.time.quarters = 120;
    sc.firms.count = 50;
    sc.firms.productivity_dispersion = 0.0;
    sc.firms.size_dispersion = 0.0;
    sc.firms.entry_rate = 0.0;
    sc.markets.markup_share_sensitivity = 0.0;
    sc.markets.demand_shock = 0.0;
    sc.technology.innovation_rate = 0.0;
    sc.technology.learning_rate = 0.0;
    sc.technology.imitation_rate = 0.0;
    sc.local.focus_count = 0;
    sc.central.transfer_pool = 0.0;
    model::Sector s;
    s.name = "only";
    s.supply.foreign_share = 0.0;
    s.supply.soe_share = 0.0;
    s.supply.china_world_share = 0.999;
    s.supply.initial_domestic_share = 0.99;
    s.demand.china_growth.points = {{2015.0, growth_from_2015}, {2017.0, growth_from_2017}};
    s.demand.world_growth.points = {{2015.0, growth_from_2015}, {2017.0, growth_from_2017}};
    s.technology.frontier_growth = 0.0;
    s.technology.rd_intensity = 0.0;
    sc.sectors.push_back(s);
    model::Region r;
    r.name = "only";
    sc.regions.push_back(r);
    return sc;
}

/*! Largest gap between the single sector's utilisation and the target over the first `quarters` steps. */
double largest_utilisation_gap(model::Simulation& sim, const model::Scenario& sc, std::int64_t quarters) {
    const auto util = static_cast<std::size_t>(model::metric_index(Scope::sector, "utilization"));
    double worst = 0.0;
    while (sim.steps_done() < quarters) {
        sim.step();
        worst = std::max(worst, std::abs(sim.record().sector_value(util, 0) - sc.markets.target_utilisation));
    }
    return worst;
}

/*! After a demand boom that leaves capacity away from its normal level, the market settles at
 *  price = full unit cost x (1 + normal markup) and utilisation at the normal utilisation, which
 *  without shocks is the target. */
TEST(TextbookLimit, PriceAtCostPlusMarkupAndUtilisationAtTarget) {
    // Two years of fast growth, then none: capacity lags, then overshoots, then must settle.
    const auto sc = textbook_scenario(0.3, 0.0);
    const auto& s = sc.sectors.front();
    model::Simulation sim(sc, 1);
    while (sim.steps_done() < sim.steps_total()) {
        sim.step();
    }
    const auto& st = sim.state();
    const double markup = s.supply.markup;
    for (std::size_t i = 0; i < st.firms.size(); ++i) {
        if (st.firms.alive[i] == 0) {
            continue;
        }
        // Unit cost: variable cost plus the normal cost of capital at target utilisation.
        const double cost = model::full_unit_cost(sim.model(), st, i);
        // Tolerance: 1% of the price and 0.02 of utilisation.
        EXPECT_NEAR(st.firms.price[i] / cost, 1.0 + markup, 0.01 * (1.0 + markup));
    }
    const auto util = static_cast<std::size_t>(model::metric_index(Scope::sector, "utilization"));
    const auto normal = static_cast<std::size_t>(model::metric_index(Scope::sector, "normal_utilization"));
    EXPECT_NEAR(sim.record().sector_value(normal, 0), sc.markets.target_utilisation, 1e-4);
    EXPECT_NEAR(sim.record().sector_value(util, 0), sc.markets.target_utilisation, 0.02);
}

/*! Under steady demand growth firms that know their own adjustment lag keep capacity in step with
 *  demand: utilisation stays at the target instead of running hot (capacity trailing demand). */
TEST(TextbookLimit, SteadyGrowthRunsAtTargetUtilisation) {
    auto sc = textbook_scenario(0.3, 0.3);
    sc.finance.private_credit_rationing = 1.0;  // growth this fast needs loans: test planning, not rationing
    model::Simulation sim(sc, 1);
    const double worst = largest_utilisation_gap(sim, sc, 40);
    // Tolerance 0.005: the ordering rule and a forecast that carries the trend make the
    // steady-growth path exact up to the first quarter's rounding.
    EXPECT_LT(worst, 0.005) << "largest gap to target utilisation under steady 30% growth";
}

/*! The same with two years to build and a supply line firms underweight: under steady growth the
 *  pipeline is what the path needs, so the misperception costs nothing. */
TEST(TextbookLimit, SteadyGrowthWithTimeToBuildRunsAtTargetUtilisation) {
    auto sc = textbook_scenario(0.3, 0.3);
    sc.finance.private_credit_rationing = 1.0;
    // The pipeline is financed too, so firms carry more debt: keep borrowing limits and lenders' refusals out of it.
    sc.finance.max_leverage_private = 10.0;
    sc.finance.refinance_base = 20.0;
    sc.sectors.front().supply.build_quarters = 8.0;
    sc.markets.supply_line_weight = 0.35;
    model::Simulation sim(sc, 1);
    const double worst = largest_utilisation_gap(sim, sc, 40);
    const auto building = static_cast<std::size_t>(model::metric_index(Scope::sector, "capacity_under_construction"));
    EXPECT_LT(worst, 0.005) << "largest gap to target utilisation under steady 30% growth, 8 quarters to build";
    EXPECT_GT(sim.record().sector_value(building, 0), 0.0);
}
