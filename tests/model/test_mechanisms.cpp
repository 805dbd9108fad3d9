/*!
 * @file test_mechanisms.cpp
 * @brief Each mechanism and instrument moves outcomes in the direction economics predicts.
 *
 * Every test compares a small baseline with a variant that changes one thing, averaged over
 * the same seeds (common random numbers), and checks the sign of the difference.
 */
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "model/state.hpp"

using namespace ipsim;
using model::TimePath;

namespace {

constexpr int kSeeds = 3;
constexpr std::size_t kChips = 0;
constexpr std::size_t kCars = 1;

/*! Baseline for instrument tests: no policy anywhere, so each test adds exactly one. */
model::Scenario quiet_baseline() {
    auto sc = test::small_scenario(900, 48);
    sc.funds.national.clear();
    sc.funds.local_per_government = 0.0;
    sc.local.focus_count = 0;
    return sc;
}

double sector_late(const model::Scenario& sc, const char* metric, std::size_t sector) {
    return test::seed_average(sc, kSeeds, [&](const auto& r) { return test::late_mean(r, metric, sector); });
}

double national_late(const model::Scenario& sc, const char* metric) {
    return test::seed_average(sc, kSeeds, [&](const auto& r) { return test::late_national(r, metric); });
}

double sector_total(const model::Scenario& sc, const char* metric, std::size_t sector) {
    return test::seed_average(sc, kSeeds, [&](const auto& r) { return test::late_mean(r, metric, sector, r.size()); });
}

}  // namespace

// Output subsidies lower prices and attract capacity; capacity outruns demand (lower utilisation).
TEST(Instruments, OutputSubsidyRaisesCapacityLowersPriceAndUtilisation) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].policy.output_subsidy = TimePath(0.2);
    EXPECT_GT(sector_late(variant, "capacity", kCars), sector_late(base, "capacity", kCars));
    EXPECT_LT(sector_late(variant, "price", kCars), sector_late(base, "price", kCars));
    variant.sectors[kCars].policy.investment_subsidy = TimePath(0.2);
    EXPECT_LT(sector_late(variant, "utilization", kCars), sector_late(base, "utilization", kCars));
}

// Cheaper capacity is held partly idle: more capacity, lower utilisation.
TEST(Instruments, InvestmentSubsidyRaisesCapacityLowersUtilisation) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].policy.investment_subsidy = TimePath(0.3);
    EXPECT_GT(sector_late(variant, "capacity", kCars), 1.05 * sector_late(base, "capacity", kCars));
    EXPECT_LT(sector_late(variant, "utilization", kCars), sector_late(base, "utilization", kCars));
}

// Preferential loans lower the user cost of capital.
TEST(Instruments, LoanDiscountRaisesCapacity) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].policy.loan_discount = TimePath(0.03);
    EXPECT_GT(sector_late(variant, "capacity", kCars), sector_late(base, "capacity", kCars));
}

// An R&D super-deduction lowers the after-tax price of R&D: more R&D, faster catch-up.
TEST(Instruments, RdTaxCreditRaisesRdAndProductivity) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kChips].policy.rd_tax_credit = TimePath(1.0);
    EXPECT_GT(sector_late(variant, "rd", kChips), sector_late(base, "rd", kChips));
    EXPECT_GT(sector_late(variant, "productivity", kChips), sector_late(base, "productivity", kChips));
}

// A tax rebate is a tax expenditure: the fiscal cost rises.
TEST(Instruments, TaxRebateRaisesFiscalCost) {
    const auto base = quiet_baseline();
    auto variant = base;
    for (auto& s : variant.sectors) s.policy.tax_rebate = TimePath(0.5);
    EXPECT_GT(national_late(variant, "fiscal_cost"), national_late(base, "fiscal_cost") + 1.0);
}

// Reserving procurement for domestic suppliers shifts China's market to them.
TEST(Instruments, ProcurementShareRaisesDomesticShare) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kChips].demand.procurement_segment = 0.5;
    variant.sectors[kChips].policy.procurement_share = TimePath(1.0);
    EXPECT_GT(sector_late(variant, "domestic_share", kChips), sector_late(base, "domestic_share", kChips) + 0.01);
}

// Market-access restrictions handicap every foreign supplier in China.
TEST(Instruments, MarketAccessRestrictionRaisesChineseFirmShare) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kChips].policy.market_access_restriction = TimePath(1.0);
    EXPECT_GT(sector_late(variant, "chinese_firm_share", kChips), sector_late(base, "chinese_firm_share", kChips) + 0.01);
}

