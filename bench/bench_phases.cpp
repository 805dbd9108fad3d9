/*!
 * @file bench_phases.cpp
 * @brief Google Benchmark timings of each phase of a quarter and of a whole quarter, at several
 *        population sizes, so that per-phase cost and its growth with the number of firms
 *        (linear, or n log n at most) can be read off one run.
 *
 * The scenario is built in code (14 sectors, 31 regions, county-level governments at large
 * sizes) so the benchmark does not depend on the loader. Results go to docs/performance.md.
 */
#include <benchmark/benchmark.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "model/phases.hpp"
#include "model/simulation.hpp"
#include "model/state.hpp"

namespace {

using namespace ipsim::model;

Scenario bench_scenario(std::int64_t firms) {
    Scenario sc;
    sc.firms.count = firms;
    sc.time.quarters = 1000;
    for (int s = 0; s < 14; ++s) {
        Sector sector;
        sector.name = "s" + std::to_string(s);
        sector.policy.priority = s < 10 ? 1.0 : 0.3;
        sector.policy.output_subsidy = TimePath(0.03);
        sector.policy.investment_subsidy = TimePath(0.05);
        sector.supply.foreign_share = 0.1;
        sc.sectors.push_back(sector);
    }
    for (int r = 0; r < 31; ++r) {
        Region region;
        region.name = "r" + std::to_string(r);
        region.size = 1.0 + r % 5;
        sc.regions.push_back(region);
    }
    for (int s = 1; s < 14; ++s) {
        sc.links.push_back({"s0", "s" + std::to_string(s), 0.05});
    }
    sc.local.per_region = firms >= 200000 ? 92 : 1;
    sc.funds.local_per_government = firms >= 200000 ? 0.7 : 1.0;
    NationalFund fund;
    fund.name = "big";
    fund.sectors = {"s0"};
    fund.pledged = 139.0;
    sc.funds.national.push_back(fund);
    return sc;
}

/*! A simulation warmed up by a few quarters, shared by the phase benchmarks of one size. */
struct Warm {
    Scenario scenario;
    std::unique_ptr<Simulation> sim;
    explicit Warm(std::int64_t firms) : scenario(bench_scenario(firms)), sim(std::make_unique<Simulation>(scenario, 1)) {
        for (int q = 0; q < 4; ++q) {
            sim->step();
        }
    }
    State& state() { return const_cast<State&>(sim->state()); }
    [[nodiscard]] const Model& model() const { return sim->model(); }
};

Warm& warm(std::int64_t firms) {
    static std::map<std::int64_t, std::unique_ptr<Warm>> cache;
    auto& slot = cache[firms];
    if (!slot) {
        slot = std::make_unique<Warm>(firms);
    }
    return *slot;
}

void run_phase(benchmark::State& bs, const std::function<void(const Model&, State&)>& phase) {
    auto& w = warm(bs.range(0));
    for (auto _ : bs) {
        phase(w.model(), w.state());
    }
    bs.SetItemsProcessed(bs.iterations() * static_cast<std::int64_t>(w.state().firms.size()));
    bs.counters["firms"] = static_cast<double>(w.state().firms.size());
}

void BM_SetPrices(benchmark::State& bs) { run_phase(bs, set_prices); }
void BM_ClearMarkets(benchmark::State& bs) { run_phase(bs, clear_markets); }
void BM_AdvanceTechnology(benchmark::State& bs) {
    // Productivity changes each call; the cost per call does not depend on its level.
    run_phase(bs, advance_technology);
}
/*! The accounting pass: it reads and writes about 35 firm columns per firm, so it is the phase that
 *  shows how the columns sit in the cache (docs/performance.md, "Columns in one arena"). Cash and
 *  debt drift from call to call; the cost per call does not depend on them. */
void BM_SettleAccounts(benchmark::State& bs) { run_phase(bs, settle_accounts); }
void BM_InvestFunds(benchmark::State& bs) { run_phase(bs, invest_funds); }
void BM_ChooseFocus(benchmark::State& bs) { run_phase(bs, choose_focus); }
void BM_Outcomes(benchmark::State& bs) {
    StepRecord record;
    run_phase(bs, [&](const Model& model, State& st) { compute_outcomes(model, st, record); });
}
void BM_RebuildIndexes(benchmark::State& bs) {
    run_phase(bs, [](const Model& model, State& st) { st.rebuild_indexes(model); });
}

/*! A whole quarter, all phases, on a fresh simulation per batch of quarters. */
void BM_Quarter(benchmark::State& bs) {
    const auto scenario = bench_scenario(bs.range(0));
    auto sim = std::make_unique<Simulation>(scenario, 1);
    for (auto _ : bs) {
        sim->step();
    }
    bs.SetItemsProcessed(bs.iterations() * static_cast<std::int64_t>(sim->state().firms.size()));
    bs.counters["firms"] = static_cast<double>(sim->state().firms.size());
}

constexpr std::int64_t kSmall = 20000;
constexpr std::int64_t kLarge = 500000;

BENCHMARK(BM_SetPrices)->Arg(kSmall)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClearMarkets)->Arg(kSmall)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AdvanceTechnology)->Arg(kSmall)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SettleAccounts)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InvestFunds)->Arg(kSmall)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChooseFocus)->Arg(kSmall)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Outcomes)->Arg(kSmall)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RebuildIndexes)->Arg(kSmall)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Quarter)->Arg(kSmall)->Arg(100000)->Arg(kLarge)->Unit(benchmark::kMillisecond)->Iterations(8);

}  // namespace

BENCHMARK_MAIN();
