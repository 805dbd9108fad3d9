/*!
 * @file phases.hpp
 * @brief The phases of a quarter, in the order simulation.cpp runs them.
 *
 * Each phase is a free function over the State. Its comment lists what it reads and writes,
 * so that two phases writing the same column are never run at once. Inside a phase work is
 * parallel over agents; random draws use core::Stream keyed by agent id and step.
 */
#pragma once

#include "model/metrics.hpp"
#include "model/state.hpp"

namespace ipsim::model {

/*! @brief Builds governments, funds, firms and the origin fixed effects from the scenario. */
void setup_state(State& state);

/*! @brief Instruments and exogenous paths in force (reads scenario, sector outcomes; writes now, tariffs). */
void update_conditions(State& state);

/*! @brief Central government, yearly: priorities from target gaps, tournament transfers. */
void central_government(State& state);

/*! @brief Local governments, yearly: focus sectors (free choice with herding, or coordination). */
void choose_focus(State& state);

/*! @brief Local governments, quarterly: support multiplier from budget and debt limit. */
void plan_local_support(State& state);

/*! @brief Funds: capital calls, selection of firms, equity injections. */
void invest_funds(State& state);

/*! @brief Firms set prices (markup over unit cost net of output subsidies, price wars). */
void set_prices(State& state);

/*! @brief Replicator market shares, sector demand, production and sales. */
void clear_markets(State& state);

/*! @brief Revenues, costs, subsidies, interest, taxes, R&D, dividends; cash updates. */
void settle_accounts(State& state);

/*! @brief Capacity investment and its finance (cash, loans, investment subsidies). */
void invest_capacity(State& state);

/*! @brief R&D innovation, imitation with technology transfer and clusters, learning by doing. */
void advance_technology(State& state);

/*! @brief Zombie flags, insolvency with bail-outs or exit, localization, entry, compaction. */
void update_population(State& state);

/*! @brief Local and central budgets: revenue, spending, debt. */
void settle_governments(State& state);

/*! @brief Fills the record of the quarter from the agents. */
void compute_outcomes(const State& state, StepRecord& record);

/*! @brief Sector aggregates that behaviour reads next quarter (utilisation, shares, margins, ...). */
void summarize_sectors(State& state);

/*! @brief Unit cost of firm i at initial prices: sector base cost over absolute productivity. */
[[nodiscard]] double unit_cost(const State& state, std::size_t firm) noexcept;

/*! @brief R&D spending of firm i as a share of revenue (raised by R&D tax credits). */
[[nodiscard]] double rd_share(const State& state, std::size_t firm) noexcept;

/*! @brief Variable unit cost plus the normal capital cost per unit at target utilisation. */
[[nodiscard]] double full_unit_cost(const State& state, std::size_t firm) noexcept;

/*! @brief Price at a markup: (1 + markup)(full cost - passed-on subsidy) / (1 - R&D intensity). */
[[nodiscard]] double list_price(const State& state, std::size_t firm, double markup, double subsidy_rate) noexcept;

/*! @brief Output subsidy of firm i as a share of unit cost (central plus local). */
[[nodiscard]] double output_subsidy_rate(const State& state, std::size_t firm) noexcept;

/*! @brief Sets firm i's appeal so that its current shares are at rest without policy. */
void set_appeal(State& state, std::size_t firm);

/*! @brief Appeal of every initial firm and the price-index bases (called once by setup). */
void calibrate_appeal(State& state);

/*! @brief Effective local support rate of firm i's local government in its sector (0 if none). */
[[nodiscard]] double local_support_weight(const State& state, std::size_t firm) noexcept;

}  // namespace ipsim::model
