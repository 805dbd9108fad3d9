/*!
 * @file fixtures.hpp
 * @brief Small scenarios built in code for model tests, and helpers to run them.
 *
 * Tests of mechanisms compare a scenario with a variant that changes one instrument, over
 * several seeds with common random numbers, and look at the direction of the effect.
 */
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/metrics.hpp"
#include "model/scenario.hpp"
#include "model/simulation.hpp"

namespace ipsim::test {

/*! @brief Three sectors (upstream "chips", downstream "cars", "steel"), four regions, a few hundred firms. */
inline model::Scenario small_scenario(std::int64_t firms = 600, std::int64_t quarters = 40) {
    model::Scenario sc;
    sc.name = "small";
    sc.time.quarters = quarters;
    sc.firms.count = firms;
    const char* names[] = {"chips", "cars", "steel"};
    for (const char* name : names) {
        model::Sector s;
        s.name = name;
        s.policy.priority = 0.5;
        sc.sectors.push_back(s);
    }
    sc.sectors[0].technology.component_intensity = 0.4;
    sc.sectors[0].supply.foreign_share = 0.3;
    sc.sectors[0].supply.initial_domestic_share = 0.3;
    sc.sectors[0].supply.china_world_share = 0.1;
    sc.sectors[1].technology.component_intensity = 0.3;
    for (int r = 0; r < 4; ++r) {
        model::Region region;
        region.name = "r" + std::to_string(r);
        region.size = 1.0 + r;
        sc.regions.push_back(region);
    }
    sc.links.push_back({"chips", "cars", 0.1});
    sc.links.push_back({"steel", "cars", 0.1});
    model::NationalFund fund;
    fund.name = "big";
    fund.sectors = {"chips"};
    fund.pledged = 20.0;
    sc.funds.national.push_back(fund);
    return sc;
}

/*! @brief All quarterly records of one run. */
inline std::vector<model::StepRecord> run_records(const model::Scenario& sc, std::uint64_t seed,
                                                  const std::function<void(const model::Simulation&)>& each_step = {}) {
    model::Simulation sim(sc, seed);
    std::vector<model::StepRecord> out;
    while (sim.steps_done() < sim.steps_total()) {
        sim.step();
        out.push_back(sim.record());
        if (each_step) {
            each_step(sim);
        }
    }
    return out;
}

/*! @brief Mean over the last `quarters` records of a sector metric. */
inline double late_mean(const std::vector<model::StepRecord>& r, const char* metric, std::size_t sector, std::size_t quarters = 8) {
    const auto m = static_cast<std::size_t>(model::metric_index(model::Scope::sector, metric));
    double sum = 0.0;
    for (std::size_t k = r.size() - quarters; k < r.size(); ++k) {
        sum += r[k].sector_value(m, sector);
    }
    return sum / static_cast<double>(quarters);
}

/*! @brief Mean over the last `quarters` records of a national metric. */
inline double late_national(const std::vector<model::StepRecord>& r, const char* metric, std::size_t quarters = 8) {
    const auto m = static_cast<std::size_t>(model::metric_index(model::Scope::national, metric));
    double sum = 0.0;
    for (std::size_t k = r.size() - quarters; k < r.size(); ++k) {
        sum += r[k].national_value(m);
    }
    return sum / static_cast<double>(quarters);
}

/*! @brief Average over seeds 1..n of f(records of that seed): common random numbers across variants. */
inline double seed_average(const model::Scenario& sc, int seeds, const std::function<double(const std::vector<model::StepRecord>&)>& f) {
    double sum = 0.0;
    for (int seed = 1; seed <= seeds; ++seed) {
        sum += f(run_records(sc, static_cast<std::uint64_t>(seed)));
    }
    return sum / seeds;
}

}  // namespace ipsim::test
