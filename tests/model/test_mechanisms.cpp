/*!
 * @file test_mechanisms.cpp
 * @brief Each mechanism and instrument moves outcomes in the direction economics predicts.
 *
 * Every test compares a small baseline with a variant that changes one thing, averaged over
 * the same seeds (common random numbers: the same seed gives the same initial firms and the
 * same draws for every mechanism the change does not touch), and checks the sign of the
 * difference with a strict inequality, usually with a minimum relative size. Each comparison
 * prints one "[ effect ]" line with both numbers, so a failure shows how far off it was.
 *
 * Central instruments reach firms located in China (investment subsidies and loan discounts
 * only Chinese-owned ones); local instruments reach Chinese-owned firms only in the focus
 * sectors of their local government. The quiet baseline switches off local focus and all state
 * funds, so that a test adds exactly one instrument. A direction the model gets wrong is kept
 * as a test that skips with "model: ..." and the numbers, rather than weakened.
 */
#include "mechanism_helpers.hpp"

// =============================================================================================
// Central instruments

// Economics: an output subsidy attracts capacity and entrants, capacity outruns demand and margins
// over cost shrink (price war); weaker firms enter and survive, so average productivity falls.
TEST(Instruments, OutputSubsidyRaisesCapacityLowersUtilisationAndPrice) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].policy.output_subsidy = introduced(0.2);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_increase("output subsidy: capacity (cars)", sector_late(b, "capacity", kCars), sector_late(v, "capacity", kCars), 0.05);
    expect_decrease("output subsidy: utilisation (cars)", sector_late(b, "utilization", kCars), sector_late(v, "utilization", kCars));
    expect_decrease("output subsidy: price-cost margin (cars)", sector_late(b, "price_cost_margin", kCars), sector_late(v, "price_cost_margin", kCars), 0.1);
    // The subsidy also draws in less productive entrants and keeps weak firms from exiting, which
    // raises the average unit cost: prices fall relative to cost, not necessarily in level.
    expect_increase("output subsidy: entries (cars)", sector_late(b, "entries", kCars), sector_late(v, "entries", kCars), 0.2);
    expect_decrease("output subsidy: productivity (cars)", sector_late(b, "productivity", kCars), sector_late(v, "productivity", kCars));
    report("output subsidy: price index (cars)", sector_late(b, "price", kCars), sector_late(v, "price", kCars));
}

// Accounting: a central subsidy is a central outlay; with no local focus local governments pay nothing.
TEST(Instruments, CentralOutputSubsidyIsPaidByTheCentre) {
    auto base = quiet_baseline();
    base.sectors[kCars].supply.foreign_share = 0.3;
    base.sectors[kCars].supply.localized_share = 0.8;
    auto variant = base;
    variant.sectors[kCars].policy.output_subsidy = introduced(0.2);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_increase("output subsidy: central subsidies (cars)", sector_late(b, "subsidies_central", kCars),
                    sector_late(v, "subsidies_central", kCars), 0.0);
    const double local = sector_total(v, "subsidies_local", kCars);
    report("output subsidy: local subsidies, whole run (cars)", sector_total(b, "subsidies_local", kCars), local);
    EXPECT_EQ(local, 0.0);
}

// Economics: an investment subsidy lowers the user cost of capital; firms hold more capacity idle.
TEST(Instruments, InvestmentSubsidyRaisesCapacityLowersUtilisation) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].policy.investment_subsidy = introduced(0.3);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_increase("investment subsidy: capacity (cars)", sector_late(b, "capacity", kCars), sector_late(v, "capacity", kCars), 0.05);
    expect_decrease("investment subsidy: utilisation (cars)", sector_late(b, "utilization", kCars), sector_late(v, "utilization", kCars), 0.03);
}

// Economics: a super-deduction lowers the after-tax price of R&D: more R&D, faster catch-up.
TEST(Instruments, RdTaxCreditRaisesRdAndProductivity) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kChips].policy.rd_tax_credit = introduced(1.0);
    const std::vector<Probe> probes = {chinese_mean_productivity(kChips)};
    const auto b = simulate(base, probes);
    const auto v = simulate(variant, probes);
    expect_increase("R&D credit: R&D spending (chips)", sector_late(b, "rd", kChips), sector_late(v, "rd", kChips), 0.10);
    expect_increase("R&D credit: productivity (chips)", sector_late(b, "productivity", kChips), sector_late(v, "productivity", kChips));
    expect_increase("R&D credit: Chinese firms' productivity (chips)", b.probes[0], v.probes[0], 0.01);
}

// Economics: a tax rebate is a tax expenditure: firms pay less tax, the fiscal cost rises.
TEST(Instruments, TaxRebateLowersTaxesRaisesFiscalCost) {
    const auto base = quiet_baseline();
    auto variant = base;
    for (auto& s : variant.sectors) {
        s.policy.tax_rebate = introduced(0.4);
    }
    const std::vector<Probe> probes = {
        firm_sum([](const auto& f, std::size_t i) { return f.localized[i] != 0; },
                 [](const auto& f, std::size_t i) { return f.tax_local[i]; }),  // a fixed share of the tax paid
        firm_sum([](const auto&, std::size_t) { return true; },                 // taxes and interest forgone
                 [](const auto& f, std::size_t i) { return f.fiscal_support[i] - f.subsidy_central[i] - f.subsidy_local[i]; })};
    const auto b = simulate(base, probes);
    const auto v = simulate(variant, probes);
    expect_decrease("tax rebate: corporate tax paid (local part)", b.probes[0], v.probes[0], 0.2);
    expect_increase("tax rebate: tax expenditure", b.probes[1], v.probes[1], 0.0);
    expect_increase("tax rebate: fiscal cost", national_late(b, "fiscal_cost"), national_late(v, "fiscal_cost"), 0.0);
}

// Economics: preferential loans lower the user cost of capital, so firms build more capacity.
TEST(Instruments, LoanDiscountRaisesCapacity) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].policy.loan_discount = introduced(0.03);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_increase("loan discount: capacity (cars)", sector_late(b, "capacity", kCars), sector_late(v, "capacity", kCars), 0.02);
}

