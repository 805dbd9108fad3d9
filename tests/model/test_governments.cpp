/*!
 * @file test_governments.cpp
 * @brief Government behaviour: central coordination, herding, and the local fiscal reaction rule.
 *
 * Same style as test_mechanisms.cpp: a baseline and a variant that changes one thing, run over
 * the same seeds (common random numbers), compared with strict inequalities, each comparison
 * printing both numbers on an "[ effect ]" line. Coordination is checked as an allocation rule
 * (every government keeps focus_count sectors; slots follow priority; sectors go to the strongest
 * location quotients; deterministic). The fiscal rule is checked against its no-reaction
 * variant (revenue_adaptation = consolidation_speed = 0: spending follows trend revenue, so a
 * revenue shock is borrowed one for one), each channel on its own, and against the books.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_loader.hpp"
#include "model/state.hpp"

using namespace ipsim;
using model::Scope;
using model::TimePath;

namespace {

constexpr int kSeeds = 4;

using Records = std::vector<model::StepRecord>;

std::size_t metric(Scope scope, const char* name) {
    const int m = model::metric_index(scope, name);
    EXPECT_GE(m, 0) << "unknown metric " << name;
    return static_cast<std::size_t>(std::max(m, 0));
}

/*! Records of seeds 1..kSeeds. */
std::vector<Records> simulate(const model::Scenario& sc) {
    std::vector<Records> out;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        out.push_back(test::run_records(sc, static_cast<std::uint64_t>(seed)));
    }
    return out;
}

double over_seeds(const std::vector<Records>& runs, const std::function<double(const Records&)>& f) {
    double sum = 0.0;
    for (const auto& r : runs) {
        sum += f(r);
    }
    return sum / static_cast<double>(runs.size());
}

/*! National metric at quarter t (seed mean). */
double national_at(const std::vector<Records>& runs, const char* name, std::size_t t) {
    const auto m = metric(Scope::national, name);
    return over_seeds(runs, [&](const Records& r) { return r[t].national_value(m); });
}

/*! National metric averaged over quarters [from, size) and seeds. */
double national_mean(const std::vector<Records>& runs, const char* name, std::size_t from) {
    const auto m = metric(Scope::national, name);
    return over_seeds(runs, [&](const Records& r) {
        double sum = 0.0;
        for (std::size_t t = from; t < r.size(); ++t) {
            sum += r[t].national_value(m);
        }
        return sum / static_cast<double>(r.size() - from);
    });
}

/*! Region metric summed over regions at quarter t. */
double region_sum(const model::StepRecord& r, std::size_t m) {
    double sum = 0.0;
    for (std::size_t g = 0; g < r.n_regions; ++g) {
        sum += r.region_value(m, g);
    }
    return sum;
}

/*! Channel control: two scenarios give bit-identical local debt in every quarter (seed 2). */
void expect_same_local_debt(const model::Scenario& x, const model::Scenario& y) {
    const auto a = test::run_records(x, 2);
    const auto b = test::run_records(y, 2);
    const auto debt = metric(Scope::national, "local_debt");
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t) {
        ASSERT_EQ(a[t].national_value(debt), b[t].national_value(debt)) << "quarter " << t;
    }
}

void report(const std::string& what, double base, double variant) {
    std::printf("[ effect   ] %-62s %12.5g -> %12.5g\n", what.c_str(), base, variant);
}

void note(const std::string& what, double value) { std::printf("[ effect   ] %-62s %12.5g\n", what.c_str(), value); }

void expect_increase(const std::string& what, double base, double variant, double min_rel = 0.0) {
    report(what, base, variant);
    EXPECT_GT(variant, base + min_rel * std::abs(base)) << what << ": baseline " << base << ", variant " << variant;
}

void expect_decrease(const std::string& what, double base, double variant, double min_rel = 0.0) {
    report(what, base, variant);
    EXPECT_LT(variant, base - min_rel * std::abs(base)) << what << ": baseline " << base << ", variant " << variant;
}

/*! 40 local governments (10 per region), no national funds. */
model::Scenario many_governments(std::int64_t quarters = 40, std::int64_t focus_count = 1) {
    auto sc = test::small_scenario(1200, quarters);
    sc.funds.national.clear();
    sc.local.per_region = 10;
    sc.local.focus_count = focus_count;
    return sc;
}

