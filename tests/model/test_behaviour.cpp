/*!
 * @file test_behaviour.cpp
 * @brief The decisions behind capacity, prices, demand, finance and trade: each mechanism of
 *        issue 7 moves outcomes in the direction its economics says, with channel controls.
 *
 * Same conventions as test_mechanisms.cpp (common random numbers over several seeds, strict
 * inequalities, both numbers printed). Instruments are introduced from the first quarter so that
 * the initial state, calibrated at rest under the policy in force before the start, is shared.
 */
#include "mechanism_helpers.hpp"

#include "model/capacity_rule.hpp"
#include "model/demand_history.hpp"
#include "model/newsvendor.hpp"

namespace nv = ipsim::model::newsvendor;

// =============================================================================================
// The newsvendor rule

TEST(Newsvendor, QuantileInvertsTheDistributionFunction) {
    for (const double p : {0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98}) {
        EXPECT_NEAR(nv::normal_cdf(nv::normal_quantile(p)), p, 1e-12) << p;
    }
    EXPECT_NEAR(nv::normal_quantile(0.975), 1.959963984540054, 1e-9);
}

TEST(Newsvendor, ClampedRatiosShareTheQuantilesAtTheBounds) {
    // The quantiles at the bounds are computed once; they must equal the clamped rule bit for bit.
    const auto clamped = [](double r) { return nv::normal_quantile(1.0 - std::clamp(r, nv::kMinRatio, 1.0 - nv::kMinRatio)); };
    for (const double r : {-1.0, 0.0, 0.01, nv::kMinRatio, 0.021, 0.3, 0.979, 1.0 - nv::kMinRatio, 0.99, 1.0, 2.0}) {
        EXPECT_EQ(nv::covered_quantile(r), clamped(r)) << r;
    }
}

TEST(Newsvendor, CheapCapacityAndVolatileDemandMeanMoreCapacity) {
    // A lower cost of holding capacity relative to the margin: more capacity.
    EXPECT_GT(nv::capacity_factor(0.3, 0.2), nv::capacity_factor(0.3, 0.4));
    // With a critical ratio below one half, more uncertainty means more spare capacity.
    EXPECT_GT(nv::capacity_factor(0.5, 0.2), nv::capacity_factor(0.3, 0.2));
    // Without uncertainty the firm builds exactly expected demand.
    EXPECT_DOUBLE_EQ(nv::capacity_factor(0.0, 0.3), 1.0);
}

TEST(Newsvendor, ExpectedUtilisationLimits) {
    EXPECT_DOUBLE_EQ(nv::expected_utilisation(1.25, 0.0), 0.8);
    // Demand noise lowers expected utilisation below 1/k: units above capacity are lost.
    EXPECT_LT(nv::expected_utilisation(1.25, 0.3), 0.8);
    // Monte Carlo check of E[min(d, K)] / K for lognormal demand with mean 1.
    double sum = 0.0;
    const double sigma = 0.4;
    const double k = 1.1;
    const int n = 200000;
    for (int j = 0; j < n; ++j) {
        const double u = (j + 0.5) / n;
        const double d = std::exp(sigma * nv::normal_quantile(u) - 0.5 * sigma * sigma);
        sum += std::min(d, k);
    }
    EXPECT_NEAR(nv::expected_utilisation(k, sigma), sum / n / k, 2e-4);
}

// Economics: a subsidy to investment lowers the cost of holding capacity, so firms hold more of
// it and run below the normal utilisation (TextbookLimit checks the no-policy level).
TEST(Capacity, InvestmentSubsidyLowersUtilisationBelowNormal) {
    auto base = quiet_baseline();
    base.markets.demand_shock = 0.0;
    auto variant = base;
    variant.sectors[kSteel].policy.investment_subsidy = introduced(0.4);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_decrease("investment subsidy, no shocks: utilisation (steel)", sector_late(b, "utilization", kSteel),
                    sector_late(v, "utilization", kSteel), 0.02);
    // The benchmark of price wars is the no-policy normal: it does not move with the subsidy.
    EXPECT_NEAR(sector_late(v, "normal_utilization", kSteel), sector_late(b, "normal_utilization", kSteel), 0.01);
    expect_decrease("investment subsidy: price-cost margin (steel)", sector_late(b, "price_cost_margin", kSteel),
                    sector_late(v, "price_cost_margin", kSteel), 0.02);
}