// Economics: reserving public procurement for domestic suppliers shifts China's market to them.
TEST(Instruments, ProcurementShareRaisesDomesticShare) {
    auto base = quiet_baseline();
    base.sectors[kChips].demand.procurement_segment = 0.4;
    auto variant = base;
    variant.sectors[kChips].policy.procurement_share = introduced(1.0);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_increase("procurement: domestic share (chips)", sector_late(b, "domestic_share", kChips),
                    sector_late(v, "domestic_share", kChips), 0.03);
    expect_increase("procurement: Chinese-firm share (chips)", sector_late(b, "chinese_firm_share", kChips),
                    sector_late(v, "chinese_firm_share", kChips), 0.03);
}

// Economics: a localization requirement moves foreign production into China, which transfers technology.
TEST(Instruments, LocalizationRaisesLocalizedForeignFirmsAndTransfer) {
    auto base = quiet_baseline();
    base.sectors[kChips].supply.foreign_share = 0.4;
    base.sectors[kChips].supply.localized_share = 0.2;
    auto variant = base;
    variant.sectors[kChips].policy.localization_requirement = introduced(1.0);
    const auto chips_localized_foreign = [](const auto& f, std::size_t i) { return in_sector(f, i, kChips) && localized_foreign(f, i); };
    const std::vector<Probe> probes = {firm_sum(chips_localized_foreign, [](const auto&, std::size_t) { return 1.0; }),
                                       firm_sum(chips_localized_foreign, [](const auto& f, std::size_t i) { return f.output[i]; }),
                                       chinese_mean_productivity(kChips)};
    const auto b = simulate(base, probes);
    const auto v = simulate(variant, probes);
    expect_increase("localization: localized foreign firms (chips)", b.probes[0], v.probes[0], 0.5);
    expect_increase("localization: their output (chips)", b.probes[1], v.probes[1], 0.5);
    expect_increase("localization: Chinese firms' productivity (chips)", b.probes[2], v.probes[2], 0.01);
    // The productivity gain is technology transfer: without it, localization brings (almost) none.
    auto base_no_transfer = base;
    base_no_transfer.technology.transfer_boost = 0.0;
    auto variant_no_transfer = variant;
    variant_no_transfer.technology.transfer_boost = 0.0;
    const auto bn = simulate(base_no_transfer, probes);
    const auto vn = simulate(variant_no_transfer, probes);
    // Localization also raises the mean by selection (localized foreign firms lower the rival cost
    // that China-located prices converge to, and weak Chinese firms exit), so the transfer channel
    // is isolated as what switching transfer on adds, with and without localization.
    report("localization: productivity added by transfer, without vs with localization", b.probes[2] - bn.probes[2], v.probes[2] - vn.probes[2]);
    EXPECT_GT(v.probes[2], vn.probes[2]) << "transfer adds productivity when foreign firms localize";
}

// Economics: restricting foreign firms' access to China's market shifts it to Chinese firms.
TEST(Instruments, MarketAccessRestrictionRaisesDomesticShare) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kChips].policy.market_access_restriction = introduced(1.0);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_increase("market access: domestic share (chips)", sector_late(b, "domestic_share", kChips),
                    sector_late(v, "domestic_share", kChips), 0.03);
    expect_increase("market access: Chinese-firm share (chips)", sector_late(b, "chinese_firm_share", kChips),
                    sector_late(v, "chinese_firm_share", kChips), 0.03);
}

// Economics: cluster programmes speed up knowledge spillovers (imitation) in supported places.
TEST(Instruments, ClusterSupportRaisesProductivityInFocusSectors) {
    auto base = all_focus_baseline();
    base.firms.productivity_dispersion = 0.5;  // room to imitate
    auto variant = base;
    variant.sectors[kChips].policy.cluster_support = introduced(1.0);
    const auto b = simulate(base, {chinese_mean_productivity(kChips)});
    const auto v = simulate(variant, {chinese_mean_productivity(kChips)});
    ASSERT_GT(sector_late(b, "focus_governments", kChips), 0.0) << "chips must be a focus sector";
    expect_increase("cluster support: Chinese firms' productivity (chips)", b.probes[0], v.probes[0], 0.01);
    expect_increase("cluster support: productivity (chips)", sector_late(b, "productivity", kChips), sector_late(v, "productivity", kChips));
}

// Economics: cluster support only works where a local government runs a programme.
TEST(Instruments, ClusterSupportNeedsFocus) {
    auto base = quiet_baseline();
    base.firms.productivity_dispersion = 0.5;
    auto variant = base;
    variant.sectors[kChips].policy.cluster_support = introduced(1.0);
    const auto b = simulate(base, {chinese_mean_productivity(kChips)});
    const auto v = simulate(variant, {chinese_mean_productivity(kChips)});
    report("cluster support without focus: productivity (chips)", b.probes[0], v.probes[0]);
    EXPECT_EQ(b.probes[0], v.probes[0]);
}

// Economics: a capacity-removal programme (steel 2016-2020) retires the least productive capacity
// and approves no new plants, so the sector runs fuller with fewer, more productive firms.
TEST(Instruments, CapacityCutRetiresTheLeastProductiveCapacity) {
    auto base = quiet_baseline();
    base.firms.productivity_dispersion = 0.5;
    auto cut = base;
    cut.sectors[kSteel].policy.capacity_cut = introduced(0.05);
    const auto b = simulate(base, {chinese_mean_productivity(kSteel)});
    const auto c = simulate(cut, {chinese_mean_productivity(kSteel)});
    expect_decrease("capacity cut: capacity (steel)", sector_late(b, "capacity", kSteel), sector_late(c, "capacity", kSteel), 0.1);
    expect_increase("capacity cut: utilisation (steel)", sector_late(b, "utilization", kSteel), sector_late(c, "utilization", kSteel));
    expect_increase("capacity cut: capacity scrapped (steel)", sector_total(b, "scrapped", kSteel), sector_total(c, "scrapped", kSteel));
    expect_increase("capacity cut: mean productivity of Chinese firms (steel)", b.probes[0], c.probes[0]);
    EXPECT_GT(sector_total(b, "entries", kSteel), 0.0);
    EXPECT_EQ(sector_total(c, "entries", kSteel), 0.0) << "no new plants are approved while the programme runs";
    expect_decrease("capacity cut: firms (steel)", sector_late(b, "firms", kSteel), sector_late(c, "firms", kSteel));
}

