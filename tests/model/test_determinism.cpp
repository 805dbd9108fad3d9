/*!
 * @file test_determinism.cpp
 * @brief The same scenario and seed give bit-identical records whatever the thread count.
 */
#include <gtest/gtest.h>

#include <oneapi/tbb/global_control.h>

#include <cstring>
#include <map>
#include <string>

#include "fixtures.hpp"
#include "model/simulation.hpp"
#include "model/state.hpp"

using namespace ipsim;

namespace {

std::vector<model::StepRecord> run_with_threads(const model::Scenario& sc, std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return test::run_records(sc, 11);
}

void expect_identical(const std::vector<model::StepRecord>& a, const std::vector<model::StepRecord>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t) {
        ASSERT_EQ(a[t].sector, b[t].sector) << "quarter " << t;
        ASSERT_EQ(a[t].region, b[t].region) << "quarter " << t;
        ASSERT_EQ(a[t].national, b[t].national) << "quarter " << t;
        ASSERT_EQ(a[t].region_sector, b[t].region_sector) << "quarter " << t;
    }
}

/*! The bytes of every firm column right after setup, by column name. */
std::map<std::string, std::string> initial_firm_columns(const model::Scenario& sc, std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const model::Simulation sim(sc, 11);
    std::map<std::string, std::string> columns;
    sim.state().firms.for_each_named_column([&](const auto& column, const char* name) {
        std::string bytes(column.size() * sizeof(*column.data()), '\0');
        std::memcpy(bytes.data(), column.data(), bytes.size());
        columns[name] = std::move(bytes);
    });
    return columns;
}

}  // namespace

TEST(Determinism, InitialFirmsBitIdenticalAcrossThreadCounts) {
    // Setup draws, sizes and prices the initial firms in parallel loops.
    const auto sc = test::small_scenario(30000, 1);
    const auto one = initial_firm_columns(sc, 1);
    ASSERT_FALSE(one.empty());
    EXPECT_EQ(one, initial_firm_columns(sc, 2));
    EXPECT_EQ(one, initial_firm_columns(sc, 4));
}

TEST(Determinism, BitIdenticalAcrossThreadCounts) {
    // Enough firms that every parallel loop is split into several chunks.
    auto sc = test::small_scenario(30000, 24);
    sc.local.per_region = 20;
    sc.funds.local_per_government = 1.0;
    const auto one = run_with_threads(sc, 1);
    expect_identical(one, run_with_threads(sc, 2));
    expect_identical(one, run_with_threads(sc, 4));
}

TEST(Determinism, SameSeedSameRunDifferentSeedDifferentRun) {
    const auto sc = test::small_scenario(600, 16);
    const auto a = test::run_records(sc, 1);
    expect_identical(a, test::run_records(sc, 1));
    EXPECT_NE(a.back().sector, test::run_records(sc, 2).back().sector);
}