// Localization requirements move foreign production into China, where it transfers technology.
TEST(Instruments, LocalizationRaisesLocalizedForeignProductionAndTransfer) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kChips].policy.localization_requirement = TimePath(1.0);
    auto localized_output = [](const model::Scenario& sc) {
        double total = 0.0;
        for (int seed = 1; seed <= kSeeds; ++seed) {
            model::Simulation sim(sc, static_cast<std::uint64_t>(seed));
            while (sim.steps_done() < sim.steps_total()) sim.step();
            const auto& f = sim.state().firms;
            for (std::size_t i = 0; i < f.size(); ++i) {
                if (f.alive[i] != 0 && f.sector[i] == 0 && f.localized[i] != 0 && f.ownership[i] == static_cast<std::uint8_t>(model::Ownership::foreign)) {
                    total += f.output[i];
                }
            }
        }
        return total;
    };
    EXPECT_GT(localized_output(variant), 1.2 * localized_output(base));
    EXPECT_GT(sector_late(variant, "domestic_share", kChips), sector_late(base, "domestic_share", kChips));
}

// Cluster programmes speed up imitation in focus sectors.
TEST(Instruments, ClusterSupportRaisesProductivityInFocusSectors) {
    auto base = quiet_baseline();
    base.local.focus_count = 3;  // every government focuses on every sector
    base.sectors[kChips].supply.china_productivity = 0.3;
    base.firms.productivity_dispersion = 0.5;
    auto variant = base;
    variant.sectors[kChips].policy.cluster_support = TimePath(1.0);
    variant.technology.cluster_boost = 1.0;
    base.technology.cluster_boost = 1.0;
    EXPECT_GT(sector_late(variant, "productivity", kChips), sector_late(base, "productivity", kChips));
}

// Cutting off foreign components idles downstream capacity and pushes chip buyers to domestic supply.
TEST(WorldShocks, ExportControlLowersDownstreamOutputAndImports) {
    auto base = quiet_baseline();
    base.sectors[kCars].technology.component_intensity = 0.5;
    auto variant = base;
    variant.sectors[kChips].world.export_control.points = {{2015.0, 0.0}, {2018.0, 0.8}};
    EXPECT_LT(sector_late(variant, "capacity", kCars), sector_late(base, "capacity", kCars));
    EXPECT_LT(sector_late(variant, "import_share", kChips),
              sector_late(base, "import_share", kChips));
    EXPECT_LT(sector_total(variant, "output", kCars), sector_total(base, "output", kCars));
}

// Tariffs abroad make Chinese exports dearer.
TEST(WorldShocks, ForeignTariffLowersExportsAndWorldShare) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].world.tariff = TimePath(0.5);
    EXPECT_LT(sector_late(variant, "exports", kCars), sector_late(base, "exports", kCars));
    EXPECT_LT(sector_late(variant, "world_share", kCars), sector_late(base, "world_share", kCars));
}

// The trigger rule imposes a tariff only once both thresholds are passed.
TEST(WorldShocks, TariffTriggerFiresOnlyPastThresholds) {
    auto sc = quiet_baseline();
    sc.sectors[kCars].policy.output_subsidy = TimePath(0.1);
    sc.sectors[kCars].world.tariff_trigger = true;
    sc.sectors[kCars].world.trigger_tariff = 0.3;
    sc.sectors[kCars].world.trigger_world_share = 0.05;
    sc.sectors[kCars].world.trigger_subsidy_intensity = 0.001;
    EXPECT_NEAR(sector_late(sc, "tariff", kCars), 0.3, 1e-12);
    sc.sectors[kCars].world.trigger_world_share = 0.99;
    EXPECT_EQ(sector_late(sc, "tariff", kCars), 0.0);
}

// Funds call exactly pledged x paid-in share over their investment period, and invest it.
TEST(Funds, PaidInEqualsPledgeTimesPaidInShare) {
    auto sc = quiet_baseline();
    model::NationalFund fund;
    fund.name = "chips_fund";
    fund.sectors = {"chips"};
    fund.pledged = 40.0;
    fund.paid_in_share = 0.6;
    fund.investment_years = 4.0;
    sc.funds.national = {fund};
    const auto records = test::run_records(sc, 1);
    const auto paid = static_cast<std::size_t>(model::metric_index(model::Scope::national, "funds_paid_in"));
    const auto invested = static_cast<std::size_t>(model::metric_index(model::Scope::national, "funds_invested"));
    EXPECT_NEAR(records.back().national_value(paid), 24.0, 1e-9);
    EXPECT_GT(records.back().national_value(invested), 0.5 * 24.0);
    EXPECT_GT(test::late_mean(records, "fund_equity", kChips, records.size()), 0.0);
    EXPECT_EQ(test::late_mean(records, "fund_equity", kCars, records.size()), 0.0);
}

// Soft budgets keep insolvent firms alive: fewer exits, more zombies.
TEST(SoftBudget, BailoutsLowerExitsAndRaiseZombies) {
    auto base = quiet_baseline();
    base.sectors[kCars].policy.investment_subsidy = TimePath(0.5);  // overcapacity, price war
    base.firms.entry_rate = 0.02;
    base.markets.price_war_sensitivity = 4.0;
    auto soft = base;
    auto hard = base;
    for (auto* sc : {&soft, &hard}) {
        const double p = sc == &soft ? 1.0 : 0.0;
        sc->finance.bailout_soe = p;
        sc->finance.bailout_private = p;
        sc->finance.bailout_fund_backed = p;
    }
    EXPECT_LT(sector_total(soft, "exits", kCars), sector_total(hard, "exits", kCars));
    EXPECT_GE(national_late(soft, "zombie_share"), national_late(hard, "zombie_share"));
}