// Channel control: the programme is a central instrument; with central policy off it does nothing.
TEST(Instruments, CapacityCutIsCentralPolicy) {
    auto base = quiet_baseline();
    base.policy_scale.central = TimePath{0.0};
    auto cut = base;
    cut.sectors[kSteel].policy.capacity_cut = introduced(0.05);
    expect_same_sector_series(base, cut, "capacity", kSteel);
}

// =============================================================================================
// Rest of the world

// Economics: cutting off foreign chips idles component-dependent car capacity and lowers chip imports.
TEST(WorldShocks, ExportControlOnChipsLowersCarOutputAndChipImports) {
    auto base = quiet_baseline();
    base.sectors[kCars].technology.component_intensity = 0.6;
    auto variant = base;
    variant.sectors[kChips].world.export_control.points = {{2015.0, 0.0}, {2017.0, 1.0}};
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_decrease("export control: usable capacity (cars)", sector_late(b, "capacity", kCars), sector_late(v, "capacity", kCars), 0.02);
    expect_decrease("export control: output (cars)", sector_late(b, "output", kCars), sector_late(v, "output", kCars), 0.01);
    expect_decrease("export control: import share (chips)", sector_late(b, "import_share", kChips), sector_late(v, "import_share", kChips), 0.05);
    // The fall in car output comes from the component constraint: without component dependence
    // the same export control leaves car output (nearly) unchanged.
    auto base_free = base;
    base_free.sectors[kCars].technology.component_intensity = 0.0;
    auto variant_free = variant;
    variant_free.sectors[kCars].technology.component_intensity = 0.0;
    const auto bf = simulate(base_free);
    const auto vf = simulate(variant_free);
    const double loss = sector_late(b, "output", kCars) - sector_late(v, "output", kCars);
    const double loss_free = sector_late(bf, "output", kCars) - sector_late(vf, "output", kCars);
    report("export control: car output lost, without vs with components", loss_free, loss);
    EXPECT_LT(std::abs(loss_free), 0.25 * loss);
}

// Economics: a tariff abroad makes Chinese exports dearer there: fewer exports, lower world share.
TEST(WorldShocks, ForeignTariffLowersExportsAndWorldShare) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.sectors[kCars].world.tariff = introduced(0.5);
    const auto b = simulate(base);
    const auto v = simulate(variant);
    expect_decrease("tariff: exports (cars)", sector_late(b, "exports", kCars), sector_late(v, "exports", kCars), 0.1);
    expect_decrease("tariff: world share (cars)", sector_late(b, "world_share", kCars), sector_late(v, "world_share", kCars), 0.05);
}

// Rule: the trigger tariff is imposed once world share and subsidy intensity pass the thresholds, else never.
TEST(WorldShocks, TariffTriggerFiresOnlyPastThresholds) {
    auto low = quiet_baseline();
    low.sectors[kCars].policy.output_subsidy = introduced(0.1);
    low.sectors[kCars].world.tariff_trigger = true;
    low.sectors[kCars].world.trigger_tariff = 0.3;
    low.sectors[kCars].world.trigger_world_share = 0.05;
    low.sectors[kCars].world.trigger_subsidy_intensity = 0.001;
    auto high = low;
    high.sectors[kCars].world.trigger_world_share = 0.95;
    high.sectors[kCars].world.trigger_subsidy_intensity = 0.5;
    const auto l = simulate(low);
    const auto h = simulate(high);
    report("tariff trigger: tariff in force (cars), high vs low thresholds", sector_late(h, "tariff", kCars), sector_late(l, "tariff", kCars));
    EXPECT_NEAR(sector_late(l, "tariff", kCars), 0.3, 1e-12);
    EXPECT_EQ(sector_total(h, "tariff", kCars), 0.0);
    expect_decrease("tariff trigger: exports (cars)", sector_late(h, "exports", kCars), sector_late(l, "exports", kCars), 0.05);
}

// =============================================================================================
// State funds

namespace {

/*! A national chips fund investing 2016-2020. */
model::NationalFund chips_fund(double pledged, double paid_in_share) {
    model::NationalFund fund;
    fund.name = "chips_fund";
    fund.sectors = {"chips"};
    fund.pledged = pledged;
    fund.paid_in_share = paid_in_share;
    fund.start_year = 2016.0;
    fund.investment_years = 4.0;
    return fund;
}

}  // namespace

