/*!
 * @file test_seatbelts.cpp
 * @brief The IPSIM_SEATBELTS checks fire on a broken invariant and name what broke (debug and
 *        asan presets; skipped in builds without seatbelts, where the checks do not exist).
 */
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/seatbelts.hpp"
#include "fixtures.hpp"
#include "model/metrics.hpp"
#include "model/phases.hpp"
#include "model/quarter.hpp"
#include "model/run_checks.hpp"
#include "model/state.hpp"

namespace {

using ipsim::core::SeatbeltError;
using ipsim::model::Scope;

// clang-format off
#define IPSIM_SKIP_WITHOUT_SEATBELTS()                                                             \
    if constexpr (!ipsim::core::kSeatbelts) {                                                     \
        GTEST_SKIP() << "built without IPSIM_SEATBELTS (the debug and asan presets switch it on)"; \
    }
// clang-format on

/*! The message of the SeatbeltError `f` throws. */
std::string seatbelt_message(const std::function<void()>& f) {
    try {
        f();
    } catch (const SeatbeltError& e) {
        return e.what();
    }
    return "(no seatbelt fired)";
}

/*! A state set up from `sc` as Simulation sets it up, and the record of its first quarter. */
struct QuarterAtStart {
    explicit QuarterAtStart(const ipsim::model::Scenario& sc) : model(ipsim::model::build_model(sc)) {
        state.seed = 1;
        ipsim::model::setup_state(model, state);
        record.resize(sc.sectors.size(), sc.regions.size());
    }
    std::string run_quarter_message() {
        ipsim::model::QuarterContext context{model, state, record, {}};
        return seatbelt_message([&] { ipsim::model::run_quarter(context, nullptr); });
    }
    ipsim::model::Model model;
    ipsim::model::State state;
    ipsim::model::StepRecord record;
};

}  // namespace

TEST(Seatbelts, AnUntouchedRunPassesEveryCheck) {
    IPSIM_SKIP_WITHOUT_SEATBELTS();
    // Eight quarters: entrants, exits and a yearly compaction, all with every check on.
    EXPECT_EQ(ipsim::test::run_records(ipsim::test::small_scenario(200, 8), 1).size(), 8U);
}

TEST(Seatbelts, MisSizedFirmColumnIsNamed) {
    IPSIM_SKIP_WITHOUT_SEATBELTS();
    const auto sc = ipsim::test::small_scenario(200, 4);
    QuarterAtStart s(sc);
    const auto rows = s.state.firms.size();
    ASSERT_GT(rows, 0U);
    s.state.firms.capacity = ipsim::core::Column<double>{};  // replaced behind the arena's back
    EXPECT_EQ(s.run_quarter_message(),
              "seatbelt: firms.capacity has 0 rows, not the population's " + std::to_string(rows) + ", at the start of the quarter");
}

TEST(Seatbelts, MisSizedFundColumnIsNamed) {
    IPSIM_SKIP_WITHOUT_SEATBELTS();
    const auto sc = ipsim::test::small_scenario(200, 4);
    QuarterAtStart s(sc);
    ASSERT_GT(s.state.funds.size(), 0U);
    s.state.funds.cash = ipsim::core::Column<double>{};
    EXPECT_NE(s.run_quarter_message().find("seatbelt: funds.cash has 0 rows"), std::string::npos);
}

TEST(Seatbelts, RecordWritesOutOfRangeAreNamed) {
    IPSIM_SKIP_WITHOUT_SEATBELTS();
    ipsim::model::StepRecord r;
    r.resize(3, 2);
    // metric_index of an unknown name is -1: as an id, far past the catalog.
    const auto unknown = static_cast<std::size_t>(ipsim::model::metric_index(Scope::national, "no_such_metric"));
    EXPECT_NE(seatbelt_message([&] { r.at_national(unknown) = 1.0; }).find("national metric id " + std::to_string(unknown)),
              std::string::npos);
    const auto sector_metrics = ipsim::model::metric_count(Scope::sector);
    EXPECT_NE(seatbelt_message([&] { r.at_sector(sector_metrics, 0) = 1.0; })
                  .find("sector metric id " + std::to_string(sector_metrics) + " (the catalog has " + std::to_string(sector_metrics) + ")"),
              std::string::npos);
    EXPECT_NE(seatbelt_message([&] { r.at_sector(0, 3) = 1.0; }).find(", sector 3; the record has 3 sectors, 2 regions"),
              std::string::npos);
    EXPECT_NE(seatbelt_message([&] { r.at_region(0, 2) = 1.0; }).find(", region 2;"), std::string::npos);
    EXPECT_EQ(seatbelt_message([&] { r.at_region(0, 1) = 1.0; }), "(no seatbelt fired)");
}

TEST(Seatbelts, AccountingResidualStopsASimulationWithoutACheckedSink) {
    IPSIM_SKIP_WITHOUT_SEATBELTS();
    auto sc = ipsim::test::small_scenario(200, 4);
    sc.finance.initial_cash = 1e300;  // overflows the accounting (as in SweepCli.RunWithAnAccountingResidualFailsLikeIpsimRun)
    ipsim::model::Simulation sim(sc, 1);
    try {
        while (sim.steps_done() < sim.steps_total()) {
            sim.step();
        }
        ADD_FAILURE() << "no accounting residual error";
    } catch (const ipsim::model::AccountingResidualError& e) {
        EXPECT_NE(std::string(e.what()).find("accounting residual of "), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("(quarter " + std::to_string(sim.steps_done() + 1) + ")"), std::string::npos) << e.what();
    }
}
