/*!
 * @file demand_history.cpp
 * @brief Replay of a sector's demand before the start (see demand_history.hpp).
 */
#include "model/demand_history.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "model/phases.hpp"

namespace ipsim::model {

DemandHistory replay_demand_history(const Scenario& sc, const TimePath& path, const capacity_rule::Rule& rule) {
    const double start = sc.time.start_year;
    const double w = sc.markets.expectation_weight;
    const double delta = rule.depreciation;
    // A constant path (one value, stored at year 0) has no history.
    const double first = path.is_constant() ? start : path.points.front().first;
    const int quarters = first < start ? static_cast<int>(std::lround((start - first) * 4.0)) : 0;

    // At rest in the first replayed quarter (or in the first quarter of the run without history).
    double growth = path.at(quarters > 0 ? first : start);
    const double q0 = planning_growth_factor(growth);
    double demand = 1.0;
    double expected = demand / q0;                                       // last quarter's view
    double capacity = demand;                                            // at rest: capacity in place serves demand at normal utilisation
    double pipeline = capacity_rule::steady_pipeline(rule, q0, demand);  // and the steady path is under construction
    std::array<double, 4> ring{};
    for (int j = 0; j < 4; ++j) {
        ring[static_cast<std::size_t>(j)] = std::pow(1.0 + growth, (j - 4.0) / 4.0);
    }
    for (int k = 0; k < quarters; ++k) {
        if (k > 0) {
            demand *= std::pow(1.0 + path.at(first + k / 4.0), 0.25);
        }
        const double q = planning_growth_factor(growth);
        expected = (1.0 - w) * expected * q + w * demand;  // what firms see when they sell
        // Investment, as firms do it: depreciation, scrapping of a glut, orders, then completions.
        const double target = expected;
        capacity *= 1.0 - delta;
        const double glut = capacity - (1.0 + sc.markets.scrap_threshold) * target;
        if (glut > 0.0) {
            capacity -= sc.markets.scrap_rate * glut;
        }
        pipeline += capacity_rule::orders(rule, q, target, capacity / (1.0 - delta), pipeline);
        const double finished = capacity_rule::completion_share(rule) * pipeline;
        pipeline -= finished;
        capacity += finished;
        auto& slot = ring[static_cast<std::size_t>(k % 4)];
        growth += kGrowthExpectationWeight * (demand / slot - 1.0 - growth);
        slot = demand;
    }
    DemandHistory h;
    h.quarters = quarters;
    h.expected_growth = growth;
    if (quarters == 0) {
        h.expectation_factor = 1.0 / q0;
        h.pipeline_factor = pipeline;
        h.year_ago = ring;
        return h;
    }
    const double first_demand = demand * std::pow(1.0 + path.at(start), 0.25);
    h.capacity_factor = capacity / first_demand;
    h.pipeline_factor = pipeline / first_demand;
    h.expectation_factor = expected / first_demand;
    for (std::size_t j = 0; j < 4; ++j) {
        h.year_ago[j] = ring[(static_cast<std::size_t>(quarters) + j) % 4] / first_demand;
    }
    return h;
}

}  // namespace ipsim::model