// Rule: a fund calls pledged x paid-in share over its investment period; a larger pledge invests more.
TEST(Funds, LargerPledgeRaisesPaidInExactlyAndInvestment) {
    auto base = quiet_baseline();
    base.funds.national = {chips_fund(20.0, 0.6)};
    auto variant = base;
    variant.funds.national[0].pledged = 60.0;
    const auto b = simulate(base);
    const auto v = simulate(variant);
    const auto paid = metric(Scope::national, "funds_paid_in");
    // Quarter index t covers year 2015 + t/4: the period 2016-2020 is quarters 4..19.
    for (const auto* runs : {&b, &v}) {
        const double pledged = runs == &b ? 20.0 : 60.0;
        for (const auto& records : runs->records) {
            EXPECT_EQ(records[3].national_value(paid), 0.0);
            EXPECT_NEAR(records[11].national_value(paid), 0.5 * 0.6 * pledged, 1e-9 * pledged);
            EXPECT_NEAR(records[19].national_value(paid), 0.6 * pledged, 1e-9 * pledged);
            EXPECT_NEAR(records.back().national_value(paid), 0.6 * pledged, 1e-9 * pledged);
        }
    }
    const double extra_paid = national_late(v, "funds_paid_in") - national_late(b, "funds_paid_in");
    note("fund pledge +40: extra paid-in capital (expected 24)", extra_paid);
    EXPECT_NEAR(extra_paid, 40.0 * 0.6, 1e-9);
    // Funds cannot place all of it: one injection buys at most max_stake of a firm.
    expect_increase("fund pledge: equity injected over the run (chips)", sector_total(b, "fund_equity", kChips),
                    sector_total(v, "fund_equity", kChips), 0.25);
    expect_increase("fund pledge: cumulative invested", national_late(b, "funds_invested"), national_late(v, "funds_invested"), 0.15);
    EXPECT_LE(national_late(v, "funds_invested"), national_late(v, "funds_paid_in") + 1e-9) << "funds invest only what was paid in";
    EXPECT_EQ(sector_total(v, "fund_equity", kCars), 0.0) << "the mandate is chips only";
}

// Rule: funds carry a holding's capital at the lower of book value and recoverable amount (the
// higher of after-tax smoothed operating profit capitalised at funds.valuation_rate and the
// distress-sale value), so stakes in firms that earn too little are impaired; the mark is
// reporting only and moves no other series.
TEST(Funds, StakesInFirmsThatEarnTooLittleAreMarkedBelowBook) {
    auto base = quiet_baseline();
    base.funds.national = {chips_fund(60.0, 1.0)};
    auto lenient = base;
    lenient.funds.valuation_rate = 1e-12;  // earnings value far above book for every profitable firm
    auto strict = base;
    strict.funds.valuation_rate = 0.5;
    const double sale_price = base.finance.distress_sale_price;
    const Probe book_equity_held = firm_sum([](const model::Firms&, std::size_t) { return true; }, [](const model::Firms& f, std::size_t i) { return f.fund_stake[i] * std::max(0.0, f.cash[i] + f.capital[i] - f.debt[i]); });
    // The lenient limit: profitable firms at book, loss-making ones at their capital's sale value.
    const Probe lenient_mark = firm_sum([](const model::Firms&, std::size_t) { return true; }, [sale_price](const model::Firms& f, std::size_t i) {
        const double capital = f.smoothed_profit[i] > 0.0 ? f.capital[i] : sale_price * f.capital[i];
        return f.fund_stake[i] * std::max(0.0, f.cash[i] + capital - f.debt[i]); });
    const auto b = simulate(base, {book_equity_held});
    const auto l = simulate(lenient, {lenient_mark});
    const auto s = simulate(strict);
    const double book = b.probes[0];
    const double marked = national_late(b, "funds_portfolio_value");
    report("fund holdings: book equity -> marked (valuation rate 0.08)", book, marked);
    EXPECT_NEAR(national_late(l, "funds_portfolio_value"), l.probes[0], 1e-9 * l.probes[0])
        << "with a negligible valuation rate only loss-making holdings are impaired, to their sale value";
    EXPECT_LT(marked, book) << "some holdings earn less than their capital at 8% a year";
    expect_decrease("fund holdings: marked value, valuation rate 0.08 -> 0.5", marked, national_late(s, "funds_portfolio_value"), 0.1);
    const auto paid = metric(Scope::national, "funds_paid_in");
    for (std::size_t t = 0; t < b.records[0].size(); ++t) {
        ASSERT_EQ(b.records[0][t].national_value(paid), s.records[0][t].national_value(paid)) << "quarter " << t;
    }
    expect_same_sector_series(base, strict, "fund_equity", kChips);
    expect_same_sector_series(base, strict, "output", kChips);
}

// Rule: a local guidance fund invests only in its own government's focus sectors.
TEST(Funds, LocalGuidanceFundsInvestOnlyInFocusSectors) {
    auto sc = quiet_baseline();
    sc.funds.local_per_government = 1.0;
    sc.local.focus_count = 1;
    sc.local.weight_advantage = 0.0;
    sc.local.weight_herding = 0.0;
    sc.local.focus_noise = 0.0;
    for (auto& s : sc.sectors) {
        s.policy.priority = 0.1;
    }
    for (const std::size_t focus : {kChips, kSteel}) {
        auto variant = sc;
        variant.sectors[focus].policy.priority = 1.0;  // every government focuses on this sector only
        const auto r = simulate(variant);
        for (std::size_t s = 0; s < kSectors; ++s) {
            const double equity = sector_total(r, "fund_equity", s);
            note("guidance funds, focus " + variant.sectors[focus].name + ": equity in " + variant.sectors[s].name, equity);
            if (s == focus) {
                EXPECT_GT(equity, 1.0) << "focus sector " << s;
            } else {
                EXPECT_EQ(equity, 0.0) << "sector " << s << " is no government's focus";
            }
        }
    }
}

// Rule: each guidance fund invests only in its owner's focus sector, even when owners focus on different sectors.
TEST(Funds, GuidanceFundEquityMatchesOwnersFocus) {
    auto sc = quiet_baseline();
    sc.funds.local_per_government = 1.0;
    sc.local.per_region = 3;
    sc.local.focus_count = 1;  // a fund's mandate is then exactly one sector
    const auto flow = metric(Scope::sector, "fund_equity");
    std::vector<double> funded(kSectors, 0.0);
    for (int seed = kFirstSeed; seed < kFirstSeed + kSeeds; ++seed) {
        model::Simulation sim(sc, static_cast<std::uint64_t>(seed));
        std::vector<double> invested_before(sim.state().funds.size(), 0.0);
        while (sim.steps_done() < sim.steps_total()) {
            sim.step();
            const auto& st = sim.state();
            // Attribute each fund's new investment to its owner's focus sector.
            std::vector<double> expected(kSectors, 0.0);
            for (std::size_t k = 0; k < st.funds.size(); ++k) {
                const double delta = st.funds.invested[k] - invested_before[k];
                invested_before[k] = st.funds.invested[k];
                const auto g = static_cast<std::size_t>(st.funds.government[k]);
                for (std::size_t s = 0; s < kSectors; ++s) {
                    if (st.governments.focus[g * kSectors + s] != 0) {
                        expected[s] += delta;
                    }
                }
            }
            for (std::size_t s = 0; s < kSectors; ++s) {
                const double actual = sim.record().sector_value(flow, s);
                ASSERT_NEAR(actual, expected[s], 1e-9 * (1.0 + actual)) << "seed " << seed << ", quarter " << st.step << ", sector " << s;
                funded[s] += actual;
            }
        }
    }
    const auto sectors_funded = std::count_if(funded.begin(), funded.end(), [](double x) { return x > 0.0; });
    note("guidance funds, owners with different focus: sectors funded", static_cast<double>(sectors_funded));
    EXPECT_GE(sectors_funded, 2) << "owners should focus on different sectors for the test to mean something";
}

