/*!
 * @file state.hpp
 * @brief What changes during a run: the agent populations, stored as columns (structure of
 *        arrays), and the per-sector quantities of the current quarter.
 *
 * What is fixed for the whole run (the scenario, the counts of sectors and regions, the
 * input-output matrix, per-sector run constants) is not here but in the Model (model.hpp); the
 * few members that need it (capital_per_unit, rebuild_indexes, ...) take the Model as an argument.
 *
 * Firms are the large population (up to millions): one column per variable, indexed by
 * position, all columns in one allocation with staggered starts (core/columns.hpp), declared by
 * one list (IPSIM_FIRM_COLUMNS). Dead firms keep their slot (alive = 0) until the yearly
 * compaction, which removes them stably so the order of survivors never changes. Entrants are
 * appended in a fixed order (local government, then sector, then draw). Funds are stored the same
 * way (IPSIM_FUND_COLUMNS). Local governments and sectors are small and hold columns of other
 * lengths (per government and sector), so they keep one std::vector per variable. Aggregate
 * money balances of the non-firm sectors of the economy live in Ledger so the accounting
 * identity can be checked every step.
 */
#pragma once

#include <Eigen/Dense>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/columns.hpp"
#include "core/parallel.hpp"
#include "model/model.hpp"

namespace ipsim::model {

/*! @brief Integer types of the firm columns: as narrow as the values allow, since every byte of a
 *  row costs about 0.7 MB at full scale. check_firm_column_ranges rejects a scenario whose values
 *  would not fit, so each value converts back exactly. */
using FirmId = std::uint32_t;                      //!< firm ids (State::new_firm_id)
using SectorIndex = std::uint8_t;                  //!< a firm's sector: up to 256 sectors
using GovernmentIndex = std::int16_t;              //!< a firm's local government, -1 for none: up to 32,767
using QuarterCount = std::uint8_t;                 //!< ages in quarters and counts of years (bad_years), up to 255 (count_up)
inline constexpr std::int64_t kFirstFirmAge = 40;  //!< quarters; the age of every initial firm
static_assert(kFirstFirmAge <= std::numeric_limits<QuarterCount>::max());

/*! @brief `count` + `step` (0 or 1) for an age or a count of years, staying at 255 once there.
 *  These counters are only compared with small numbers (a firm a year old, finance.zombie_years,
 *  at most 255 by check_firm_column_ranges), which one that stops gives as one that does not: so
 *  a byte each holds them for runs of any length. */
[[nodiscard]] constexpr QuarterCount count_up(QuarterCount count, unsigned step) noexcept {
    return count == std::numeric_limits<QuarterCount>::max() ? count : static_cast<QuarterCount>(count + step);
}

/*! @brief Throws std::invalid_argument unless the scenario's sectors, `governments` local
 *  governments and run length fit the firm columns' integer types. */
void check_firm_column_ranges(const Scenario& scenario, std::size_t governments);

/*! @brief Ownership of a firm. */
enum class Ownership : std::uint8_t {
    private_firm = 0,
    soe = 1,
    foreign = 2
};

/*! @brief The columns of Firms, X(type, name) one per line, in storage order: the one list that
 *  declares the members of Firms and that appending, compaction and copying rows walk. */
// clang-format off
#define IPSIM_FIRM_COLUMNS(X) \
    /* identity */                                                                                            \
    X(FirmId, id)                          /* unique, never reused: keys the random streams */                \
    X(SectorIndex, sector)                                                                                    \
    X(GovernmentIndex, government)         /* local government (its region follows), -1 for none */           \
    X(std::uint8_t, ownership)             /* Ownership */                                                    \
    X(std::uint8_t, central)               /* 1 for a central SOE: local support does not reach it */         \
    X(std::uint8_t, localized)             /* 1 if it produces in China (all Chinese firms) */                \
    X(std::uint8_t, alive)                                                                                    \
    X(QuarterCount, age)                   /* quarters, up to 255 (count_up) */                               \
    /* production and markets */                                                                              \
    X(double, capacity)                    /* quantity per quarter */                                         \
    X(double, productivity)                /* relative to the sector's world frontier */                      \
    X(double, markup)                                                                                         \
    X(double, price)                       /* relative to the sector's initial price */                       \
    X(double, share_china)                 /* market share in China */                                        \
    X(double, share_world)                 /* market share in the rest of the world */                        \
    X(double, appeal_china)                /* fixed effect making the entry shares a rest point */            \
    X(double, appeal_world)                                                                                   \
    X(double, demand_shock)                /* firm-specific AR(1) demand shift (log points) */                \
    X(double, output)                                                                                         \
    X(double, usable_capacity)             /* capacity usable when producing this quarter */                  \
    X(double, sales_china)                 /* quantity */                                                     \
    X(double, sales_world)                 /* quantity */                                                     \
    X(double, unfilled)                    /* unfilled / demanded, last quarter */                            \
    X(double, expected_demand)             /* quantity */                                                     \
    X(double, demand_variance)             /* moving mean of squared log forecast errors of demand */         \
    X(double, scrapped)                    /* capacity scrapped this quarter (quantity per quarter) */        \
    X(double, cumulative_output)                                                                              \
    /* finance (bn CNY) */                                                                                    \
    X(double, capital)                     /* book value of fixed capital, construction in progress included */ \
    X(double, capital_in_progress)         /* part of capital still under construction: not yet capacity */   \
    X(double, cash)                                                                                           \
    X(double, debt)                                                                                           \
    X(double, fund_equity)                 /* equity paid in by state funds (book) */                         \
    X(double, fund_stake)                  /* share of the firm held by state funds */                        \
    /* flows of the current quarter (bn CNY); revenue, R&D and input purchases are not kept but     */        \
    /* recomputed where read (detail::firm_revenue, firm_rd, firm_inputs in detail/firm_costs.hpp)  */        \
    X(double, variable_cost)                                                                                  \
    X(double, subsidy_central)                                                                                \
    X(double, subsidy_local)                                                                                  \
    X(double, tax_local)                                                                                      \
    X(double, fiscal_support)              /* subsidies, taxes and interest forgone: the fiscal cost less */  \
                                           /* bail-outs (settle_accounts books the taxes forgone, then     */  \
                                           /* invest_capacity adds the rest: invest_firm)                  */  \
    X(double, investment)                                                                                     \
    X(double, operating_profit)                                                                               \
    X(double, bailout)                                                                                        \
    /* zombie test (yearly accumulation) */                                                                   \
    X(double, smoothed_profit)             /* moving mean of operating profit (lenders' view) */              \
    X(double, smoothed_interest)           /* moving mean of interest */                                      \
    X(double, year_operating_profit)                                                                          \
    X(double, year_interest)                                                                                  \
    X(QuarterCount, bad_years)             /* consecutive years of profit short of interest, up to 255 (is_zombie) */
// clang-format on

/*! @brief All firms, one column per variable (IPSIM_FIRM_COLUMNS), stored in one ColumnArena.
 *  Money in bn CNY, quantities in bn CNY at initial prices. */
struct Firms {
    IPSIM_FIRM_COLUMNS(IPSIM_COLUMN_DECLARE)
    QuarterCount zombie_years = 1;  //!< finance.zombie_years (set by setup_state): bad years that make a zombie

