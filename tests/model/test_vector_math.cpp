/*!
 * @file test_vector_math.cpp
 * @brief The libmvec wrappers of the build option IPSIM_VECTOR_MATH against scalar libm, and the
 *        newsvendor's block of capacity factors against capacity_factor (built with the option only).
 */
#include <gtest/gtest.h>

// Compiled only with the option (tests/CMakeLists.txt); the guard keeps tools that read the
// default build's flags (clang-tidy in .ci/lint) from checking it without them.
#if IPSIM_VECTOR_MATH

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "model/detail/vector_math.hpp"
#include "model/newsvendor.hpp"

// As in firms.cpp: newsvendor::capacity_factors_avx2 instantiates lanes.hpp's Double4 functions,
// and GCC warns at the end of the file (hence no pop).
#pragma GCC diagnostic ignored "-Wpsabi"

using namespace ipsim::model;
namespace vm = detail::vector_math;

namespace {

/*! Ulps between two finite doubles of the same sign. */
std::uint64_t ulps_apart(double a, double b) {
    std::int64_t x = 0;
    std::int64_t y = 0;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x > y ? static_cast<std::uint64_t>(x - y) : static_cast<std::uint64_t>(y - x);
}

/*! n inputs spread over [lo, hi), padded to vm::padded(n) with the first of them. */
std::vector<double> inputs(std::size_t n, double lo, double hi) {
    std::vector<double> x(vm::padded(n));
    for (std::size_t j = 0; j < x.size(); ++j) {
        const std::size_t k = j < n ? j : 0;
        x[j] = lo + (hi - lo) * (static_cast<double>(k) + 0.37) / static_cast<double>(n);
    }
    return x;
}

struct UnaryCase {
    std::string name;
    void (*vector)(double*, std::size_t) noexcept;
    std::function<double(double)> scalar;
    double lo;
    double hi;
};

constexpr std::uint64_t kMaxUlps = 4;  // libmvec's documented bound

// Lengths below, at and above a multiple of the padding, and a whole block.
const std::size_t kLengths[] = {1, 3, 4, 5, 7, 255, vm::kBlock};

}  // namespace

TEST(VectorMath, EachWrapperIsWithinAFewUlpOfScalarLibmAtEveryPaddedLength) {
    const std::vector<UnaryCase> cases = {
        {"log", vm::log, [](double x) { return std::log(x); }, 1e-3, 1e3},
        {"exp", vm::exp, [](double x) { return std::exp(x); }, -20.0, 20.0},
        {"cos", vm::cos, [](double x) { return std::cos(x); }, -10.0, 10.0},
        // erfc's range where its value is a normal double: the newsvendor's quantiles use [-2.1, 2.1].
        {"erfc", vm::erfc, [](double x) { return std::erfc(x); }, -5.0, 5.0},
    };
    for (const auto& c : cases) {
        for (const std::size_t n : kLengths) {
            auto x = inputs(n, c.lo, c.hi);
            const auto original = x;
            c.vector(x.data(), x.size());
            for (std::size_t j = 0; j < x.size(); ++j) {
                EXPECT_LE(ulps_apart(x[j], c.scalar(original[j])), kMaxUlps) << c.name << "(" << original[j] << "), n = " << n;
            }
        }
    }
}

TEST(VectorMath, PowIsWithinAFewUlpOfScalarPowAtEveryPaddedLength) {
    for (const std::size_t n : kLengths) {
        auto x = inputs(n, 0.5, 3.0);
        const auto y = inputs(n, -0.5, 0.5);
        const auto original = x;
        vm::pow(x.data(), y.data(), x.size());
        for (std::size_t j = 0; j < x.size(); ++j) {
            EXPECT_LE(ulps_apart(x[j], std::pow(original[j], y[j])), kMaxUlps) << "pow(" << original[j] << ", " << y[j] << "), n = " << n;
        }
    }
}

TEST(VectorMath, AValueDependsOnlyOnItsArgumentNotOnItsPlace) {
    // What keeps results the same at any thread count: a block's values do not depend on where a
    // firm falls in it or on the block's length.
    for (const std::size_t n : kLengths) {
        std::vector<double> x(vm::padded(n), 0.7);
        std::vector<double> y(vm::padded(n), 0.3);
        vm::erfc(x.data(), x.size());
        vm::pow(y.data(), std::vector<double>(y.size(), 1.7).data(), y.size());
        for (std::size_t j = 0; j < x.size(); ++j) {
            EXPECT_EQ(x[j], x[0]) << "erfc, n = " << n << ", j = " << j;
            EXPECT_EQ(y[j], y[0]) << "pow, n = " << n << ", j = " << j;
        }
    }
}

TEST(VectorMath, BlockOfCapacityFactorsAgreesWithTheScalarRule) {
    // Cost ratios on both sides of the bounds (clamped) and in the tails of the quantile.
    std::vector<double> ratio;
    std::vector<double> sigma;
    for (std::size_t j = 0; j < vm::kBlock - 3; ++j) {
        ratio.push_back(-0.1 + 1.2 * static_cast<double>(j) / static_cast<double>(vm::kBlock - 4));
        sigma.push_back(0.02 + 0.5 * static_cast<double>(j % 17) / 16.0);
    }
    ratio.resize(vm::padded(ratio.size()), 1.0);
    sigma.resize(ratio.size(), 0.0);
    std::vector<double> factor(ratio.size());
    newsvendor::capacity_factors(sigma.data(), ratio.data(), factor.data(), ratio.size());
    for (std::size_t j = 0; j < ratio.size(); ++j) {
        const double scalar = newsvendor::capacity_factor(sigma[j], ratio[j]);
        EXPECT_NEAR(factor[j], scalar, 1e-14 * scalar) << "sigma " << sigma[j] << ", cost ratio " << ratio[j];
    }
}

TEST(VectorMath, CapacityFactorsFourAtATimeEqualTheOneAtATimePassesBitForBit) {
    // capacity_factors' AVX2 lanes against its SSE2 loops: cost ratios at and beyond both bounds,
    // in both tails of approximate_quantile, in its central region and NaN (inside the bounds).
    if (!vm::uses_avx2()) {
        GTEST_SKIP() << "no AVX2";
    }
    std::vector<double> ratio = {newsvendor::kMinRatio, 1.0 - newsvendor::kMinRatio, 0.021, 0.979, 0.0242, 0.976, 0.5, std::nan("")};
    for (std::size_t j = 0; ratio.size() < vm::kBlock; ++j) {
        ratio.push_back(-0.05 + 1.1 * static_cast<double>(j) / static_cast<double>(vm::kBlock));
    }
    std::vector<double> sigma(ratio.size());
    for (std::size_t j = 0; j < sigma.size(); ++j) {
        sigma[j] = 0.01 + 0.6 * static_cast<double>(j % 13) / 12.0;
    }
    std::vector<double> lanes(ratio.size());
    std::vector<double> scalar(ratio.size());
    newsvendor::capacity_factors_avx2(sigma.data(), ratio.data(), lanes.data(), ratio.size());
    newsvendor::capacity_factors_scalar(sigma.data(), ratio.data(), scalar.data(), ratio.size());
    for (std::size_t j = 0; j < ratio.size(); ++j) {
        if (std::isnan(scalar[j])) {
            EXPECT_TRUE(std::isnan(lanes[j])) << "cost ratio " << ratio[j];
        } else {
            EXPECT_EQ(lanes[j], scalar[j]) << "sigma " << sigma[j] << ", cost ratio " << ratio[j];
        }
    }
}

#endif  // IPSIM_VECTOR_MATH
