/*!
 * @file phases.hpp
 * @brief The phases of a quarter and the helpers they share.
 *
 * Each phase is a free function `phase(const Model&, State&)`: it reads the run's constants and
 * the scenario from the Model (model.hpp) and changes only the State. The helpers the phases
 * share take the Model, the State and a firm or sector in the same way. The order they run in,
 * their cadence and what each reads and writes are declared once, in the table quarter_phases()
 * in quarter.cpp (shown again in docs/model.md section 2); the comments here say what a function
 * does, not what it touches. The phases run one after another in table order; inside a phase
 * work is parallel over agents, and random draws use core::Stream keyed by agent id and step.
 */
#pragma once

#include "model/capacity_rule.hpp"
#include "model/metrics.hpp"
#include "model/state.hpp"

namespace ipsim::model {

/*! @brief Builds governments, funds, firms and the origin fixed effects from the scenario, and
 *  completes the model with what is calibrated on them (input_shares, calibrate_input_output).
 *  The model comes from build_model with input_shares empty; it is fixed from here on. */
void setup_state(Model& model, State& state);

/*! @brief Instruments, tariffs and exogenous paths in force this quarter. */
void update_conditions(const Model& model, State& state);

/*! @brief Instruments in force at `year` (no trend levels): used by update_conditions and, at the
 *  quarter before the start, to set up a state at rest with the policy then in force. */
void set_instruments(const Model& model, State& state, double year);

/*! @brief Central government, yearly: priorities from target gaps, tournament transfers. */
void central_government(const Model& model, State& state);

/*! @brief Local governments, yearly: focus sectors (free choice with herding, or coordination). */
void choose_focus(const Model& model, State& state);

/*! @brief Local governments, quarterly: support multiplier from budget and debt limit. */
void plan_local_support(const Model& model, State& state);

/*! @brief Funds: capital calls, selection of firms, equity injections. */
void invest_funds(const Model& model, State& state);

/*! @brief Firms set prices (markup over unit cost net of output subsidies, price wars). */
void set_prices(const Model& model, State& state);

/*! @brief Replicator market shares, sector demand, production and sales. */
void clear_markets(const Model& model, State& state);

/*! @brief Revenues, costs, subsidies, interest, taxes, R&D, dividends; cash updates. */
void settle_accounts(const Model& model, State& state);

/*! @brief Capacity investment and its finance (cash, loans, investment subsidies). */
void invest_capacity(const Model& model, State& state);

/*! @brief R&D innovation, imitation with technology transfer and clusters, learning by doing. */
void advance_technology(const Model& model, State& state);

/*! @brief Zombie flags, insolvency with bail-outs or exit, localization, entry, compaction. */
void update_population(const Model& model, State& state);

/*! @brief Local and central budgets: revenue, spending, debt. */
void settle_governments(const Model& model, State& state);

/*! @brief Number of per-sector sums over firms that summarize_sectors takes (layout private to outcomes.cpp). */
inline constexpr std::size_t kSectorSumCount = 42;

/*! @brief Per-sector sums over the firms of the quarter: one pass, shared by summarize_sectors and compute_outcomes. */
using SectorSums = std::vector<std::array<double, kSectorSumCount>>;

/*! @brief Fills the record of the quarter from the agents (takes its own sector sums). */
void compute_outcomes(const Model& model, const State& state, StepRecord& record);

/*! @brief Fills the record of the quarter from the agents and the sums summarize_sectors returned,
 *  which must be of the same state (nothing may change firms in between). */
void compute_outcomes(const Model& model, const State& state, const SectorSums& sums, StepRecord& record);

/*! @brief Sector aggregates that behaviour reads next quarter (utilisation, shares, margins, ...).
 *  Returns the per-sector sums it took, for compute_outcomes. */
SectorSums summarize_sectors(const Model& model, State& state);

/*! @brief summarize_sectors on the initial state (setup_state), before any quarter has booked its
 *  flows: those the sums recompute from prices and sales (revenue, R&D) count as zero, as the
 *  booked ones (variable cost, profits, subsidies) are. */
SectorSums summarize_initial_state(const Model& model, State& state);

/*! @brief Unit cost of firm i at initial prices: sector base cost over absolute productivity. */
[[nodiscard]] double unit_cost(const Model& model, const State& st, std::size_t i) noexcept;

/*! @brief R&D spending of firm i as a share of revenue (raised by R&D tax credits). */
[[nodiscard]] double rd_share(const Model& model, const State& st, std::size_t i) noexcept;

/*! @brief Variable unit cost plus the normal capital cost per unit at target utilisation. */
[[nodiscard]] double full_unit_cost(const Model& model, const State& st, std::size_t i) noexcept;

/*! @brief Price at a markup over a blend of the firm's cost basis (full cost - passed-on subsidy) and
 *  its rivals' (price_convergence), over (1 - R&D intensity). */
[[nodiscard]] double list_price(const Model& model, const State& st, std::size_t i, double markup, double subsidy_rate) noexcept;

/*! @brief Lenders' view and zombie history of the initial firms: the quarters before the start are
 *  taken to look like the first (the state is at rest), so a firm whose operating profit does not
 *  cover its interest at the start has been short for zombie_years already. */
void initialise_histories(const Model& model, State& state);

/*! @brief Weight of the latest observed yearly growth of demand in a sector's growth expectation (per quarter). */
inline constexpr double kGrowthExpectationWeight = 0.25;

/*! @brief Quarterly demand growth factor firms plan for, from an expected yearly growth (clamped to -30%..+60%). */
[[nodiscard]] double planning_growth_factor(double expected_yearly_growth) noexcept;

/*! @brief Quarterly demand growth factor firm i expects: the segments' expected growth weighted by its demand in each. */
[[nodiscard]] double firm_growth_factor(const Model& model, const State& st, std::size_t i) noexcept;

/*! @brief Log-standard deviation of demand firm i plans its capacity for (sector floor plus what it has seen). */
[[nodiscard]] double planning_uncertainty(const Model& model, const State& st, std::size_t i) noexcept;

/*! @brief Capacity firm i would hold now at normal utilisation of the demand it expects: the
 *  newsvendor choice at its own cost of capacity and margin, times the local capacity push in
 *  focus sectors. Orders follow from it by the rule in capacity_rule.hpp. */
[[nodiscard]] double target_capacity(const Model& model, const State& st, std::size_t i) noexcept;

/*! @brief The capacity ordering rule of sector s (adjustment, depreciation, time to build, supply-line weight). */
[[nodiscard]] capacity_rule::Rule ordering_rule(const Scenario& scenario, std::size_t sector) noexcept;

/*! @brief Cost of holding a unit of capacity over the margin it earns, for a firm of sector s without
 *  policy at the sector's normal price (the ratio behind normal utilisation). */
[[nodiscard]] double no_policy_cost_ratio(const Model& model, const State& state, std::size_t sector) noexcept;

/*! @brief Output-weighted mean cost basis (full cost net of passed-on subsidies) of China-located
 *  firms and of firms abroad, per sector: the rival cost that prices converge to. */
void update_reference_costs(const Model& model, State& state);

/*! @brief Sets the reference costs from per-sector sums {weighted cost basis, weight} of China-located
 *  firms and of firms abroad (the second half of update_reference_costs, for a caller that takes the
 *  sums in its own pass over each sector's firms, in index order). */
void set_reference_costs(const Model& model, State& state, const std::vector<std::array<double, 4>>& sums);

/*! @brief Output subsidy of firm i as a share of unit cost (central plus local). */
[[nodiscard]] double output_subsidy_rate(const Model& model, const State& st, std::size_t i) noexcept;

/*! @brief The same, given the firm's local_support_weight (for callers that already have it). */
[[nodiscard]] double output_subsidy_rate(const Model& model, const State& st, std::size_t i, double support_weight) noexcept;

/*! @brief Sets firm i's appeal so that its current shares are at rest without policy. */
void set_appeal(const Model& model, State& st, std::size_t i);

/*! @brief Appeal of every initial firm and the price-index bases (called once by setup). */
void calibrate_appeal(const Model& model, State& state);

/*! @brief Spending of China-located firms on each sector's output as inputs (bn CNY, last quarter's
 *  variable costs times the input cost shares): intermediate demand in value terms. */
[[nodiscard]] Eigen::VectorXd input_spending(const Model& model, const State& state);

/*! @brief Share of each sector's variable cost spent on the others (Model::input_shares, from the
 *  value coefficients of the links and the initial cost structure), and the initial final demand in
 *  China. Called by setup_state, before the model is fixed. */
void calibrate_input_output(Model& model, State& state);

/*! @brief Effective local support rate of firm i's local government in its sector (0 if none). */
[[nodiscard]] double local_support_weight(const Model& model, const State& st, std::size_t i) noexcept;

}  // namespace ipsim::model
