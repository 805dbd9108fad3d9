/*!
 * @file test_quarter.cpp
 * @brief The quarter's table of phases: names, cadence, and what the profile counts.
 */
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "fixtures.hpp"
#include "model/quarter.hpp"

using namespace ipsim;

TEST(Quarter, TableNamesEachPhaseOnceAndDeclaresWhatItTouches) {
    std::set<std::string> names;
    for (const auto& phase : model::quarter_phases()) {
        EXPECT_TRUE(names.insert(phase.name).second) << phase.name;
        EXPECT_NE(std::string(phase.reads), "") << phase.name;
        EXPECT_NE(std::string(phase.writes), "") << phase.name;
        EXPECT_NE(phase.run, nullptr) << phase.name;
    }
    EXPECT_EQ(std::string(model::quarter_phases().front().name), "update_conditions");
    EXPECT_EQ(std::string(model::quarter_phases().back().name), "compute_outcomes");
}

TEST(Quarter, DocsTableAgreesWithTheDeclaredTable) {
    std::ifstream in(std::string(IPSIM_SOURCE_DIR) + "/docs/model.md");
    ASSERT_TRUE(in) << "docs/model.md";
    std::stringstream text;
    text << in.rdbuf();
    std::istringstream lines(text.str());
    std::set<std::string> rows;
    for (std::string line; std::getline(lines, line);) {
        rows.insert(line);
    }
    for (const auto& phase : model::quarter_phases()) {
        const std::string name = std::string("| `") + phase.name + "` |";
        const std::string tail = std::string("| ") + phase.reads + " | " + phase.writes + " |";
        bool found = false;
        for (const auto& row : rows) {
            found = found || (row.find(name) != std::string::npos && row.size() >= tail.size() &&
                              row.compare(row.size() - tail.size(), tail.size(), tail) == 0);
        }
        EXPECT_TRUE(found) << phase.name << ": docs/model.md section 2 should end its row with " << tail;
    }
}

TEST(Quarter, YearlyPhasesRunOnlyInFirstQuarters) {
    const auto sc = test::small_scenario(300, 8);
    model::Simulation sim(sc, 3);
    model::PhaseProfile profile;
    sim.set_profile(&profile);
    while (sim.steps_done() < sim.steps_total()) {
        sim.step();
    }
    EXPECT_EQ(profile.quarters(), 8);
    EXPECT_GT(profile.firm_quarters(), 0.0);
    const auto phases = model::quarter_phases();
    std::size_t yearly = 0;
    for (std::size_t k = 0; k < phases.size(); ++k) {
        const bool is_yearly = phases[k].cadence == model::Cadence::yearly;
        yearly += is_yearly ? 1U : 0U;
        EXPECT_EQ(profile.calls(k), is_yearly ? 2 : 8) << phases[k].name;
        EXPECT_GE(profile.nanoseconds(k), 0) << phases[k].name;
    }
    EXPECT_EQ(yearly, 2U);
}

TEST(Quarter, ProfileDoesNotChangeTheRecords) {
    const auto sc = test::small_scenario(300, 8);
    const auto plain = test::run_records(sc, 5);
    model::Simulation sim(sc, 5);
    model::PhaseProfile profile;
    sim.set_profile(&profile);
    for (const auto& expected : plain) {
        sim.step();
        ASSERT_EQ(sim.record().sector, expected.sector);
        ASSERT_EQ(sim.record().national, expected.national);
        ASSERT_EQ(sim.record().region, expected.region);
    }
}