// Economics: state-fund presence crowds bank credit away from unbacked private firms: they invest less.
TEST(Funds, CrowdingOutLowersPrivateInvestment) {
    auto base = quiet_baseline();
    base.sectors[kChips].demand.china_growth = TimePath(0.15);  // growth that needs bank credit
    model::NationalFund fund;
    fund.name = "chips_fund";
    fund.sectors = {"chips"};
    fund.pledged = 400.0;
    fund.investment_years = 4.0;
    base.funds.national = {fund};
    base.funds.picks = 8;
    base.funds.candidates = 32;
    base.finance.crowding_out = 0.0;
    auto variant = base;
    variant.finance.crowding_out = 1.0;
    const auto unbacked_private_chips = [](const auto& f, std::size_t i) {
        return in_sector(f, i, kChips) && f.ownership[i] == static_cast<std::uint8_t>(Ownership::private_firm) && f.fund_stake[i] == 0.0;
    };
    const std::vector<Probe> probes = {firm_sum(unbacked_private_chips, [](const auto& f, std::size_t i) { return f.debt[i]; }),
                                       firm_sum(unbacked_private_chips, [](const auto& f, std::size_t i) { return f.investment[i]; }),
                                       firm_sum(unbacked_private_chips, [](const auto& f, std::size_t i) { return f.capacity[i]; })};
    const auto b = simulate(base, probes, 24);
    const auto v = simulate(variant, probes, 24);
    expect_decrease("crowding out: bank debt of unbacked private firms (chips)", b.probes[0], v.probes[0], 0.05);
    expect_decrease("crowding out: investment of unbacked private firms (chips)", b.probes[1], v.probes[1], 0.02);
    expect_decrease("crowding out: capacity of unbacked private firms (chips)", b.probes[2], v.probes[2], 0.005);
}

// =============================================================================================
// Soft budget constraint

namespace {

/*! A demand bust in cars from 2018 (demand falls 20% a year) hitting firms that start highly
 *  leveraged, so that losses make some of them insolvent before the end of the run. */
model::Scenario distressed_baseline() {
    auto sc = quiet_baseline(1000, 56);
    sc.sectors[kCars].demand.china_growth.points = {{2015.0, 0.06}, {2018.0, -0.2}};
    sc.sectors[kCars].demand.world_growth.points = {{2015.0, 0.03}, {2018.0, -0.2}};
    sc.sectors[kCars].supply.soe_share = 0.5;  // enough SOEs for the default soft budget to matter
    sc.finance.initial_leverage = 0.9;
    return sc;
}

void set_bailouts(model::Scenario& sc, double p) {
    sc.finance.bailout_soe = p;
    sc.finance.bailout_fund_backed = p;
    sc.finance.bailout_private = p;
}

}  // namespace

// Economics: soft budgets (bail-outs) mean fewer exits and more zombies; a hard budget means more exits.
TEST(SoftBudget, BailoutsLowerExitsRaiseZombiesHardBudgetRaisesExits) {
    const auto base = distressed_baseline();
    auto soft = base;
    set_bailouts(soft, 1.0);
    auto hard = base;
    set_bailouts(hard, 0.0);
    hard.finance.bailout_foreign = 0.0;
    const auto b = simulate(base);
    const auto s = simulate(soft);
    const auto h = simulate(hard);
    ASSERT_GT(sector_total(b, "exits", kCars), 10.0) << "the bust must make firms insolvent";
    expect_decrease("soft budget: exits over the run (cars)", sector_total(b, "exits", kCars), sector_total(s, "exits", kCars), 0.5);
    expect_increase("hard budget: exits over the run (cars)", sector_total(b, "exits", kCars), sector_total(h, "exits", kCars), 0.01);
    expect_increase("soft budget: zombies (cars)", sector_late(b, "zombies", kCars, 16), sector_late(s, "zombies", kCars, 16), 0.05);
    expect_increase("soft vs hard budget: zombie share", national_late(h, "zombie_share", 16), national_late(s, "zombie_share", 16), 0.05);
}

// =============================================================================================
// Local governments and the centre

namespace {

/*! Forty local governments (ten per region) that each pick one focus sector. */
model::Scenario many_governments(std::int64_t quarters = 40) {
    auto sc = test::small_scenario(1200, quarters);
    sc.funds.national.clear();
    sc.local.per_region = 10;
    sc.local.focus_count = 1;
    return sc;
}

/*! Largest number of governments focusing on one sector (seed mean of the late mean). */
std::pair<double, std::size_t> most_popular(const Runs& r) {
    double best = -1.0;
    std::size_t which = 0;
    for (std::size_t s = 0; s < kSectors; ++s) {
        const double n = sector_late(r, "focus_governments", s, 4);
        if (n > best) {
            best = n;
            which = s;
        }
    }
    return {best, which};
}

}  // namespace

