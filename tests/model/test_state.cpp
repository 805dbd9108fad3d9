#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>

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
    sc.time.quarters = 32767 - model::kFirstFirmAge - sc.finance.zombie_years;
    EXPECT_NO_THROW(model::check_firm_column_ranges(sc, 10));
    ++sc.time.quarters;
    EXPECT_THROW(model::check_firm_column_ranges(sc, 10), std::invalid_argument);
}

TEST(FirmColumnRanges, FirmIdsStopWhereTheColumnEnds) {
    model::State st;
    st.next_firm_id = std::numeric_limits<model::FirmId>::max();
    EXPECT_EQ(st.new_firm_id(), std::numeric_limits<model::FirmId>::max());
    EXPECT_THROW(static_cast<void>(st.new_firm_id()), std::overflow_error);
}

}  // namespace