/*! Focus rows of every government after each yearly choice, for one seed. */
std::vector<std::vector<std::uint8_t>> focus_history(const model::Scenario& sc, std::uint64_t seed) {
    std::vector<std::vector<std::uint8_t>> out;
    model::Simulation sim(sc, seed);
    while (sim.steps_done() < sim.steps_total()) {
        sim.step();
        if (sim.steps_done() % 4 == 1) {
            out.push_back(sim.state().governments.focus);
        }
    }
    return out;
}

}  // namespace

// =============================================================================================
// Central coordination

// Design: coordination changes only which sectors are chosen. Every government keeps exactly
// focus_count distinct sectors, as under free choice, and the slots follow central priority.
TEST(Coordination, KeepsEveryFocusSlotAndSpreadsThemByPriority) {
    auto sc = many_governments(12, 1);
    sc.sectors[0].policy.priority = 1.0;  // chips
    sc.sectors[1].policy.priority = 0.6;  // cars
    sc.sectors[2].policy.priority = 0.1;  // steel: below coordination_min_priority
    sc.central.coordination = true;
    const std::size_t ns = sc.sectors.size();
    for (int seed = 1; seed <= kSeeds; ++seed) {
        for (const auto& focus : focus_history(sc, static_cast<std::uint64_t>(seed))) {
            const std::size_t ng = focus.size() / ns;
            ASSERT_EQ(ng, 40U);
            std::vector<int> per_sector(ns, 0);
            for (std::size_t g = 0; g < ng; ++g) {
                int count = 0;
                for (std::size_t s = 0; s < ns; ++s) {
                    count += focus[g * ns + s];
                    per_sector[s] += focus[g * ns + s];
                }
                ASSERT_EQ(count, 1) << "government " << g << " has exactly focus_count sectors";
            }
            // 40 slots in proportion 1 : 0.6 over the two priority sectors: 25 and 15.
            EXPECT_EQ(per_sector[0], 25);
            EXPECT_EQ(per_sector[1], 15);
            EXPECT_EQ(per_sector[2], 0) << "low-priority steel gets no slot while priority sectors can take them";
        }
    }
    // Free choice uses the same number of slots.
    auto free_choice = sc;
    free_choice.central.coordination = false;
    const auto c = simulate(sc);
    const auto f = simulate(free_choice);
    report("focus slots: free choice -> coordination", national_mean(f, "focus_slots", 0), national_mean(c, "focus_slots", 0));
    EXPECT_DOUBLE_EQ(national_mean(c, "focus_slots", 0), 40.0);
    EXPECT_DOUBLE_EQ(national_mean(f, "focus_slots", 0), 40.0);
}

// Design: low-priority sectors get slots only when slots are left over: with as many focus
// sectors as sectors, every government focuses on every sector, steel included.
TEST(Coordination, LowPrioritySectorsGetOnlyLeftoverSlots) {
    auto sc = many_governments(8, 3);
    sc.sectors[2].policy.priority = 0.1;
    sc.central.coordination = true;
    for (const auto& focus : focus_history(sc, 1)) {
        for (const auto x : focus) {
            ASSERT_EQ(x, 1);
        }
    }
    sc.local.focus_count = 2;  // 80 slots: chips and cars take 40 each, steel none
    for (const auto& focus : focus_history(sc, 1)) {
        for (std::size_t g = 0; g < focus.size() / 3; ++g) {
            ASSERT_EQ(focus[g * 3 + 0] + focus[g * 3 + 1], 2);
            ASSERT_EQ(focus[g * 3 + 2], 0);
        }
    }
}