// Economics: herding (copying peers' choices) concentrates local focus on the same sector.
TEST(LocalGovernments, HerdingConcentratesFocus) {
    auto base = many_governments(24);
    base.local.weight_herding = 0.0;
    auto herd = base;
    herd.local.weight_herding = 4.0;
    const auto b = simulate(base);
    const auto h = simulate(herd);
    expect_increase("herding: governments on the most popular sector", most_popular(b).first, most_popular(h).first, 0.1);
}

// Economics: coordination caps the governments chasing a sector, and so duplicated overcapacity.
TEST(LocalGovernments, CoordinationCapsFocusAndOvercapacity) {
    auto chosen = many_governments(48);
    chosen.local.weight_herding = 4.0;
    auto coordinated = chosen;
    coordinated.central.coordination = true;
    coordinated.central.coordination_regions_per_sector = 1;
    const auto f = simulate(chosen);
    const auto c = simulate(coordinated);
    const auto [crowd, sector] = most_popular(f);
    const auto& name = chosen.sectors[sector].name;
    const auto focus = metric(Scope::sector, "focus_governments");
    const auto cap = static_cast<double>(coordinated.local.per_region * coordinated.central.coordination_regions_per_sector);
    for (const auto& records : c.records) {
        for (const auto& r : records) {
            for (std::size_t s = 0; s < kSectors; ++s) {
                ASSERT_LE(r.sector_value(focus, s), cap) << "at most one region's governments per sector";
            }
        }
    }
    expect_decrease("coordination: governments on " + name, crowd, sector_late(c, "focus_governments", sector, 4), 0.2);
    expect_decrease("coordination: capacity (" + name + ")", sector_late(f, "capacity", sector), sector_late(c, "capacity", sector), 0.01);
    expect_increase("coordination: utilisation (" + name + ")", sector_late(f, "utilization", sector), sector_late(c, "utilization", sector));
}

namespace {

/*! Local support on in every sector; no central transfers and high initial local debt, so that
 *  local debt stays of the order of a year's revenue instead of being paid off by transfers. */
model::Scenario indebted_locals() {
    auto sc = all_focus_baseline();
    sc.central.transfer_pool = 0.0;
    for (auto& r : sc.regions) {
        r.debt = 150.0;
    }
    return sc;
}

}  // namespace

// Economics: a tighter debt limit forces local governments to cut support (multiplier, subsidies).
TEST(LocalGovernments, LowerDebtLimitCutsSupport) {
    const auto base = indebted_locals();
    auto tight = base;
    tight.local.debt_limit = 0.5;
    const auto b = simulate(base);
    const auto t = simulate(tight);
    const std::size_t all = static_cast<std::size_t>(base.time.quarters);
    expect_decrease("debt limit: support multiplier", region_late(b, "support_multiplier", all), region_late(t, "support_multiplier", all), 0.2);
    double base_local = 0.0;
    double tight_local = 0.0;
    for (std::size_t s = 0; s < kSectors; ++s) {
        base_local += sector_total(b, "subsidies_local", s);
        tight_local += sector_total(t, "subsidies_local", s);
    }
    expect_decrease("debt limit: local subsidies over the run, all sectors", base_local, tight_local, 0.2);
}

// Economics: spending obligations follow trend revenue, so a fall in land sales is borrowed.
TEST(LocalGovernments, LandRevenueFallRaisesDebt) {
    const auto base = indebted_locals();
    auto squeeze = base;
    squeeze.local.land_revenue_multiplier.points = {{2015.0, 1.0}, {2018.0, 0.5}};
    const auto b = simulate(base);
    const auto s = simulate(squeeze);
    expect_decrease("land revenue fall: land revenue", region_late(b, "land_revenue"), region_late(s, "land_revenue"), 0.3);
    expect_increase("land revenue fall: local debt", national_late(b, "local_debt"), national_late(s, "local_debt"), 0.1);
}

// Economics: local support goes to focus sectors only, and the supported sector builds more capacity.
TEST(LocalGovernments, LocalSupportGoesToFocusSectorsOnly) {
    auto sc = quiet_baseline();
    sc.local.focus_count = 1;
    sc.local.weight_advantage = 0.0;
    sc.local.weight_herding = 0.0;
    sc.local.focus_noise = 0.0;
    for (auto& s : sc.sectors) {
        s.policy.priority = 0.1;
    }
    auto chips_focus = sc;
    chips_focus.sectors[kChips].policy.priority = 1.0;
    auto steel_focus = sc;
    steel_focus.sectors[kSteel].policy.priority = 1.0;
    const auto c = simulate(chips_focus);
    const auto s = simulate(steel_focus);
    EXPECT_GT(sector_total(c, "subsidies_local", kChips), 1.0);
    EXPECT_EQ(sector_total(c, "subsidies_local", kCars), 0.0);
    EXPECT_EQ(sector_total(c, "subsidies_local", kSteel), 0.0);
    expect_increase("local focus on chips vs steel: capacity (chips)", sector_late(s, "capacity", kChips), sector_late(c, "capacity", kChips), 0.05);
    expect_increase("local focus on chips vs steel: entries (chips)", sector_total(s, "entries", kChips), sector_total(c, "entries", kChips), 0.2);
}

// Central SOEs answer to SASAC, not to the local government where they produce: local subsidies,
// the local capacity push and local backing in refinancing do not reach them, so a sector made of
// central SOEs builds less capacity under local support than the same sector of local SOEs.
TEST(LocalGovernments, CentralSoesAreOutOfLocalReach) {
    auto local = all_focus_baseline();
    local.sectors[kSteel].supply.soe_share = 0.95;
    auto central = local;
    central.sectors[kSteel].supply.central_soe_share = 1.0;
    const auto l = simulate(local);
    const auto c = simulate(central);
    expect_decrease("central SOEs: local subsidies to steel", sector_total(l, "subsidies_local", kSteel),
                    sector_total(c, "subsidies_local", kSteel), 0.5);
    expect_increase("central SOEs: steel utilisation", sector_late(l, "utilization", kSteel), sector_late(c, "utilization", kSteel));
    expect_decrease("central SOEs: steel capacity", sector_late(l, "capacity", kSteel), sector_late(c, "capacity", kSteel));
}