    [[nodiscard]] std::size_t size() const noexcept { return arena_.size(); }
    /*! @brief Whether firm i is a zombie: short of its interest for zombie_years consecutive years
     *  (a flag of its own cost a byte a firm and always equalled this). */
    [[nodiscard]] bool is_zombie(std::size_t i) const noexcept { return bad_years[i] >= zombie_years; }
    /*! @brief Appends one zero-initialised firm and returns its index. */
    std::size_t append();
    /*! @brief Makes room for `rows` firms in one allocation (setup: no doublings, no copies). */
    void reserve(std::size_t rows);
    /*! @brief Removes dead firms, keeping survivors' order. */
    void compact();
    /*! @brief Applies visit to every column, in the order of IPSIM_FIRM_COLUMNS. */
    template <class F>
    void for_each_column(F&& visit) {
        IPSIM_FIRM_COLUMNS(IPSIM_COLUMN_VISIT)
    }
    /*! @brief Applies visit to every column (read-only). */
    template <class F>
    void for_each_column(F&& visit) const {
        IPSIM_FIRM_COLUMNS(IPSIM_COLUMN_VISIT)
    }
    /*! @brief Applies visit(column, name) to every column (read-only), in the same order. */
    template <class F>
    void for_each_named_column(F&& visit) const {
        IPSIM_FIRM_COLUMNS(IPSIM_COLUMN_VISIT_NAMED)
    }
    /*! @brief Seatbelt check: throws core::SeatbeltError naming the column, and `where`, unless
     *  every column has size() rows. */
    void check_column_lengths(const char* where) const {
        core::check_column_lengths(
            size(), [this](const auto& visit) { for_each_named_column(visit); }, "firms", where);
    }

private:
    core::ColumnArena arena_;
};

/*! @brief Local governments, one column per variable. */
struct Governments {
    std::vector<std::int32_t> region;
    std::vector<double> weight;  //!< share of the region's industrial base
    std::vector<double> debt;
    std::vector<double> tax_base;           //!< bn CNY per quarter
    std::vector<double> land_revenue_base;  //!< bn CNY per quarter at the start
    std::vector<double> revenue;            //!< last quarter
    std::vector<double> support_spent;      //!< last quarter's support (subsidies, fund pledges, bail-outs)
    std::vector<double> support_multiplier;
    std::vector<double> transfers;     //!< this quarter
    std::vector<double> land_revenue;  //!< this quarter
    std::vector<double> bailouts;      //!< this quarter
    std::vector<double> tournament_score;
    std::vector<double> priority_output;  //!< output in priority sectors, last year
    std::vector<double> priority_output_prev;
    std::vector<std::uint8_t> focus;  //!< [government * sectors + sector]
    std::vector<double> strength;     //!< comparative advantage [government * sectors + sector]
    // fiscal reaction rule (governments.cpp sizes these on the first quarter)
    std::vector<double> revenue_index;       //!< smoothed own revenue relative to its trend (1 = on trend)
    std::vector<double> spending;            //!< non-industrial spending this quarter
    std::vector<double> support_debt;        //!< cumulative support outlays net of supported firms' local tax, with interest
    std::vector<double> support_gross_debt;  //!< cumulative support outlays with interest
    std::vector<double> gap_debt;            //!< cumulative structural-gap spending with interest