// Design: each sector goes to the governments with the strongest comparative advantage.
TEST(Coordination, GivesEachSectorToTheStrongestLocationQuotients) {
    auto sc = test::small_scenario(1200, 4);
    sc.funds.national.clear();
    sc.local.focus_count = 1;
    sc.sectors[2].policy.priority = 0.1;
    sc.central.coordination = true;
    sc.regions[0].strengths = {{"chips", 6.0}};
    sc.regions[1].strengths = {{"cars", 6.0}};
    sc.regions[2].strengths = {{"chips", 4.0}};
    sc.regions[3].strengths = {{"cars", 4.0}};
    for (int seed = 1; seed <= kSeeds; ++seed) {
        const auto focus = focus_history(sc, static_cast<std::uint64_t>(seed)).front();
        EXPECT_EQ(focus[0 * 3 + 0], 1) << "r0 (chips strength 6) focuses on chips, seed " << seed;
        EXPECT_EQ(focus[2 * 3 + 0], 1) << "r2 (chips strength 4) focuses on chips, seed " << seed;
        EXPECT_EQ(focus[1 * 3 + 1], 1) << "r1 (cars strength 6) focuses on cars, seed " << seed;
        EXPECT_EQ(focus[3 * 3 + 1], 1) << "r3 (cars strength 4) focuses on cars, seed " << seed;
    }
}

// Design: the allocation is deterministic (no random draw, no dependence on threads).
TEST(Coordination, IsDeterministic) {
    auto sc = many_governments(12, 2);
    sc.central.coordination = true;
    EXPECT_EQ(focus_history(sc, 3), focus_history(sc, 3));
}

// Economics: with herding, free choice crowds the governments into the same sector; the centre
// spreads the same number of slots, so focus is less concentrated and the crowded sector builds
// less duplicated capacity.
TEST(Coordination, SpreadsFocusAndCutsDuplicatedCapacity) {
    auto chosen = many_governments(48, 1);
    chosen.local.weight_herding = 4.0;
    auto coordinated = chosen;
    coordinated.central.coordination = true;
    const auto f = simulate(chosen);
    const auto c = simulate(coordinated);
    expect_decrease("coordination: focus concentration (HHI over sectors)", national_mean(f, "focus_concentration", 8),
                    national_mean(c, "focus_concentration", 8), 0.1);
    report("coordination: focus slots", national_mean(f, "focus_slots", 0), national_mean(c, "focus_slots", 0));
    EXPECT_DOUBLE_EQ(national_mean(f, "focus_slots", 0), national_mean(c, "focus_slots", 0));
    // The sector free choice crowds most.
    const auto focus = metric(Scope::sector, "focus_governments");
    const auto capacity = metric(Scope::sector, "capacity");
    std::size_t crowded = 0;
    double most = -1.0;
    for (std::size_t s = 0; s < chosen.sectors.size(); ++s) {
        const double n = over_seeds(f, [&](const Records& r) { return r.back().sector_value(focus, s); });
        if (n > most) {
            most = n;
            crowded = s;
        }
    }
    const auto late_capacity = [&](const std::vector<Records>& runs) {
        return over_seeds(runs, [&](const Records& r) {
            double sum = 0.0;
            for (std::size_t t = r.size() - 8; t < r.size(); ++t) {
                sum += r[t].sector_value(capacity, crowded);
            }
            return sum / 8.0;
        });
    };
    expect_decrease("coordination: capacity of the crowded sector (" + chosen.sectors[crowded].name + ")", late_capacity(f), late_capacity(c));
}

// =============================================================================================
// Herding

namespace {

/*! The shipped baseline, smaller and shorter (same sectors, regions, weights and policies). */
model::Scenario small_mic2025() {
    auto sc = io::load_embedded_scenario("mic2025").scenario;
    sc.firms.count = 4000;
    sc.time.quarters = 32;
    return sc;
}

}  // namespace

