/*!
 * @file demand_history.hpp
 * @brief The capacity a sector carries into the first quarter from the demand it saw before.
 *
 * A growth path with years before the start (`demand.china_growth: {2010: 0.07, 2014: -0.03,
 * 2015: ...}`) is history. Capacity in the first quarter is then what firms built under the
 * expectations that history formed, not the capacity at rest: the sector's representative firm
 * is replayed through those quarters with the same rules as in the run (adaptive growth
 * expectations, a forecast that carries the expected trend, the ordering rule with its time to
 * build and supply line, depreciation and scrapping), without policy differences and without financing limits, which
 * scale all firms alike. Each market segment (China, rest of the world) is replayed on its own
 * path, because firms expect each segment's growth separately and a firm's capacity follows the
 * segments it sells in. Without history the replay is the state at rest.
 */
#pragma once

#include <array>

#include "model/capacity_rule.hpp"
#include "model/scenario.hpp"

namespace ipsim::model {

/*! @brief What a segment's history leaves in the first quarter, relative to the first quarter's demand. */
struct DemandHistory {
    double capacity_factor = 1.0;      //!< capacity in place over capacity at rest (1 without history)
    double pipeline_factor = 0.0;      //!< capacity under construction over capacity at rest
    double expected_growth = 0.0;      //!< yearly growth firms expect
    double expectation_factor = 1.0;   //!< firms' expected demand (last quarter's view) over demand
    std::array<double, 4> year_ago{};  //!< demand four quarters before quarters 0..3, over demand
    int quarters = 0;                  //!< quarters replayed
};

/*! @brief Replays a segment's growth path from its first year to the quarter before the start. */
[[nodiscard]] DemandHistory replay_demand_history(const Scenario& sc, const TimePath& path, const capacity_rule::Rule& rule);

}  // namespace ipsim::model