// Economics: firms that face volatile demand plan for it, so the sector's normal utilisation
// falls with volatility and a calm sector is not pushed into a price war by the shocks alone.
TEST(Capacity, VolatileDemandLowersNormalUtilisationNotMargins) {
    auto calm = quiet_baseline();
    calm.markets.demand_shock = 0.02;
    auto volatile_demand = calm;
    volatile_demand.markets.demand_shock = 0.25;
    const auto c = simulate(calm);
    const auto v = simulate(volatile_demand);
    expect_decrease("demand volatility: normal utilisation (cars)", sector_late(c, "normal_utilization", kCars),
                    sector_late(v, "normal_utilization", kCars), 0.01);
    const double gap_calm = sector_late(c, "normal_utilization", kCars) - sector_late(c, "utilization", kCars);
    const double gap_volatile = sector_late(v, "normal_utilization", kCars) - sector_late(v, "utilization", kCars);
    report("demand volatility: normal minus actual utilisation (cars)", gap_calm, gap_volatile);
    EXPECT_LT(std::abs(gap_volatile), 0.06) << "shocks alone do not open a gap to the price-war benchmark";
}

// Economics: idle capacity far above what firms want is scrapped; without scrapping it stays.
TEST(Capacity, GlutIsScrappedOnlyWhenScrappingIsAllowed) {
    auto base = quiet_baseline();
    base.sectors[kSteel].demand.china_growth.points = {{2015.0, 0.0}, {2018.0, -0.3}, {2020.0, 0.0}};
    base.sectors[kSteel].demand.world_growth.points = {{2015.0, 0.0}, {2018.0, -0.3}, {2020.0, 0.0}};
    base.finance.distress_sale_price = 0.0;  // capacity sold in distress also counts as scrapped: keep it out
    auto no_scrap = base;
    no_scrap.markets.scrap_rate = 0.0;
    const auto b = simulate(base);
    const auto n = simulate(no_scrap);
    expect_increase("demand collapse: capacity scrapped over the run (steel)", sector_total(n, "scrapped", kSteel),
                    sector_total(b, "scrapped", kSteel));
    EXPECT_EQ(sector_total(n, "scrapped", kSteel), 0.0);
    expect_increase("demand collapse: utilisation with vs without scrapping (steel)", sector_late(n, "utilization", kSteel),
                    sector_late(b, "utilization", kSteel), 0.01);
}

// ---------------------------------------------------------------------------------------------
// Time to build and the supply line (capacity_rule.hpp)

namespace capacity_rule = ipsim::model::capacity_rule;

/*! Runs the ordering rule on a demand path (one value per quarter, target = demand) from the
 *  steady state of the first quarter's growth; returns capacity over target each quarter. */
std::vector<double> run_rule(const capacity_rule::Rule& rule, const std::vector<double>& demand, const std::vector<double>& growth) {
    double capacity = demand[0];
    double pipeline = capacity_rule::steady_pipeline(rule, growth[0], demand[0]);
    std::vector<double> ratio;
    for (std::size_t t = 0; t < demand.size(); ++t) {
        capacity *= 1.0 - rule.depreciation;
        pipeline += capacity_rule::orders(rule, growth[t], demand[t], capacity / (1.0 - rule.depreciation), pipeline);
        const double finished = capacity_rule::completion_share(rule) * pipeline;
        pipeline -= finished;
        capacity += finished;
        ratio.push_back(capacity / (t + 1 < demand.size() ? demand[t + 1] : demand[t] * growth[t]));
    }
    return ratio;
}