// Economics (seed 003: an IC focus in about half of all provinces): imitation of peers, at the
// shipped weight and in the shipped baseline, concentrates local focus on the same sectors.
TEST(Herding, ConcentratesFocusInTheBaseline) {
    const auto herd = small_mic2025();
    auto free = herd;
    free.local.weight_herding = 0.0;  // no_herding
    const auto h = simulate(herd);
    const auto n = simulate(free);
    expect_increase("herding: focus concentration (HHI over sectors), 2016-2022", national_mean(n, "focus_concentration", 4),
                    national_mean(h, "focus_concentration", 4), 0.05);
    const auto focus = metric(Scope::sector, "focus_governments");
    const auto most_popular = [&](const std::vector<Records>& runs) {
        return over_seeds(runs, [&](const Records& r) {
            double sum = 0.0;
            std::size_t years = 0;
            for (std::size_t t = 4; t < r.size(); t += 4) {
                ++years;
                double best = 0.0;
                for (std::size_t s = 0; s < r[t].n_sectors; ++s) {
                    best = std::max(best, r[t].sector_value(focus, s));
                }
                sum += best;
            }
            return sum / static_cast<double>(years);
        });
    };
    expect_increase("herding: provinces on the most popular sector", most_popular(n), most_popular(h), 0.05);
    report("herding: focus slots", national_mean(n, "focus_slots", 0), national_mean(h, "focus_slots", 0));
    EXPECT_DOUBLE_EQ(national_mean(n, "focus_slots", 0), national_mean(h, "focus_slots", 0));
}

// Channel control: when every government focuses on every sector, imitation has nothing to
// change, and runs with and without herding are identical.
TEST(Herding, NoEffectWhenEveryGovernmentFocusesOnEverySector) {
    auto herd = many_governments(12, 3);
    herd.local.weight_herding = 4.0;
    auto free = herd;
    free.local.weight_herding = 0.0;
    expect_same_local_debt(herd, free);
}

// The shipped no_herding scenario is mic2025 with the herding weight at 0 and nothing else changed.
TEST(Herding, NoHerdingScenarioChangesOnlyTheHerdingWeight) {
    const auto base = io::load_embedded_scenario("mic2025");
    const auto variant = io::load_embedded_scenario("no_herding");
    EXPECT_EQ(variant.scenario.local.weight_herding, 0.0);
    EXPECT_GT(base.scenario.local.weight_herding, 0.0);
    auto same = variant.scenario;
    same.local.weight_herding = base.scenario.local.weight_herding;
    same.name = base.scenario.name;
    same.description = base.scenario.description;
    EXPECT_EQ(io::emit_scenario_yaml(same), io::emit_scenario_yaml(base.scenario));
}

// =============================================================================================
// Prospects (the tidal wave)

namespace {

/*! Sector metric averaged over quarters [from, size) and seeds. */
double sector_mean(const std::vector<Records>& runs, const char* name, std::size_t s, std::size_t from) {
    const auto m = metric(Scope::sector, name);
    return over_seeds(runs, [&](const Records& r) {
        double sum = 0.0;
        for (std::size_t t = from; t < r.size(); ++t) {
            sum += r[t].sector_value(m, s);
        }
        return sum / static_cast<double>(r.size() - from);
    });
}

}  // namespace

// Economics (Lin, Wu and Xing 2010): governments judged on output growth crowd into the sector
// whose demand everyone expects to boom. The booming sector gets more focus governments, more
// local support and more entrants, and runs further below its normal utilisation.
TEST(Prospects, DrawGovernmentsIntoTheBoomingSectorAndItsOvercapacity) {
    constexpr std::size_t kCars = 1;
    auto calm = many_governments(40, 1);
    calm.sectors[kCars].demand.china_growth = TimePath{0.3};
    calm.local.weight_prospects = 0.0;
    auto wave = calm;
    wave.local.weight_prospects = 3.0;
    const auto c = simulate(calm);
    const auto w = simulate(wave);
    expect_increase("prospects: governments focusing on the booming sector (cars)", sector_mean(c, "focus_governments", kCars, 4),
                    sector_mean(w, "focus_governments", kCars, 4), 0.2);
    expect_increase("prospects: local subsidies to cars", sector_mean(c, "subsidies_local", kCars, 4),
                    sector_mean(w, "subsidies_local", kCars, 4), 0.2);
    expect_increase("prospects: entries into cars", sector_mean(c, "entries", kCars, 4), sector_mean(w, "entries", kCars, 4));
    const auto gap = [&](const std::vector<Records>& runs) {
        return sector_mean(runs, "normal_utilization", kCars, 8) - sector_mean(runs, "utilization", kCars, 8);
    };
    expect_increase("prospects: cars' utilisation gap below normal", gap(c), gap(w));
}