    [[nodiscard]] std::size_t size() const noexcept { return region.size(); }
};

/*! @brief The columns of Funds, X(type, name), in storage order (see IPSIM_FIRM_COLUMNS). */
// clang-format off
#define IPSIM_FUND_COLUMNS(X)                                                                   \
    X(std::int32_t, government)             /* owner, -1 for national funds */                  \
    X(std::uint8_t, national)                                                                   \
    X(double, pledged)                      /* bn CNY */                                        \
    X(double, paid_in)                      /* cumulative */                                    \
    X(double, invested)                     /* cumulative */                                    \
    X(double, cash)                                                                             \
    X(double, write_offs)                   /* cumulative */                                    \
    X(double, start_year)                                                                       \
    X(double, investment_years)                                                                 \
    X(double, paid_in_share)                                                                    \
    X(std::uint32_t, mandate)               /* bit mask over sectors (up to 32 sectors); 0 = all */
// clang-format on

/*! @brief State-backed funds (national and local guidance funds), one column per variable
 *  (IPSIM_FUND_COLUMNS) in one ColumnArena. */
struct Funds {
    IPSIM_FUND_COLUMNS(IPSIM_COLUMN_DECLARE)

    [[nodiscard]] std::size_t size() const noexcept { return arena_.size(); }
    /*! @brief Appends one zero-initialised fund and returns its index. */
    std::size_t append();
    /*! @brief Applies visit to every column, in the order of IPSIM_FUND_COLUMNS. */
    template <class F>
    void for_each_column(F&& visit) {
        IPSIM_FUND_COLUMNS(IPSIM_COLUMN_VISIT)
    }
    /*! @brief Applies visit(column, name) to every column (read-only), in the same order. */
    template <class F>
    void for_each_named_column(F&& visit) const {
        IPSIM_FUND_COLUMNS(IPSIM_COLUMN_VISIT_NAMED)
    }
    /*! @brief Seatbelt check: as Firms::check_column_lengths. */
    void check_column_lengths(const char* where) const {
        core::check_column_lengths(
            size(), [this](const auto& visit) { for_each_named_column(visit); }, "funds", where);
    }

private:
    core::ColumnArena arena_;
};

/*! @brief Per-sector quantities of the current quarter (small arrays, one entry per sector). */
struct SectorState {
    std::vector<double> frontier;      //!< world frontier productivity index (start = 1)
    std::vector<double> base_cost;     //!< unit cost at frontier productivity, initial prices
    std::vector<double> demand_china;  //!< quantity demanded in China this quarter
    std::vector<double> demand_world;
    std::vector<double> final_china0;           //!< initial final demand in China
    std::vector<double> world_experience;       //!< cumulative world output of the sector (learning curve), quantity
    std::vector<double> world_experience_prev;  //!< the same a quarter earlier
    std::vector<double> variable_cost_china;    //!< variable cost of China-located firms, last quarter (drives input demand)
    std::vector<double> price_index;            //!< sales-weighted, start = 1
    std::vector<double> price_index_china;      //!< price index of the China segment
    std::vector<double> price_index_world;
    std::vector<double> utilisation;            //!< China-located, last quarter
    std::vector<double> normal_utilisation;     //!< expected utilisation of firms' capacity choice without policy
    std::vector<double> reference_capacity;     //!< newsvendor capacity factor of the no-policy firm at the planning floor
    std::vector<double> demand_variance;        //!< mean demand_variance of China-located firms, last quarter
    std::vector<double> domestic_share;         //!< last quarter
    std::vector<double> world_share;            //!< last quarter
    std::vector<double> reference_cost_china;   //!< mean cost basis of China-located firms (price convergence)
    std::vector<double> reference_cost_abroad;  //!< mean cost basis of firms producing abroad
    std::vector<double> margin;                 //!< last quarter, China-located
    std::vector<double> normal_margin;          //!< margin of the first quarter (entry responds to excess)
    std::vector<double> subsidy_rate;           //!< subsidies / sales of China-located firms, last year
    std::vector<double> output_china;           //!< China-located output last quarter (drives IO demand)
    std::vector<double> mean_capacity;          //!< mean capacity of China-located firms
    std::vector<double> mean_productivity;      //!< mean productivity of Chinese-owned firms
    std::vector<double> best_productivity;      //!< 90th-percentile-like best practice among China-located firms
    std::vector<double> priority;               //!< central priority in force
    std::vector<double> tariff;                 //!< in force
    std::vector<std::uint8_t> trigger_fired;
    std::vector<double> fund_presence;  //!< fund equity / capital of Chinese firms
    std::vector<double> price_china0;   //!< initial segment price levels (index bases)
    std::vector<double> price_world0;
    std::vector<double> price_local0;            //!< initial sales-weighted price of China-located firms
    std::vector<double> demand_growth_expected;  //!< expected yearly growth of demand [segment * sectors + sector], segment 0 China, 1 world
    std::vector<double> demand_year_ago;         //!< demand four quarters back, ring of 4 [(slot * 2 + segment) * sectors + sector]
    std::vector<double> entries;
    std::vector<double> exits;
    std::vector<double> refinanced;      //!< firms in distress refinanced by lenders this quarter
    std::vector<double> distress_sales;  //!< refused firms that sold capital to repay this quarter
    std::vector<double> bailouts;        //!< firms bailed out this quarter
    std::vector<double> fund_equity_flow;
    std::vector<double> subsidy_sales_year;  //!< accumulators for the trigger rule
    std::vector<double> sales_year;
    std::vector<double> output_year;  //!< China-located output this year (tournament)
};

/*! @brief Instruments and exogenous conditions of one sector in force this quarter. */
struct SectorConditions {
    double output_subsidy = 0.0;      //!< central, share of unit cost
    double investment_subsidy = 0.0;  //!< central, share of capex
    double rd_tax_credit = 0.0;
    double tax_rebate = 0.0;     //!< central
    double loan_discount = 0.0;  //!< per year
    double procurement_share = 0.0;
    double localization = 0.0;
    double market_access = 0.0;
    double cluster_support = 0.0;
    double capacity_cut = 0.0;         //!< share of China-located capacity retired per year (central programme)
    double tariff = 0.0;               //!< foreign tariff on Chinese exports
    double export_control = 0.0;       //!< share of foreign components cut off
    double component_cut = 0.0;        //!< share of China-located capacity unusable for lack of components
    double china_growth_factor = 1.0;  //!< trend demand level relative to the start
    double world_growth_factor = 1.0;
    double trend_price_factor = 1.0;                //!< price level the demand trends assume, relative to the start
    double frontier_step = 1.0;                     //!< quarterly growth factor of the world frontier (trend and learning)
    double input_cost_share = 0.0;                  //!< purchases from the modelled sectors per unit of variable cost
    double input_cost_factor = 1.0;                 //!< unit-cost index from the prices of those inputs (start = 1)
    std::array<double, 2> growth_factor{1.0, 1.0};  //!< expected quarterly demand growth factor, China and world segments
};

/*! @brief Per-sector factors that every firm of a sector shares, computed once a quarter instead of
 *  per firm, by the phase that changes their inputs (set_instruments, update_reference_costs). The
 *  constants of the whole run are in SectorConstants (model.hpp). */
struct SectorFactors {
    double tariff_log1p = 0.0;                      //!< log1p(tariff in force) (set_instruments)
    double rd_share_local = 0.0;                    //!< R&D share of revenue of China-located firms (set_instruments)
    double rd_share_abroad = 0.0;                   //!< the same abroad (no R&D credit)
    std::array<double, 2> reference_pow{0.0, 0.0};  //!< reference cost^price_convergence, China-located and abroad (update_reference_costs)
};

/*! @brief Money balances of the non-firm sectors (bn CNY). Their sum with firms' cash - debt is conserved. */
struct Ledger {
    double central = 0.0;  //!< central government
    double banks = 0.0;    //!< banks' net position (interest in, losses out)
    double economy = 0.0;  //!< domestic households and suppliers
    double rest_of_world = 0.0;
    double initial_total = 0.0;  //!< total at the start
};

/*! @brief Everything that changes during a run (what does not is in the Model, model.hpp). */
struct State {
    std::uint64_t seed = 0;
    std::int64_t step = 0;  //!< index of the quarter being simulated
    std::uint64_t next_firm_id = 0;
    Firms firms;
    Governments governments;
    Funds funds;
    SectorState sectors;
    std::vector<SectorConditions> now;   //!< per sector, set by the exogenous phase
    std::vector<SectorFactors> factors;  //!< per sector, hoisted out of per-firm loops
    double local_scale = 1.0;            //!< policy_scale.local in force this quarter
    Ledger ledger;
    // group indexes, rebuilt after demography (sums by local government come from
    // by_government_sector: government_sums)
    core::GroupIndex by_sector;
    core::GroupIndex by_government_sector;  //!< key government * n_sectors + sector, China-located only
    // cumulative fund totals (for outcomes)
    double funds_write_offs = 0.0;
    // national self-sufficiency indexes (value weights over sectors' domestic shares)
    double self_sufficiency_chained = 0.0;    //!< chained: each quarter's change at last quarter's value weights
    std::vector<double> china_market_value;   //!< value of China's market per sector, last quarter (chain weights)
    std::vector<double> china_market_value0;  //!< the same at the start (fixed weights)

