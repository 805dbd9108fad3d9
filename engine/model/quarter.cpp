#include "model/quarter.hpp"

#include <array>
#include <chrono>
#include <numeric>
#include <string>

#include "core/seatbelts.hpp"
#include "model/state.hpp"

namespace ipsim::model {
namespace {

using Ctx = QuarterContext;

// The quarter. Order matters: each phase reads what the rows above it wrote this quarter, or
// last quarter's values of what the rows below it write. docs/model.md section 2 shows this table.
constexpr std::array kPhases{
    Phase{"update_conditions", Cadence::quarterly,
          "scenario paths, last quarter's sector outcomes and prices, world experience",
          "instruments in force, tariffs (trigger), component cut, input-cost index, normal utilisation, "
          "demand and price trend levels, frontier step",
          "tariff trigger checked in Q1 from the second year", [](Ctx& c) { update_conditions(c.model, c.state); }},
    Phase{"central_government", Cadence::yearly, "domestic shares, priority output by government",
          "sector priorities, transfers", "", [](Ctx& c) { central_government(c.model, c.state); }},
    Phase{"choose_focus", Cadence::yearly, "priorities, output by government and sector, last year's focus, expected demand growth",
          "focus sectors", "", [](Ctx& c) { choose_focus(c.model, c.state); }},
    Phase{"plan_local_support", Cadence::quarterly, "last quarter's support bill, revenue, debt", "support multiplier; resets the support bill and bail-out count", "",
          [](Ctx& c) { plan_local_support(c.model, c.state); }},
    Phase{"invest_funds", Cadence::quarterly, "pledges, focus, firms' productivity and ownership",
          "fund cash, firm cash and equity stakes", "", [](Ctx& c) { invest_funds(c.model, c.state); }},
    Phase{"set_prices", Cadence::quarterly, "costs, shares, sector utilisation, subsidies", "markups, prices", "",
          [](Ctx& c) { set_prices(c.model, c.state); }},
    Phase{"clear_markets", Cadence::quarterly,
          "prices, productivity, policy terms, demand paths, input spending, capacity",
          "world appeal (reputation), market shares, demand, output, sales, demand variance", "",
          [](Ctx& c) { clear_markets(c.model, c.state); }},
    Phase{"settle_accounts", Cadence::quarterly, "sales, costs, instruments",
          "revenue, subsidies, taxes, interest, R&D, profits, cash", "", [](Ctx& c) { settle_accounts(c.model, c.state); }},
    Phase{"invest_capacity", Cadence::quarterly,
          "expected demand, demand variance, cost of holding capacity, margin, finance, capacity-removal programme",
          "scrapping and ordered retirement, capital, capacity, debt, investment subsidies", "", [](Ctx& c) { invest_capacity(c.model, c.state); }},
    Phase{"advance_technology", Cadence::quarterly, "R&D, clusters, localized foreign presence, output",
          "productivity, frontier, capacity", "", [](Ctx& c) { advance_technology(c.model, c.state); }},
    Phase{"update_population", Cadence::quarterly,
          "net worth, cash, coverage, collateral, ownership, local backing",
          "zombie flags, refinancing, bail-outs, exits, China plants, entrants",
          "zombie flags Q4, localization Q1, compaction Q4", [](Ctx& c) { update_population(c.model, c.state); }},
    Phase{"settle_governments", Cadence::quarterly,
          "land and tax base paths, transfers, local flows, debt ratio",
          "local debt, revenue, spending, revenue base, priority output by government, attribution series", "",
          [](Ctx& c) { settle_governments(c.model, c.state); }},
    Phase{"summarize_sectors", Cadence::quarterly, "all agents",
          "rival cost bases, sector aggregates for next quarter, world experience, chained self-sufficiency, "
          "the sector sums",
          "yearly subsidy rate Q4", [](Ctx& c) { c.sums = summarize_sectors(c.model, c.state); }},
    Phase{"compute_outcomes", Cadence::quarterly, "all agents, the sector sums", "the recorded series", "",
          [](Ctx& c) { compute_outcomes(c.model, c.state, c.sums, c.record); }},
};

/*! Seatbelts: every firm and fund column has its population's length (core/seatbelts.hpp). */
void check_column_lengths(const State& state, const char* where) {
    state.firms.check_column_lengths(where);
    state.funds.check_column_lengths(where);
}

}  // namespace

const char* cadence_name(Cadence cadence) noexcept {
    return cadence == Cadence::yearly ? "yearly (Q1)" : "quarterly";
}

std::span<const Phase> quarter_phases() noexcept { return kPhases; }

bool runs_now(const Phase& phase, const State& state) noexcept {
    return phase.cadence == Cadence::quarterly || state.is_first_quarter();
}

PhaseProfile::PhaseProfile() : calls_(kPhases.size(), 0), nanoseconds_(kPhases.size(), 0) {}

void PhaseProfile::add_call(std::size_t phase, std::int64_t nanoseconds) noexcept {
    ++calls_[phase];
    nanoseconds_[phase] += nanoseconds;
}

void PhaseProfile::add_quarter(std::size_t firms) noexcept {
    ++quarters_;
    firm_quarters_ += static_cast<double>(firms);
}

std::int64_t PhaseProfile::total_nanoseconds() const noexcept {
    return std::accumulate(nanoseconds_.begin(), nanoseconds_.end(), std::int64_t{0});
}

void run_quarter(QuarterContext& context, PhaseProfile* profile) {
    if (profile != nullptr) {
        profile->add_quarter(context.state.firms.size());
    }
    if constexpr (core::kSeatbelts) {
        check_column_lengths(context.state, "at the start of the quarter");
    }
    for (std::size_t k = 0; k < kPhases.size(); ++k) {
        const Phase& phase = kPhases[k];
        if (!runs_now(phase, context.state)) {
            continue;
        }
        if (profile == nullptr) {
            phase.run(context);
        } else {
            const auto start = std::chrono::steady_clock::now();
            phase.run(context);
            const auto took = std::chrono::steady_clock::now() - start;
            profile->add_call(k, std::chrono::duration_cast<std::chrono::nanoseconds>(took).count());
        }
        if constexpr (core::kSeatbelts) {
            check_column_lengths(context.state, (std::string("after phase ") + phase.name).c_str());
        }
    }
}

}  // namespace ipsim::model