// The rule keeps a firm on a steady-growth path: capacity stays at its target whatever the time
// to build and however little weight the supply line gets.
TEST(CapacityRule, SteadyGrowthIsAFixedPoint) {
    for (const double T : {0.0, 3.0, 8.0}) {
        for (const double q : {0.99, 1.0, 1.07}) {
            for (const double beta : {0.35, 1.0}) {
                const capacity_rule::Rule rule{0.25, 0.025, T, beta};
                std::vector<double> demand{1.0}, growth;
                for (int t = 0; t < 60; ++t) {
                    demand.push_back(demand.back() * q);
                    growth.push_back(q);
                }
                demand.pop_back();
                for (const double r : run_rule(rule, demand, growth)) {
                    ASSERT_NEAR(r, 1.0, 1e-9) << "T " << T << " q " << q << " beta " << beta;
                }
            }
        }
    }
}

// Behaviour: after a boom ends, capacity still under construction keeps arriving; firms that give
// it too little weight (Sterman's misperception of the supply line) overshoot further, and the
// overshoot grows with the time to build.
TEST(CapacityRule, UnderweightedSupplyLineOvershootsAfterABoom) {
    std::vector<double> demand{1.0}, growth;
    for (int t = 0; t < 60; ++t) {
        // 30% a year for three years, then flat; firms' expected growth adapts within a year.
        const double q = t < 12 ? std::pow(1.3, 0.25) : 1.0;
        const double expected = growth.empty() ? q : growth.back() + 0.25 * (q - growth.back());
        demand.push_back(demand.back() * q);
        growth.push_back(expected);
    }
    demand.pop_back();
    const auto peak = [&](double T, double beta) {
        const auto r = run_rule({0.25, 0.025, T, beta}, demand, growth);
        return *std::max_element(r.begin() + 12, r.end());
    };
    report("boom then flat: peak capacity / target, T 8, beta 1 vs 0.35", peak(8.0, 1.0), peak(8.0, 0.35));
    EXPECT_GT(peak(8.0, 0.35), peak(8.0, 1.0) + 0.02);
    report("boom then flat: peak capacity / target, beta 0.35, T 0 vs 8", peak(0.0, 0.35), peak(8.0, 0.35));
    EXPECT_GT(peak(8.0, 0.35), peak(0.0, 0.35) + 0.02);
}

// Economics: in the whole model, a sector whose boom ends leaves idle capacity behind for longer
// when plants take two years to build and firms underweight what they have on order.
TEST(Capacity, TimeToBuildDeepensTheSlumpAfterABoom) {
    auto base = quiet_baseline(1000, 40);
    base.markets.demand_shock = 0.0;
    for (auto* path : {&base.sectors[kSteel].demand.china_growth, &base.sectors[kSteel].demand.world_growth}) {
        path->points = {{2015.0, 0.25}, {2018.0, -0.05}};
    }
    auto slow = base;
    slow.sectors[kSteel].supply.build_quarters = 8.0;
    auto aware = slow;
    aware.markets.supply_line_weight = 1.0;
    const auto b = simulate(base);
    const auto s = simulate(slow);
    const auto a = simulate(aware);
    const auto slump = [&](const Runs& r) {  // 2019-2021: after the boom
        const auto m = metric(Scope::sector, "utilization");
        return over_seeds(r, [&](const auto& records) {
            double sum = 0.0;
            for (std::size_t t = 16; t < 28; ++t) sum += records[t].sector_value(m, kSteel);
            return sum / 12.0;
        });
    };
    expect_decrease("boom then decline: utilisation 2019-21, build 0 vs 8 quarters (steel)", slump(b), slump(s), 0.02);
    // Most of the slump is the time to build itself (expectations adapt slowly); the misperception adds to it.
    expect_decrease("boom then decline: utilisation 2019-21, supply-line weight 1 vs 0.35 (steel)", slump(a), slump(s));
    EXPECT_GT(sector_total(s, "capacity_under_construction", kSteel), 0.0);
    EXPECT_EQ(sector_total(b, "capacity_under_construction", kSteel), 0.0);
}