// Channel control: prospects only reorder the sectors; when every government has a slot for every
// sector there is nothing to reorder, and runs with and without them are identical.
TEST(Prospects, NoEffectWhenEveryGovernmentFocusesOnEverySector) {
    auto calm = many_governments(12, 3);
    calm.sectors[1].demand.china_growth = TimePath{0.3};
    auto wave = calm;
    wave.local.weight_prospects = 3.0;
    expect_same_local_debt(calm, wave);
}

// Where overcapacity lands (MODEL_BRIEF: NEVs, batteries, solar, steel, not aerospace, rail or
// biopharma), traced to its two mechanisms. In the shipped baseline, 2016-2022, policy lowers
// utilisation more in NEVs and batteries (booming, many governments, local firms) than in rail and
// aerospace (central SOEs). Without prospects in focus choice and with every SOE local, the
// difference shrinks: the ranking comes from these channels, not from the sectors' inputs.
TEST(Prospects, OvercapacityLandsInBoomingSectorsOfLocalFirms) {
    const auto policy = [](model::Scenario sc) {
        sc.firms.count = 4000;
        sc.time.quarters = 32;
        return sc;
    };
    const auto channels_off = [](model::Scenario sc) {
        sc.local.weight_prospects = 0.0;
        for (auto& sector : sc.sectors) {
            sector.supply.central_soe_share = 0.0;
        }
        return sc;
    };
    const auto shipped = policy(io::load_embedded_scenario("mic2025").scenario);
    const auto shipped_without = policy(io::load_embedded_scenario("no_industrial_policy").scenario);
    const auto index = [&](const char* name) {
        for (std::size_t s = 0; s < shipped.sectors.size(); ++s) {
            if (shipped.sectors[s].name == name) {
                return s;
            }
        }
        ADD_FAILURE() << "no sector " << name;
        return std::size_t{0};
    };
    const std::size_t crowded[] = {index("nev"), index("batteries")};
    const std::size_t central[] = {index("rail"), index("aerospace")};
    // Policy's effect on utilisation 2016-2022 (quarters 4-31): {crowded, central}, each the mean of two sectors.
    const auto effects = [&](const model::Scenario& sc, const model::Scenario& sc_without) {
        const auto with = simulate(sc);
        const auto without = simulate(sc_without);
        const auto mean_effect = [&](const std::size_t(&sectors)[2]) {
            double sum = 0.0;
            for (const std::size_t s : sectors) {
                sum += sector_mean(with, "utilization", s, 4) - sector_mean(without, "utilization", s, 4);
            }
            return sum / 2.0;
        };
        return std::pair{mean_effect(crowded), mean_effect(central)};
    };
    const auto [crowded_effect, central_effect] = effects(shipped, shipped_without);
    report("policy effect on utilisation 2016-22: rail, aerospace -> NEVs, batteries", central_effect, crowded_effect);
    EXPECT_LT(crowded_effect, central_effect - 0.02) << "policy lowers utilisation most where governments crowd";
    const auto [crowded_off, central_off] = effects(channels_off(shipped), channels_off(shipped_without));
    report("same, prospects 0 and all SOEs local: rail, aerospace -> NEVs, batteries", central_off, crowded_off);
    EXPECT_GT(central_effect - crowded_effect, central_off - crowded_off + 0.02) << "the two channels make the difference";
}

// =============================================================================================
// Fiscal reaction rule

namespace {

/*! Local support on in every sector, no transfers, debt about a year of revenue. */
model::Scenario fiscal_scenario(std::int64_t quarters = 48) {
    auto sc = test::small_scenario(1000, quarters);
    sc.funds.national.clear();
    sc.funds.local_per_government = 0.0;
    sc.local.focus_count = 3;
    sc.central.transfer_pool = 0.0;
    for (auto& r : sc.regions) {
        r.debt = 120.0;
    }
    sc.local.revenue_adaptation = 0.05;  // the reaction rule as in mic2025 (engine defaults: 0, no reaction)
    sc.local.consolidation_speed = 0.05;
    return sc;
}

model::Scenario no_reaction(model::Scenario sc) {
    sc.local.revenue_adaptation = 0.0;
    sc.local.consolidation_speed = 0.0;
    return sc;
}

model::Scenario land_fall(model::Scenario sc) {
    sc.local.land_revenue_multiplier.points = {{2015.0, 1.0}, {2018.0, 0.5}};
    return sc;
}

/*! Extra debt caused by the land fall per CNY of land revenue lost, at quarter t (seed mean). */
double borrowed_share(const std::vector<Records>& base, const std::vector<Records>& squeezed, std::size_t t) {
    const auto land = metric(Scope::region, "land_revenue");
    const auto debt = metric(Scope::national, "local_debt");
    double lost = 0.0;
    double extra = 0.0;
    for (std::size_t k = 0; k < base.size(); ++k) {
        for (std::size_t q = 0; q <= t; ++q) {
            lost += region_sum(base[k][q], land) - region_sum(squeezed[k][q], land);
        }
        extra += squeezed[k][t].national_value(debt) - base[k][t].national_value(debt);
    }
    return extra / lost;
}

}  // namespace