// Channel control: without local support (no focus sectors) the central flag changes nothing.
TEST(LocalGovernments, CentralSoesChangeNothingWithoutLocalSupport) {
    auto local = quiet_baseline();
    local.sectors[kSteel].supply.soe_share = 0.95;
    auto central = local;
    central.sectors[kSteel].supply.central_soe_share = 1.0;
    expect_same_sector_series(local, central, "capacity", kSteel);
}

// Economics (yardstick competition): faster growth in priority sectors earns larger central transfers.
TEST(CentralGovernment, TournamentTransfersRewardGrowth) {
    auto sc = test::small_scenario(1000, 24);
    sc.local.per_region = 5;
    double correlation_sum = 0.0;
    int cases = 0;
    int best_wins = 0;
    for (int seed = kFirstSeed; seed < kFirstSeed + kSeeds; ++seed) {
        model::Simulation sim(sc, static_cast<std::uint64_t>(seed));
        while (sim.steps_done() < sim.steps_total()) {
            sim.step();
            if (sim.steps_done() % 4 != 1 || sim.steps_done() < 8) {
                continue;  // just after a tournament, from the second
            }
            const auto& g = sim.state().governments;
            // Transfers per unit of size share: the size part is then the same for everyone.
            double size_total = 0.0;
            for (std::size_t k = 0; k < g.size(); ++k) {
                size_total += sc.regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k];
            }
            std::vector<double> per_size(g.size());
            for (std::size_t k = 0; k < g.size(); ++k) {
                per_size[k] = g.transfers[k] / (sc.regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k] / size_total);
            }
            const auto n = static_cast<double>(g.size());
            const double ms = std::accumulate(g.tournament_score.begin(), g.tournament_score.end(), 0.0) / n;
            const double mt = std::accumulate(per_size.begin(), per_size.end(), 0.0) / n;
            double sxy = 0.0, sxx = 0.0, syy = 0.0;
            std::size_t best = 0, worst = 0;
            for (std::size_t k = 0; k < g.size(); ++k) {
                sxy += (g.tournament_score[k] - ms) * (per_size[k] - mt);
                sxx += (g.tournament_score[k] - ms) * (g.tournament_score[k] - ms);
                syy += (per_size[k] - mt) * (per_size[k] - mt);
                if (g.tournament_score[k] > g.tournament_score[best]) {
                    best = k;
                }
                if (g.tournament_score[k] < g.tournament_score[worst]) {
                    worst = k;
                }
            }
            ASSERT_GT(sxx, 0.0);
            correlation_sum += sxy / std::sqrt(sxx * syy);
            best_wins += g.transfers[best] - g.transfers[worst] > 0.0 ? 1 : 0;
            ++cases;
        }
    }
    ASSERT_GT(cases, 0);
    const double correlation = correlation_sum / cases;
    note("tournament: corr(score, transfer per size share)", correlation);
    EXPECT_GT(correlation, 0.5);
    EXPECT_GT(best_wins, cases * 3 / 4) << "top-ranked got more than bottom-ranked in " << best_wins << " of " << cases;
}

// =============================================================================================
// Technology

// Economics: learning by doing: productivity rises with cumulative output.
TEST(Technology, LearningByDoingRaisesProductivity) {
    const auto base = quiet_baseline();
    auto variant = base;
    variant.technology.learning_rate = 0.15;
    const auto b = simulate(base, {chinese_mean_productivity(kCars)});
    const auto v = simulate(variant, {chinese_mean_productivity(kCars)});
    expect_increase("learning: Chinese firms' productivity (cars)", b.probes[0], v.probes[0], 0.05);
    expect_increase("learning: productivity (cars)", sector_late(b, "productivity", kCars), sector_late(v, "productivity", kCars), 0.02);
}

// Economics: imitation closes laggards' gap to domestic best practice.
TEST(Technology, ImitationRaisesLaggardsProductivity) {
    auto base = quiet_baseline();
    base.firms.productivity_dispersion = 0.4;
    auto variant = base;
    variant.technology.imitation_rate = 0.05;
    const std::vector<Probe> probes = {chinese_productivity_quantile(kCars, 0.1), chinese_productivity_quantile(kCars, 0.25)};
    const auto b = simulate(base, probes);
    const auto v = simulate(variant, probes);
    expect_increase("imitation: 10th-percentile productivity (cars)", b.probes[0], v.probes[0], 0.1);
    expect_increase("imitation: 25th-percentile productivity (cars)", b.probes[1], v.probes[1], 0.05);
}

// Economics: R&D's second face (Cohen and Levinthal 1989; Griffith, Redding and Van Reenen 2004):
// firms behind the world frontier absorb its technology faster the more R&D they do, so an R&D
// credit raises catch-up by more when absorption is on than when only innovation responds.
TEST(Technology, AbsorptionMakesRdCatchUpToTheWorldFrontier) {
    const auto base = quiet_baseline();
    auto absorbing = base;
    absorbing.technology.frontier_absorption = 0.01;
    auto credit = base;
    credit.sectors[kChips].policy.rd_tax_credit = introduced(1.0);
    auto absorbing_credit = absorbing;
    absorbing_credit.sectors[kChips].policy.rd_tax_credit = introduced(1.0);
    const std::vector<Probe> probes = {chinese_mean_productivity(kChips)};
    const double without = simulate(base, probes).probes[0];
    const double with = simulate(absorbing, probes).probes[0];
    expect_increase("absorption: Chinese firms' productivity (chips)", without, with, 0.02);
    const double credit_gain_without = simulate(credit, probes).probes[0] - without;
    const double credit_gain_with = simulate(absorbing_credit, probes).probes[0] - with;
    expect_increase("absorption: productivity gain from an R&D credit (chips)", credit_gain_without, credit_gain_with, 0.1);
}