// A history before the start sets the capacity carried into the first quarter: a steady history
// leaves the state at rest, a boom that ended leaves more capacity than demand needs.
TEST(DemandHistory, BoomThatEndedLeavesCapacityAboveRest) {
    model::Scenario sc;
    const capacity_rule::Rule textbook_rule{sc.markets.capacity_adjustment, sc.finance.depreciation, 0.0, 1.0};
    EXPECT_DOUBLE_EQ(model::replay_demand_history(sc, model::TimePath(0.05), textbook_rule).capacity_factor, 1.0);
    model::TimePath steady;
    steady.points = {{2010.0, 0.05}};
    EXPECT_NEAR(model::replay_demand_history(sc, steady, textbook_rule).capacity_factor, 1.0, 1e-6);
    EXPECT_NEAR(model::replay_demand_history(sc, steady, textbook_rule).expected_growth, 0.05, 1e-6);
    model::TimePath boom;
    boom.points = {{2010.0, 0.07}, {2014.0, -0.03}, {2015.0, -0.02}};
    const auto h = model::replay_demand_history(sc, boom, textbook_rule);
    EXPECT_EQ(h.quarters, 20);
    EXPECT_GT(h.capacity_factor, 1.03) << "capacity built for the boom is still there";
    EXPECT_LT(h.expected_growth, 0.07) << "expectations have started to adapt";
}

// Economics: firms that built for a boom carry idle capacity into the first quarters; without the
// history the same sector starts at its normal utilisation.
TEST(DemandHistory, SteelBoomHistoryLowersEarlyUtilisation) {
    auto base = quiet_baseline();
    base.markets.demand_shock = 0.0;
    auto history = base;
    for (auto* path : {&history.sectors[kSteel].demand.china_growth, &history.sectors[kSteel].demand.world_growth}) {
        const double later = path->at(2015.0);
        path->points = {{2010.0, 0.07}, {2014.0, -0.03}, {2015.0, later}};
    }
    const auto b = simulate(base);
    const auto h = simulate(history);
    expect_decrease("boom history: utilisation in the first year (steel)", sector_early(b, "utilization", kSteel),
                    sector_early(h, "utilization", kSteel), 0.02);
}

// =============================================================================================
// Demand, inputs and learning

// Demand counts once: when prices follow the path the trend embodies, demand follows the trend.
TEST(Demand, TrendIsNotMultipliedByTheFrontiersPriceFall) {
    auto sc = quiet_baseline(600, 40);
    sc.markets.demand_shock = 0.0;
    sc.links.clear();
    for (auto& s : sc.sectors) {
        s.technology.frontier_growth = 0.05;
        s.demand.china_growth = TimePath(0.1);
    }
    sc.technology.learning_rate = 0.0;
    sc.technology.imitation_rate = 0.0;
    sc.technology.innovation_rate = 1.0;
    const auto r = simulate(sc);
    const auto china = metric(Scope::sector, "china_demand");
    const double growth = over_seeds(r, [&](const auto& rec) { return rec.back().sector_value(china, kSteel) / rec.front().sector_value(china, kSteel); });
    const double trend = std::pow(1.1, static_cast<double>(sc.time.quarters - 1) / 4.0);
    report("demand over the run vs trend (steel)", trend, growth);
    EXPECT_NEAR(growth / trend, 1.0, 0.15) << "a 5% a year frontier would add ~60% if counted twice";
}