    [[nodiscard]] bool is_first_quarter() const noexcept { return step % 4 == 0; }
    [[nodiscard]] bool is_last_quarter() const noexcept { return step % 4 == 3; }
    /*! @brief Capital (initial prices) per unit of quarterly capacity of firm i: the sector's
     *  capital coefficient over the firm's absolute productivity (technology saves all inputs). */
    [[nodiscard]] double capital_per_unit(const Model& model, std::size_t i) const noexcept {
        const auto s = static_cast<std::size_t>(firms.sector[i]);
        return model.scenario.sectors[s].supply.capital_per_output / (firms.productivity[i] * sectors.frontier[s]);
    }
    /*! @brief Recomputes firm i's capacity from its finished capital and productivity. */
    void update_capacity(const Model& model, std::size_t i) noexcept {
        firms.capacity[i] = (firms.capital[i] - firms.capital_in_progress[i]) / capital_per_unit(model, i);
    }
    /*! @brief True if firm i is foreign-owned. */
    [[nodiscard]] bool is_foreign(std::size_t i) const noexcept {
        return firms.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign);
    }
    /*! @brief Debt per unit of capital that firm i may carry (by ownership; fund backing helps private firms). */
    [[nodiscard]] double leverage_limit(const Model& model, std::size_t i) const noexcept;
    /*! @brief Cumulative weights over local governments for locating a firm of sector s:
     *  region size x government weight x strength in the sector. */
    [[nodiscard]] std::vector<double> location_cdf(const Model& model, std::size_t s) const;
    /*! @brief The local government a uniform draw u in (0, 1) picks from a location_cdf. */
    [[nodiscard]] static GovernmentIndex pick_government(const std::vector<double>& cdf, double u) noexcept;
    /*! @brief The id of a new firm (next_firm_id, then advanced); throws std::overflow_error once
     *  the ids would not fit FirmId. */
    [[nodiscard]] FirmId new_firm_id();
    /*! @brief core::group_sums over live China-located firms by local government: each government's
     *  terms in row order, taken from by_government_sector (no index of its own). */
    template <std::size_t K, class Term>
    void government_sums(std::vector<std::array<double, K>>& out, const Term& term) const {
        core::coarse_group_sums<K>(by_government_sector, governments.size(), out, term);
    }
    /*! @brief Rebuilds the group indexes after entry and exit. */
    void rebuild_indexes(const Model& model);
    /*! @brief The same result after firms only died or were appended (rows from first_new on) since
     *  the last rebuild, without a compaction: drops the dead, appends the new. */
    void update_indexes(const Model& model, std::size_t first_new);
    /*! @brief Sum of all money balances (firms' cash - debt, governments' -debt, funds' cash, ledger). */
    [[nodiscard]] double money_total() const;
    /*! @brief money_total given the firms' part, sum over live firms of cash - debt taken as
     *  core::deterministic_sum over all rows does (a caller that sums it in a pass of its own). */
    [[nodiscard]] double money_total(double firm_balance) const;
};

}  // namespace ipsim::model