// Economics: spending adapts gradually to a fall in land revenue, so the loss is borrowed at
// first and then adjusted to: after a few years debt has risen by less than the revenue lost,
// whereas without a reaction (spending on trend revenue) it is borrowed one for one.
TEST(FiscalRule, LandRevenueFallIsBorrowedAtFirstThenAdjustedTo) {
    auto base = fiscal_scenario();
    base.local.debt_limit = 100.0;       // channel control: neither consolidation nor the support squeeze binds
    const auto rule_b = simulate(base);  // default revenue_adaptation
    const auto rule_s = simulate(land_fall(base));
    const auto none_b = simulate(no_reaction(base));
    const auto none_s = simulate(no_reaction(land_fall(base)));
    const std::size_t first_year = 15;  // 2018Q4
    const std::size_t late = 47;        // 2026Q4, eight years after the fall
    note("rule: debt per CNY of land revenue lost, 2018Q4", borrowed_share(rule_b, rule_s, first_year));
    EXPECT_GT(borrowed_share(rule_b, rule_s, first_year), 0.5) << "most of the first year's loss is borrowed";
    expect_decrease("debt per CNY of land revenue lost, 2026Q4: no reaction -> rule", borrowed_share(none_b, none_s, late),
                    borrowed_share(rule_b, rule_s, late), 0.2);
    EXPECT_LT(borrowed_share(rule_b, rule_s, late), 1.0);
    EXPECT_GT(borrowed_share(none_b, none_s, late), 0.9) << "without a reaction the loss is borrowed one for one";
    expect_decrease("land fall: local spending, late (rule)", national_mean(rule_b, "local_spending", 40),
                    national_mean(rule_s, "local_spending", 40), 0.05);
}

// Channel control: each channel alone (revenue smoothing; consolidation above the debt limit)
// lowers the borrowed share relative to no reaction.
TEST(FiscalRule, EachChannelAloneLowersTheBorrowedShare) {
    auto base = fiscal_scenario();
    base.local.debt_limit = 0.6;  // binds from the start, in every variant alike
    const auto none = no_reaction(base);
    auto smoothing = none;
    smoothing.local.revenue_adaptation = 0.05;
    auto consolidation = none;
    consolidation.local.consolidation_speed = 0.05;
    const std::size_t late = 47;
    const double none_share = borrowed_share(simulate(none), simulate(land_fall(none)), late);
    expect_decrease("borrowed share 2026Q4: no reaction -> smoothing only", none_share,
                    borrowed_share(simulate(smoothing), simulate(land_fall(smoothing)), late), 0.1);
    expect_decrease("borrowed share 2026Q4: no reaction -> consolidation only", none_share,
                    borrowed_share(simulate(consolidation), simulate(land_fall(consolidation)), late), 0.02);
}

