#include <gtest/gtest.h>

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/random.hpp"

using ipsim::core::Purpose;
using ipsim::core::Stream;
using ipsim::core::StreamFamily;

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

namespace {

/*! The first uniform of a stream written out straight from Random123 (the reference). */
double reference_first_uniform(std::uint64_t seed, Purpose purpose, std::uint64_t agent, std::uint64_t step) {
    const r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32U)}};
    const r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(agent),
                                                 (static_cast<std::uint32_t>(purpose) << 24U) ^ static_cast<std::uint32_t>(agent >> 32U),
                                                 static_cast<std::uint32_t>(step), 0U}};
    const auto block = r123::Philox4x32{}(counter, key);
    const std::uint64_t hi = block.v[0] >> 5U;
    const std::uint64_t lo = block.v[1] >> 6U;
    return (static_cast<double>((hi << 26U) | lo) + 0.5) * 0x1.0p-53;
}

}  // namespace

TEST(StreamFamily, BatchOfFirstTwoUniformsMatchesOneAgentAtATime) {
    // Lengths around the batch's chunk of 64 and its vector widths, ids past 32 bits included.
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{64}, std::size_t{65}, std::size_t{203}}) {
        const StreamFamily family(0x123456789ABCDEFULL, Purpose::demand_shock, 77);
        std::vector<std::uint64_t> agents(n);
        for (std::size_t j = 0; j < n; ++j) {
            agents[j] = j % 2 == 0 ? 5 * j : (j << 35U) + 11;
        }
        std::vector<double> first(n);
        std::vector<double> second(n);
        family.first_two_uniforms(agents.data(), n, first.data(), second.data());
        for (std::size_t j = 0; j < n; ++j) {
            const auto pair = family.first_two_uniforms(agents[j]);
            ASSERT_EQ(pair[0], first[j]) << n << " " << j;
            ASSERT_EQ(pair[1], second[j]) << n << " " << j;
        }
    }
}

TEST(StreamFamily, FirstUniformsAreTheStreamsFirstDraws) {
    const std::uint64_t seeds[] = {0, 1, 3, 42, 0xFFFFFFFFULL, 0x123456789ABCDEFULL, ~0ULL};
    const Purpose purposes[] = {Purpose::bailout, Purpose::entrant, Purpose::refinance, Purpose::bootstrap};
    const std::uint64_t steps[] = {0, 1, 83, 0xFFFFFFFFULL, 1ULL << 40U};
    Stream agents(7, Purpose::setup, 0, 0);
    for (const auto seed : seeds) {
        for (const auto purpose : purposes) {
            for (const auto step : steps) {
                const StreamFamily family(seed, purpose, step);
                for (int k = 0; k < 200; ++k) {
                    std::uint64_t agent = static_cast<std::uint64_t>(k);
                    if (k >= 100) {
                        agent = (static_cast<std::uint64_t>(agents.below(1ULL << 31U)) << 33U) ^ agents.below(1ULL << 32U);
                    }
                    const double expected = reference_first_uniform(seed, purpose, agent, step);
                    ASSERT_EQ(expected, family.first_uniform(agent)) << seed << " " << agent << " " << step;
                    ASSERT_EQ(expected, Stream(seed, purpose, agent, step).uniform());
                    Stream first_two(seed, purpose, agent, step);
                    const auto pair = family.first_two_uniforms(agent);
                    ASSERT_EQ(first_two.uniform(), pair[0]);
                    ASSERT_EQ(first_two.uniform(), pair[1]);
                    Stream whole = family.stream(agent);
                    Stream direct(seed, purpose, agent, step);
                    for (int d = 0; d < 5; ++d) {
                        ASSERT_EQ(direct.uniform(), whole.uniform());
                    }
                }
            }
        }
    }
}
