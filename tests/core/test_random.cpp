#include <gtest/gtest.h>

#include <cmath>

#include "core/random.hpp"

using ipsim::core::Purpose;
using ipsim::core::Stream;

TEST(Stream, SameKeySameDraws) {
    Stream a(42, Purpose::entry, 7, 3);
    Stream b(42, Purpose::entry, 7, 3);
    for (int k = 0; k < 100; ++k) {
        EXPECT_EQ(a.uniform(), b.uniform());
    }
}

TEST(Stream, DifferentKeysDiffer) {
    const double base = Stream(42, Purpose::entry, 7, 3).uniform();
    EXPECT_NE(base, Stream(43, Purpose::entry, 7, 3).uniform());
    EXPECT_NE(base, Stream(42, Purpose::bailout, 7, 3).uniform());
    EXPECT_NE(base, Stream(42, Purpose::entry, 8, 3).uniform());
    EXPECT_NE(base, Stream(42, Purpose::entry, 7, 4).uniform());
    EXPECT_NE(base, Stream(42, Purpose::entry, 7ULL << 32U, 3).uniform());
}

TEST(Stream, UniformMomentsAndRange) {
    Stream s(1, Purpose::setup, 0, 0);
    double sum = 0.0;
    double sq = 0.0;
    const int n = 200000;
    for (int k = 0; k < n; ++k) {
        const double u = s.uniform();
        ASSERT_GT(u, 0.0);
        ASSERT_LT(u, 1.0);
        sum += u;
        sq += u * u;
    }
    EXPECT_NEAR(sum / n, 0.5, 0.005);
    EXPECT_NEAR(sq / n - 0.25, 1.0 / 12.0, 0.003);
}

TEST(Stream, NormalMoments) {
    Stream s(2, Purpose::setup, 0, 0);
    double sum = 0.0;
    double sq = 0.0;
    const int n = 200000;
    for (int k = 0; k < n; ++k) {
        const double z = s.normal();
        sum += z;
        sq += z * z;
    }
    EXPECT_NEAR(sum / n, 0.0, 0.01);
    EXPECT_NEAR(sq / n, 1.0, 0.02);
}

TEST(Stream, PoissonMeanSmallAndLarge) {
    for (const double lambda : {0.3, 4.0, 80.0}) {
        Stream s(3, Purpose::entry, 0, 0);
        double sum = 0.0;
        const int n = 50000;
        for (int k = 0; k < n; ++k) {
            sum += static_cast<double>(s.poisson(lambda));
        }
        EXPECT_NEAR(sum / n, lambda, 0.03 * lambda + 0.01) << "lambda " << lambda;
    }
    Stream s(3, Purpose::entry, 0, 0);
    EXPECT_EQ(s.poisson(0.0), 0U);
    EXPECT_EQ(s.poisson(-1.0), 0U);
}

TEST(Stream, BelowStaysInRange) {
    Stream s(4, Purpose::fund_candidates, 0, 0);
    for (int k = 0; k < 10000; ++k) {
        EXPECT_LT(s.below(7), 7U);
    }
}
