/*!
 * @file model.hpp
 * @brief The frozen part of a run: the scenario and what is fixed for the whole run.
 *
 * A run has two parts. The Model is the scenario (immutable) plus what follows from it and does
 * not change once the run starts: the counts of sectors and regions, the input-output matrix and
 * the input cost shares calibrated on it, and per-sector constants that phases would otherwise
 * recompute every quarter. The State (state.hpp) holds only what changes. Every phase takes
 * `(const Model&, State&)`, so a phase cannot change a run constant, and a constant is computed
 * once, in one place.
 *
 * The Model is built in two steps because one of its parts depends on the initial agents:
 * build_model() computes everything that follows from the scenario alone; setup_state()
 * (phases.hpp) then builds the initial State and fills the calibrated parts (input_shares) while
 * the Model is still mutable. From the first quarter on the Model is only ever read
 * (Simulation hands it out as const).
 */
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/capacity_rule.hpp"
#include "model/scenario.hpp"

namespace ipsim::model {

/*! @brief Constants of one sector for the whole run, computed once from the scenario instead of
 *  every quarter or for every firm. */
struct SectorConstants {
    double frontier_trend = 1.0;          //!< (1 + frontier_growth)^(1/4): quarterly trend of the world frontier
    double learning_exponent = 0.0;       //!< -log2(1 - learning_per_doubling) (0 without learning)
    capacity_rule::Rule ordering_rule{};  //!< the sector's capacity ordering rule (ordering_rule in phases.hpp)
};

/*! @brief What is fixed for a whole run: the scenario and the constants derived from it. */
struct Model {
    /*! @brief An empty model of `scenario` (build_model fills it). */
    explicit Model(const Scenario& of) : scenario(of) {}

    const Scenario& scenario;  //!< must outlive the model
    std::size_t n_sectors = 0;
    std::size_t n_regions = 0;
    Eigen::MatrixXd io;                    //!< io(from, to): input of `from` per CNY of `to` output (initial prices)
    Eigen::MatrixXd input_shares;          //!< input_shares(from, to): share of `to`'s variable cost spent on `from`; empty until setup_state calibrates it
    std::vector<SectorConstants> sectors;  //!< per sector
    double normal_capital_rate = 0.0;      //!< base_rate / 4 + depreciation: quarterly cost of capital at the base rate

    /*! @brief Calendar year (fractional) at the start of quarter `step`. */
    [[nodiscard]] double year_of(std::int64_t step) const noexcept { return scenario.year_of(step); }
};

/*! @brief The parts of the Model that follow from the scenario alone (everything but
 *  input_shares, which setup_state calibrates on the initial agents). */
[[nodiscard]] Model build_model(const Scenario& scenario);

}  // namespace ipsim::model