// Buyers pay for inputs: car makers' purchases are their input shares of variable cost, and the
// suppliers' prices reach the buyers' costs.
TEST(Demand, InputsArePaidAndUpstreamPricesReachDownstreamCosts) {
    auto base = quiet_baseline();
    const auto b = simulate(base);
    EXPECT_GT(sector_late(b, "inputs", kCars), 0.0);
    EXPECT_EQ(sector_late(b, "inputs", kSteel), 0.0) << "no links into steel";
    EXPECT_EQ(sector_late(b, "inputs", kChips), 0.0) << "no links into chips";
    // Closing China's chip market to foreign suppliers shifts it to dearer domestic chips: the price
    // of chips in China rises and so do car makers' costs and prices.
    auto dear_chips = base;
    dear_chips.sectors[kChips].policy.market_access_restriction = introduced(1.0);
    const auto v = simulate(dear_chips);
    expect_increase("chip market closed: chip price index in China", sector_late(b, "price", kChips), sector_late(v, "price", kChips));
    expect_increase("chip market closed: car price", sector_late(b, "price", kCars), sector_late(v, "price", kCars));
    auto no_links = base;
    no_links.links.clear();
    auto no_links_dear = dear_chips;
    no_links_dear.links.clear();
    const auto nb = simulate(no_links);
    const auto nv = simulate(no_links_dear);
    report("chip market closed: car price change, without vs with links", sector_late(nv, "price", kCars) - sector_late(nb, "price", kCars),
           sector_late(v, "price", kCars) - sector_late(b, "price", kCars));
    EXPECT_GT(sector_late(v, "price", kCars) - sector_late(b, "price", kCars), sector_late(nv, "price", kCars) - sector_late(nb, "price", kCars));
}

// Learning: with Wright's law, subsidised scale lowers costs and prices; without it, it does not.
TEST(Learning, SubsidisedScaleLowersPricesThroughExperience) {
    auto base = quiet_baseline();
    base.sectors[kCars].technology.frontier_growth = 0.0;
    base.sectors[kCars].technology.learning_per_doubling = 0.2;
    base.sectors[kCars].demand.china_growth = TimePath(0.3);
    auto subsidised = base;
    subsidised.sectors[kCars].policy.output_subsidy = introduced(0.2);
    auto no_learning = base;
    no_learning.sectors[kCars].technology.learning_per_doubling = 0.0;
    const auto b = simulate(base);
    const auto s = simulate(subsidised);
    const auto n = simulate(no_learning);
    expect_decrease("learning curve: price (cars)", sector_late(n, "price", kCars), sector_late(b, "price", kCars), 0.05);
    auto subsidised_no_learning = no_learning;
    subsidised_no_learning.sectors[kCars].policy.output_subsidy = introduced(0.2);
    const auto sn = simulate(subsidised_no_learning);
    const double with_learning = sector_late(s, "price", kCars) - sector_late(b, "price", kCars);
    const double without_learning = sector_late(sn, "price", kCars) - sector_late(n, "price", kCars);
    report("subsidy: price change, without vs with learning (cars)", without_learning, with_learning);
    EXPECT_LT(with_learning / sector_late(b, "price", kCars), without_learning / sector_late(n, "price", kCars))
        << "subsidised scale lowers prices (relative) more where experience lowers costs";
}

// =============================================================================================
// Finance

// Soft budgets: lenders who favour SOEs and locally backed firms keep more weak firms alive.
TEST(Finance, SoftLendingKeepsZombiesAndCutsExits) {
    auto base = all_focus_baseline();
    base.markets.demand_shock = 0.3;
    auto hard = base;
    hard.finance.refinance_soe_bonus = 0.0;
    hard.finance.refinance_fund_bonus = 0.0;
    hard.finance.refinance_local_bonus = 0.0;
    const auto b = simulate(base);
    const auto h = simulate(hard);
    const double exits_soft = sector_total(b, "exits", kCars) + sector_total(b, "exits", kSteel) + sector_total(b, "exits", kChips);
    const double exits_hard = sector_total(h, "exits", kCars) + sector_total(h, "exits", kSteel) + sector_total(h, "exits", kChips);
    expect_increase("hard lending: exits over the run", exits_soft, exits_hard, 0.02);
    const double refinanced_soft = sector_total(b, "refinanced", kCars) + sector_total(b, "refinanced", kSteel);
    const double refinanced_hard = sector_total(h, "refinanced", kCars) + sector_total(h, "refinanced", kSteel);
    expect_decrease("hard lending: distressed firms refinanced", refinanced_soft, refinanced_hard);
    expect_decrease("hard lending: zombie share", national_late(b, "zombie_share"), national_late(h, "zombie_share"));
}

