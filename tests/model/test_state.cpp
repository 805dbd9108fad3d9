#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "model/scenario.hpp"
#include "model/state.hpp"

namespace model = ipsim::model;

namespace {

/*! The checks of the firm columns' integer types pass at the limits and reject one past them. */
TEST(FirmColumnRanges, AcceptTheLimitsAndRejectOnePast) {
    model::Scenario sc;
    sc.sectors.resize(256);
    EXPECT_NO_THROW(model::check_firm_column_ranges(sc, 32767));
    EXPECT_THROW(model::check_firm_column_ranges(sc, 32768), std::invalid_argument);
    sc.sectors.resize(257);
    EXPECT_THROW(model::check_firm_column_ranges(sc, 10), std::invalid_argument);
    sc.sectors.resize(14);
    sc.finance.zombie_years = 255;
    EXPECT_NO_THROW(model::check_firm_column_ranges(sc, 10));
    ++sc.finance.zombie_years;
    EXPECT_THROW(model::check_firm_column_ranges(sc, 10), std::invalid_argument);
    sc.finance.zombie_years = 0;  // Firms::is_zombie would count every firm
    EXPECT_THROW(model::check_firm_column_ranges(sc, 10), std::invalid_argument);
    // Ages stop at 255 (count_up): the run's length is not limited by them.
    sc.finance.zombie_years = 3;
    sc.time.quarters = 1000000;
    EXPECT_NO_THROW(model::check_firm_column_ranges(sc, 10));
}

/*! Ages and counts of bad years count up by the step and stay at 255 once there. */
TEST(FirmColumnRanges, CountersStopAtTheirLargestValue) {
    EXPECT_EQ(model::count_up(0, 1), 1);
    EXPECT_EQ(model::count_up(40, 0), 40);
    EXPECT_EQ(model::count_up(254, 1), 255);
    EXPECT_EQ(model::count_up(255, 1), 255);
}

/*! Bytes of one firm row summed over the columns. Every byte costs about 0.7 MB at full scale
 *  (mic2025_full ends with about 704,000 rows), and the peak memory target (issue 9) has little
 *  room: a wider type or an extra column should be a decision, not a drift. 301 bytes after
 *  tax_expenditure and interest_subsidy were folded into fiscal_support, ages and bad_years
 *  became one byte each and the zombie flag became Firms::is_zombie. */
TEST(FirmColumnRanges, FirmRowStaysNarrow) {
    model::Firms firms;
    std::size_t bytes = 0;
    firms.for_each_column([&](const auto& column) { bytes += sizeof(typename std::remove_reference_t<decltype(column)>::value_type); });
    EXPECT_LE(bytes, 301U);
    EXPECT_EQ(sizeof(firms.age[0]), 1U);
    EXPECT_EQ(sizeof(firms.bad_years[0]), 1U);
}

/*! A firm is a zombie once its bad years reach zombie_years, and stays one while they grow. */
TEST(FirmColumnRanges, ZombiesFromBadYears) {
    model::Firms firms;
    firms.zombie_years = 3;
    for (const int years : {0, 2, 3, 255}) {
        const std::size_t i = firms.append();
        firms.bad_years[i] = static_cast<model::QuarterCount>(years);
    }
    EXPECT_FALSE(firms.is_zombie(0));
    EXPECT_FALSE(firms.is_zombie(1));
    EXPECT_TRUE(firms.is_zombie(2));
    EXPECT_TRUE(firms.is_zombie(3));
}

TEST(FirmColumnRanges, FirmIdsStopWhereTheColumnEnds) {
    model::State st;
    st.next_firm_id = std::numeric_limits<model::FirmId>::max();
    EXPECT_EQ(st.new_firm_id(), std::numeric_limits<model::FirmId>::max());
    EXPECT_THROW(static_cast<void>(st.new_firm_id()), std::overflow_error);
}

}  // namespace