// Channel control: absorption draws on foreign technology, so with access cut off entirely in
// every sector (export controls times a setback that removes all access) it changes nothing.
TEST(Technology, AbsorptionNeedsAccessToForeignTechnology) {
    auto base = quiet_baseline();
    for (auto& sector : base.sectors) {
        sector.technology.component_intensity = std::max(sector.technology.component_intensity, 0.3);
        sector.world.export_control = model::TimePath(1.0);
    }
    base.technology.export_control_setback = 10.0;  // access = max(0, 1 - 10 x 0.3 x 1) = 0
    auto variant = base;
    variant.technology.frontier_absorption = 0.01;
    expect_same_sector_series(base, variant, "productivity", kChips);
}

// =============================================================================================
// Entry, exit, prices

// Economics: subsidies raise entrants' expected profits, so more firms enter; with no entry rate none do.
TEST(Demography, SubsidiesRaiseEntryZeroRateStopsIt) {
    const auto base = quiet_baseline();
    auto subsidised = base;
    subsidised.sectors[kCars].policy.output_subsidy = introduced(0.1);
    subsidised.sectors[kCars].policy.investment_subsidy = introduced(0.1);
    auto closed = subsidised;
    closed.firms.entry_rate = 0.0;
    const auto b = simulate(base);
    const auto s = simulate(subsidised);
    const auto c = simulate(closed);
    expect_increase("subsidies: entries over the run (cars)", sector_total(b, "entries", kCars), sector_total(s, "entries", kCars), 0.2);
    double closed_entries = 0.0;
    for (std::size_t k = 0; k < kSectors; ++k) {
        closed_entries += sector_total(c, "entries", k);
    }
    EXPECT_EQ(closed_entries, 0.0);
}

// Economics: capacity far beyond demand sets off a price war that cuts markups and margins.
TEST(Markets, OvercapacityStartsPriceWar) {
    const auto base = quiet_baseline();
    auto glut = base;
    glut.sectors[kCars].policy.investment_subsidy = introduced(0.7);
    auto glut_no_war = glut;
    glut_no_war.markets.price_war_sensitivity = 0.0;
    const std::vector<Probe> probes = {firm_weighted_mean([](const auto& f, std::size_t i) { return in_sector(f, i, kCars) && f.localized[i] != 0; },
                                                          [](const auto& f, std::size_t i) { return f.markup[i]; })};
    const auto b = simulate(base, probes);
    const auto g = simulate(glut, probes);
    const auto n = simulate(glut_no_war, probes);
    expect_decrease("glut: utilisation (cars)", sector_late(b, "utilization", kCars), sector_late(g, "utilization", kCars), 0.1);
    expect_decrease("glut: markup of China-located firms (cars)", b.probes[0], g.probes[0], 0.1);
    expect_decrease("glut: margin (cars)", sector_late(b, "margin", kCars), sector_late(g, "margin", kCars), 0.1);
    expect_decrease("glut: markup with vs without price wars (cars)", n.probes[0], g.probes[0], 0.1);
}

// The mirror of the price war: when a capacity-removal programme leaves steel short, sellers raise
// markups if scarcity pricing is on; with it off (the default) markups never rise above normal.
TEST(Markets, ShortCapacityRaisesMarkupsWithScarcityPricing) {
    auto short_capacity = quiet_baseline();
    short_capacity.sectors[kSteel].policy.capacity_cut = introduced(0.05);
    auto scarcity = short_capacity;
    scarcity.markets.scarcity_sensitivity = 1.5;
    const std::vector<Probe> probes = {firm_weighted_mean([](const auto& f, std::size_t i) { return in_sector(f, i, kSteel) && f.localized[i] != 0; },
                                                          [](const auto& f, std::size_t i) { return f.markup[i]; })};
    const auto n = simulate(short_capacity, probes);
    const auto c = simulate(scarcity, probes);
    EXPECT_GT(sector_late(n, "utilization", kSteel), sector_late(n, "normal_utilization", kSteel)) << "the cut leaves steel short";
    expect_increase("short capacity: markup of China-located firms with scarcity pricing (steel)", n.probes[0], c.probes[0], 0.1);
    expect_increase("short capacity: price with scarcity pricing (steel)", sector_late(n, "price", kSteel), sector_late(c, "price", kSteel));
    expect_increase("short capacity: margin with scarcity pricing (steel)", sector_late(n, "margin", kSteel), sector_late(c, "margin", kSteel), 0.1);
}

// =============================================================================================
// Misallocation

// Measurement (Hsieh-Klenow): identical undistorted firms show no misallocation; dispersion and soft budgets do.
TEST(Outcomes, MisallocationZeroForIdenticalFirmsPositiveWithDistortions) {
    auto clean = quiet_baseline(600, 40);
    clean.firms.productivity_dispersion = 0.0;
    clean.firms.size_dispersion = 0.0;
    clean.firms.entry_rate = 0.0;
    clean.markets.demand_shock = 0.0;
    clean.technology.innovation_rate = 0.0;  // random innovations would separate the firms
    clean.finance.soe_rate_discount = 0.0;
    for (auto& s : clean.sectors) {
        s.supply.soe_share = 0.0;
        s.supply.foreign_share = 0.0;
    }
    auto distorted = clean;
    distorted.firms.productivity_dispersion = 0.25;
    distorted.firms.size_dispersion = 1.0;
    distorted.firms.entry_rate = 0.002;
    distorted.markets.demand_shock = 0.35;
    distorted.technology.innovation_rate = 1.0;
    set_bailouts(distorted, 1.0);
    distorted.local.focus_count = 1;
    const auto c = simulate(clean);
    const auto d = simulate(distorted);
    const double clean_gain = national_late(c, "misallocation_tfp_gain");
    report("misallocation: TFP gain, clean vs distorted", clean_gain, national_late(d, "misallocation_tfp_gain"));
    EXPECT_LT(std::abs(clean_gain), 1e-3);
    EXPECT_GT(national_late(d, "misallocation_tfp_gain"), 0.02);
}