// A solvent firm its lenders refuse sells capital at a discount to repay instead of defaulting:
// fewer exits, more weak firms that live on (shrinking), and the capacity sold leaves the sector.
TEST(Finance, DistressSalesReplaceDefaultsOfSolventFirms) {
    auto base = all_focus_baseline();
    base.markets.demand_shock = 0.3;
    auto no_sales = base;
    no_sales.finance.distress_sale_price = 0.0;
    const auto b = simulate(base);
    const auto n = simulate(no_sales);
    const auto total = [](const Runs& r, const char* name) {
        return sector_total(r, name, kCars) + sector_total(r, name, kSteel) + sector_total(r, name, kChips);
    };
    expect_decrease("distress sales allowed: exits over the run", total(n, "exits"), total(b, "exits"), 0.05);
    EXPECT_EQ(total(n, "distress_sales"), 0.0);
    EXPECT_GT(total(b, "distress_sales"), 0.0);
    expect_increase("distress sales allowed: capacity scrapped or sold", total(n, "scrapped"), total(b, "scrapped"));
    expect_increase("distress sales allowed: zombie share", national_late(n, "zombie_share"), national_late(b, "zombie_share"));
}

// =============================================================================================
// Trade and technology

// Export controls: the component constraint binds on output in use, and the technology channel
// slows Chinese firms' catch-up; without the setback only the output channel remains.
TEST(ExportControls, CutOutputAndSetBackTechnology) {
    auto base = quiet_baseline();
    auto controlled = base;
    controlled.sectors[kChips].world.export_control = introduced(0.6);
    auto no_setback = controlled;
    no_setback.technology.export_control_setback = 0.0;
    const std::vector<Probe> probes = {chinese_mean_productivity(kChips)};
    const auto b = simulate(base, probes);
    const auto c = simulate(controlled, probes);
    const auto n = simulate(no_setback, probes);
    expect_decrease("export control: chip output", sector_late(b, "output", kChips), sector_late(c, "output", kChips), 0.05);
    expect_decrease("export control: Chinese chip productivity, setback vs none", n.probes[0], c.probes[0], 0.005);
}

// Localization moves a foreign firm's China sales into a new plant; the parent keeps the world.
TEST(Localization, OpensPlantsAndKeepsParentsAbroad) {
    auto base = quiet_baseline();
    base.sectors[kChips].supply.foreign_share = 0.4;
    base.sectors[kChips].supply.localized_share = 0.2;
    auto variant = base;
    variant.sectors[kChips].policy.localization_requirement = introduced(1.0);
    const auto abroad = [](const auto& f, std::size_t i) { return in_sector(f, i, kChips) && alive(f, i) && foreign(f, i) && f.localized[i] == 0; };
    const std::vector<Probe> probes = {firm_sum(abroad, [](const auto&, std::size_t) { return 1.0; }),
                                       firm_sum(abroad, [](const auto& f, std::size_t i) { return f.sales_world[i]; })};
    const auto b = simulate(base, probes);
    const auto v = simulate(variant, probes);
    report("localization: foreign producers abroad (chips)", b.probes[0], v.probes[0]);
    EXPECT_NEAR(v.probes[0], b.probes[0], 0.5) << "parents stay abroad";
    expect_increase("localization: world-market sales of producers abroad kept (chips), ratio", 0.5 * b.probes[1], v.probes[1]);
}

// Reputation abroad builds with scale: Chinese firms that start with no exports can emerge.
TEST(Trade, ChineseExportersEmergeWithScale) {
    auto base = quiet_baseline(1000, 60);
    base.sectors[kCars].supply.china_world_share = 0.2;
    base.sectors[kCars].supply.initial_domestic_share = 0.9;
    base.sectors[kCars].demand.world = 100.0;
    base.sectors[kCars].demand.china = 100.0;
    base.sectors[kCars].demand.china_growth = TimePath(0.25);
    auto fixed = base;
    fixed.markets.appeal_adjustment = 0.0;
    const auto b = simulate(base);
    const auto f = simulate(fixed);
    expect_increase("reputation with scale: exports (cars)", sector_late(f, "exports", kCars), sector_late(b, "exports", kCars), 0.1);
}