// Herding concentrates local focus on the same sectors; coordination caps it.
TEST(LocalGovernments, HerdingConcentratesFocusCoordinationCapsIt) {
    auto base = test::small_scenario(900, 24);
    base.local.per_region = 10;
    base.local.focus_count = 1;
    base.local.weight_herding = 0.0;
    auto herd = base;
    herd.local.weight_herding = 5.0;
    auto max_focus = [](const model::Scenario& sc) {
        return test::seed_average(sc, kSeeds, [](const auto& r) {
            double best = 0.0;
            for (std::size_t s = 0; s < 3; ++s) best = std::max(best, test::late_mean(r, "focus_governments", s, 4));
            return best;
        });
    };
    EXPECT_GT(max_focus(herd), max_focus(base));
    auto coordinated = herd;
    coordinated.central.coordination = true;
    coordinated.central.coordination_regions_per_sector = 1;
    EXPECT_LE(max_focus(coordinated), 10.0 + 1e-9);  // one region of ten governments per sector
}

// A binding debt limit forces local governments to cut support.
TEST(LocalGovernments, LowerDebtLimitCutsLocalSubsidies) {
    auto base = test::small_scenario(900, 40);
    base.local.focus_count = 3;
    auto tight = base;
    tight.local.debt_limit = 0.1;
    EXPECT_LT(sector_late(tight, "subsidies_local", kCars), sector_late(base, "subsidies_local", kCars));
}

// Falling land revenue raises local debt.
TEST(LocalGovernments, LandRevenueFallRaisesDebt) {
    const auto base = test::small_scenario(900, 40);
    auto squeeze = base;
    squeeze.local.land_revenue_multiplier.points = {{2015.0, 1.0}, {2018.0, 0.5}};
    EXPECT_GT(national_late(squeeze, "local_debt"), national_late(base, "local_debt"));
}

// Tournament transfers reward governments whose priority-sector output grows faster.
TEST(CentralGovernment, TournamentRewardsGrowth) {
    auto sc = test::small_scenario(900, 12);
    sc.local.per_region = 5;
    sc.central.tournament_share = 1.0;
    model::Simulation sim(sc, 1);
    while (sim.steps_done() < sim.steps_total()) sim.step();
    const auto& g = sim.state().governments;
    std::size_t best = 0;
    std::size_t worst = 0;
    for (std::size_t k = 0; k < g.size(); ++k) {
        if (g.tournament_score[k] > g.tournament_score[best]) best = k;
        if (g.tournament_score[k] < g.tournament_score[worst]) worst = k;
    }
    ASSERT_NE(best, worst);
    EXPECT_GT(g.transfers[best], g.transfers[worst]);
}

// Learning by doing and imitation raise productivity.
TEST(Technology, LearningAndImitationRaiseProductivity) {
    const auto base = quiet_baseline();
    auto learning = base;
    learning.technology.learning_rate = 0.3;
    EXPECT_GT(sector_late(learning, "productivity", kCars), sector_late(base, "productivity", kCars));
    auto imitation = base;
    imitation.technology.imitation_rate = 0.05;
    EXPECT_GT(sector_late(imitation, "productivity", kCars), sector_late(base, "productivity", kCars));
}

// Subsidies attract entrants; without an entry rate there are none.
TEST(Demography, SubsidiesRaiseEntryAndZeroRateStopsIt) {
    const auto base = quiet_baseline();
    auto subsidised = base;
    subsidised.sectors[kCars].policy.output_subsidy = TimePath(0.2);
    EXPECT_GT(sector_total(subsidised, "entries", kCars), sector_total(base, "entries", kCars));
    auto closed = base;
    closed.firms.entry_rate = 0.0;
    EXPECT_EQ(sector_total(closed, "entries", kCars), 0.0);
}

// Misallocation: identical firms without distortions have none; soft credit and subsidies create some.
TEST(Outcomes, MisallocationNearZeroWithoutDistortionsPositiveWithThem) {
    auto clean = quiet_baseline();
    clean.firms.productivity_dispersion = 0.0;
    clean.firms.size_dispersion = 0.0;
    clean.firms.entry_rate = 0.0;
    clean.finance.soe_rate_discount = 0.0;
    clean.markets.demand_shock = 0.0;
    for (auto& s : clean.sectors) s.supply.soe_share = 0.0;
    EXPECT_LT(national_late(clean, "misallocation_tfp_gain"), 0.01);
    auto distorted = quiet_baseline();
    distorted.finance.soe_rate_discount = 0.03;
    distorted.local.focus_count = 1;
    for (auto& s : distorted.sectors) s.policy.investment_subsidy = TimePath(0.3);
    EXPECT_GT(national_late(distorted, "misallocation_tfp_gain"), national_late(clean, "misallocation_tfp_gain"));
}
