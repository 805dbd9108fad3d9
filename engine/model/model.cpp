#include "model/model.hpp"

#include <cmath>

#include "model/phases.hpp"

namespace ipsim::model {
namespace {

/*! io(from, to) summed over the scenario's links between known sectors. */
Eigen::MatrixXd io_matrix(const Scenario& sc) {
    const auto n = static_cast<Eigen::Index>(sc.sectors.size());
    Eigen::MatrixXd io = Eigen::MatrixXd::Zero(n, n);
    for (const auto& link : sc.links) {
        const int from = sc.sector_index(link.from);
        const int to = sc.sector_index(link.to);
        if (from >= 0 && to >= 0) {
            io(from, to) += link.coefficient;
        }
    }
    return io;
}

SectorConstants sector_constants(const Scenario& sc, std::size_t s) {
    const auto& tech = sc.sectors[s].technology;
    SectorConstants k;
    k.frontier_trend = std::pow(1.0 + tech.frontier_growth, 0.25);
    k.learning_exponent = tech.learning_per_doubling > 0.0 ? -std::log2(1.0 - tech.learning_per_doubling) : 0.0;
    k.ordering_rule = ordering_rule(sc, s);
    return k;
}

}  // namespace

Model build_model(const Scenario& scenario) {
    Model model(scenario);
    model.n_sectors = scenario.sectors.size();
    model.n_regions = scenario.regions.size();
    model.io = io_matrix(scenario);
    model.sectors.reserve(model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        model.sectors.push_back(sector_constants(scenario, s));
    }
    model.normal_capital_rate = scenario.finance.base_rate / 4.0 + scenario.finance.depreciation;
    return model;
}

}  // namespace ipsim::model
