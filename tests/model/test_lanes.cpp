/*!
 * @file test_lanes.cpp
 * @brief The lane helpers of model/detail/lanes.hpp against the scalar forms they restate:
 *        min_of and max_of against std::min and std::max bit for bit (NaN and signed zeros
 *        included), in both lane types, and the byte masks, loads, stores and gathers.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "model/detail/lanes.hpp"

#pragma GCC diagnostic ignored "-Wpsabi"  // the Double4 values here never cross a call

namespace lanes = ipsim::model::detail::lanes;

namespace {

std::uint64_t bits(double x) {
    std::uint64_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

/*! Values where min and max are easy to get wrong: signed zeros, NaN, infinities. */
const std::vector<double> kValues = {0.0,
                                     -0.0,
                                     1.0,
                                     -1.0,
                                     0.9,
                                     std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(),
                                     std::numeric_limits<double>::denorm_min()};

}  // namespace

TEST(Lanes, ScalarMinAndMaxAreStdMinAndMaxBitForBit) {
    for (const double a : kValues) {
        for (const double b : kValues) {
            EXPECT_EQ(bits(lanes::min_of(a, b)), bits(std::min(a, b))) << a << " " << b;
            EXPECT_EQ(bits(lanes::max_of(a, b)), bits(std::max(a, b))) << a << " " << b;
        }
    }
}

TEST(Lanes, EveryLaneOfDouble4MinAndMaxIsTheScalarResult) {
    // Each pair of kValues lands in each lane position once.
    for (std::size_t shift = 0; shift < 4; ++shift) {
        for (const double a : kValues) {
            lanes::Double4 x{};
            lanes::Double4 y{};
            for (std::size_t k = 0; k < 4; ++k) {
                x[k] = a;
                y[k] = kValues[(k + shift) % kValues.size()];
            }
            const lanes::Double4 lo = lanes::min_of(x, y);
            const lanes::Double4 hi = lanes::max_of(x, y);
            for (std::size_t k = 0; k < 4; ++k) {
                EXPECT_EQ(bits(lo[k]), bits(std::min(x[k], y[k]))) << x[k] << " " << y[k];
                EXPECT_EQ(bits(hi[k]), bits(std::max(x[k], y[k]))) << x[k] << " " << y[k];
            }
        }
    }
}

TEST(Lanes, SelectAndMaskLogicWorkPerLane) {
    const lanes::Double4 a{1.0, 2.0, 3.0, 4.0};
    const lanes::Double4 b{-1.0, -2.0, -3.0, -4.0};
    const lanes::Mask4 m = a > lanes::splat<lanes::Double4>(2.5);  // lanes 2 and 3
    const lanes::Double4 picked = lanes::select(m, a, b);
    EXPECT_EQ(picked[0], -1.0);
    EXPECT_EQ(picked[1], -2.0);
    EXPECT_EQ(picked[2], 3.0);
    EXPECT_EQ(picked[3], 4.0);
    const lanes::Mask4 n = a < lanes::splat<lanes::Double4>(3.5);  // lanes 0 to 2
    EXPECT_FALSE(lanes::holds(lanes::both(m, n), 0));
    EXPECT_TRUE(lanes::holds(lanes::both(m, n), 2));
    EXPECT_FALSE(lanes::holds(lanes::both(m, n), 3));
    EXPECT_TRUE(lanes::holds(lanes::negate(m), 1));
    EXPECT_FALSE(lanes::holds(lanes::negate(m), 2));
    EXPECT_FALSE(lanes::none(m));
    EXPECT_TRUE(lanes::none(lanes::both(m, lanes::negate(m))));
    EXPECT_FALSE(lanes::all(m));
    EXPECT_TRUE(lanes::all(lanes::negate(lanes::both(m, lanes::negate(m)))));
    EXPECT_EQ(lanes::select(true, 1.0, 2.0), 1.0);
    EXPECT_EQ(lanes::select(false, 1.0, 2.0), 2.0);
}

TEST(Lanes, ByteMasksReadOneByteALane) {
    const std::array<std::uint8_t, 6> bytes = {0, 1, 2, 255, 2, 0};
    for (std::size_t i = 0; i + 4 <= bytes.size(); ++i) {
        const auto two = lanes::equal<lanes::Double4>(bytes.data() + i, 2);
        const auto set = lanes::nonzero<lanes::Double4>(bytes.data() + i);
        for (std::size_t k = 0; k < 4; ++k) {
            EXPECT_EQ(lanes::holds(two, k), bytes[i + k] == 2) << i << " " << k;
            EXPECT_EQ(lanes::holds(set, k), bytes[i + k] != 0) << i << " " << k;
            EXPECT_EQ(lanes::equal<double>(bytes.data() + i + k, 2), bytes[i + k] == 2);
            EXPECT_EQ(lanes::nonzero<double>(bytes.data() + i + k), bytes[i + k] != 0);
        }
    }
}

TEST(Lanes, LoadsStoresAndGathersKeepTheirRows) {
    std::array<double, 6> column = {10.0, 11.0, 12.0, 13.0, 14.0, 15.0};
    const auto v = lanes::load<lanes::Double4>(column.data() + 1);
    EXPECT_EQ(v[0], 11.0);
    EXPECT_EQ(v[3], 14.0);
    const lanes::Mask4 odd = lanes::Mask4{0, -1, 0, -1};
    lanes::store_where(column.data() + 1, odd, v + 100.0);
    EXPECT_EQ(column[1], 11.0);
    EXPECT_EQ(column[2], 112.0);
    EXPECT_EQ(column[3], 13.0);
    EXPECT_EQ(column[4], 114.0);
    EXPECT_EQ(column[5], 15.0);
    lanes::store(column.data(), lanes::splat<lanes::Double4>(-0.0));
    EXPECT_TRUE(std::signbit(column[3]));
    const auto g = lanes::gather<lanes::Double4>([](std::size_t k) { return 2.0 * static_cast<double>(k); });
    EXPECT_EQ(g[0], 0.0);
    EXPECT_EQ(g[3], 6.0);
    EXPECT_EQ(lanes::gather<double>([](std::size_t k) { return static_cast<double>(k) + 7.0; }), 7.0);
}