// Economics: consolidation above the debt limit lowers debt and spending; below the limit it does nothing.
TEST(FiscalRule, ConsolidationActsOnlyAboveTheDebtLimit) {
    auto base = no_reaction(fiscal_scenario());
    auto consolidating = base;
    consolidating.local.consolidation_speed = 0.1;
    base.local.debt_limit = consolidating.local.debt_limit = 100.0;  // never binds
    const auto a = test::run_records(base, 1);
    const auto b = test::run_records(consolidating, 1);
    const auto debt = metric(Scope::national, "local_debt");
    ASSERT_EQ(a.back().national_value(debt), b.back().national_value(debt)) << "below the limit the rule is inactive";
    base.local.debt_limit = consolidating.local.debt_limit = 0.6;
    const auto c = simulate(base);
    const auto d = simulate(consolidating);
    expect_decrease("consolidation: local debt, 2026Q4", national_at(c, "local_debt", 47), national_at(d, "local_debt", 47), 0.02);
    expect_decrease("consolidation: local spending, late", national_mean(c, "local_spending", 40), national_mean(d, "local_spending", 40));
}

// Accounting: support debt is the compounded sum of support outlays; it is zero when local
// governments give no support (no focus support, no guidance funds, no bail-outs).
TEST(FiscalRule, SupportDebtIsZeroWithoutLocalSupport) {
    auto off = fiscal_scenario(24);
    off.policy_scale.local = TimePath(0.0);
    off.finance.bailout_cost_share = 0.0;
    const auto support = metric(Scope::national, "support_debt");
    const auto gross = metric(Scope::national, "support_outlays_debt");
    for (const auto& r : test::run_records(off, 1)) {
        ASSERT_EQ(r.national_value(support), 0.0) << r.year;
        ASSERT_EQ(r.national_value(gross), 0.0) << r.year;
    }
    auto on = fiscal_scenario(24);
    on.funds.local_per_government = 1.0;
    const auto records = test::run_records(on, 1);
    const auto outlays = metric(Scope::region, "subsidies");
    const double rate = on.local.debt_rate / 4.0;
    double expected = 0.0;
    for (const auto& r : records) {
        expected = expected * (1.0 + rate) + region_sum(r, outlays);
        ASSERT_NEAR(r.national_value(gross), expected, 1e-9 * std::max(1.0, expected)) << r.year;
        ASSERT_LE(r.national_value(support), r.national_value(gross) + 1e-9) << "the supported firms' tax is netted out";
    }
    note("support outlays debt after 6 years (support on)", records.back().national_value(gross));
    note("support debt net of supported firms' local tax", records.back().national_value(support));
    EXPECT_GT(records.back().national_value(gross), 1.0);
}

// Accounting: the structural gap's debt is zero without a gap and positive with one.
TEST(FiscalRule, StructuralGapDebtFollowsTheGap) {
    auto no_gap = fiscal_scenario(24);
    no_gap.local.other_spending_share = 1.0;
    auto gap = no_gap;
    gap.local.other_spending_share = 1.1;
    const auto m = metric(Scope::national, "structural_gap_debt");
    const auto a = test::run_records(no_gap, 1);
    const auto b = test::run_records(gap, 1);
    EXPECT_EQ(a.back().national_value(m), 0.0);
    report("structural gap debt: gap 0 -> gap 0.1", a.back().national_value(m), b.back().national_value(m));
    EXPECT_GT(b.back().national_value(m), 0.0);
    expect_increase("structural gap: local debt", a.back().national_value(metric(Scope::national, "local_debt")),
                    b.back().national_value(metric(Scope::national, "local_debt")));
}

// Accounting: money is conserved with the reaction rule at work (land fall, binding limit,
// consolidation, support squeeze, bail-outs, guidance funds).
TEST(FiscalRule, MoneyIsConservedWithTheReactionRule) {
    auto sc = land_fall(fiscal_scenario(48));
    sc.funds.local_per_government = 1.0;
    sc.local.debt_limit = 0.6;
    sc.local.consolidation_speed = 0.2;
    sc.local.revenue_adaptation = 0.3;
    sc.finance.bailout_private = 0.5;
    for (auto& s : sc.sectors) {
        s.policy.output_subsidy = TimePath(0.1);
    }
    const auto residual = metric(Scope::national, "accounting_residual");
    const auto spending = metric(Scope::national, "local_spending");
    double gross = 0.0;
    for (const auto& r : test::run_records(sc, 2)) {
        gross += r.national_value(spending);
        EXPECT_LT(std::abs(r.national_value(residual)), 1e-9 * std::max(1.0, gross)) << "year " << r.year;
    }
    EXPECT_GT(gross, 1.0);
}
