/*!
 * @file test_sensitivity.cpp
 * @brief Sobol and Morris estimators against analytical indices: Ishigami (a = 7, b = 0.1),
 *        the Sobol G function, linear and interacting functions for Morris; error paths.
 */
#include <gtest/gtest.h>

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "sweep/design.hpp"
#include "sweep/sensitivity.hpp"

using namespace ipsim::sweep;

namespace {

constexpr double kPi = std::numbers::pi;

using Model = std::function<double(const UnitDesign&, std::size_t)>;

double ishigami(const UnitDesign& d, std::size_t row) {
    const double x1 = -kPi + 2 * kPi * d.at(row, 0);
    const double x2 = -kPi + 2 * kPi * d.at(row, 1);
    const double x3 = -kPi + 2 * kPi * d.at(row, 2);
    return std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

const std::vector<double> kGA = {0, 1, 4.5, 9, 99, 99};

double sobol_g(const UnitDesign& d, std::size_t row) {
    double g = 1.0;
    for (std::size_t i = 0; i < kGA.size(); ++i) {
        g *= (std::abs(4 * d.at(row, i) - 2) + kGA[i]) / (1 + kGA[i]);
    }
    return g;
}

struct Analytical {
    std::vector<double> s1, st;
};

/*! Ishigami: V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = 8 b^2 pi^8 / 225. */
Analytical ishigami_indices(double a = 7.0, double b = 0.1) {
    const double v1 = 0.5 * std::pow(1 + b * std::pow(kPi, 4) / 5, 2);
    const double v2 = a * a / 8;
    const double v13 = 8 * b * b * std::pow(kPi, 8) / 225;
    const double v = v1 + v2 + v13;
    return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

/*! G function: V_i = 1 / (3 (1 + a_i)^2), V = prod(1 + V_i) - 1, ST_i = V_i prod_{j != i}(1 + V_j) / V. */
Analytical g_indices() {
    std::vector<double> vi;
    double prod = 1.0;
    for (const double a : kGA) {
        vi.push_back(1.0 / (3 * (1 + a) * (1 + a)));
        prod *= 1 + vi.back();
    }
    Analytical r;
    for (const double v : vi) {
        r.s1.push_back(v / (prod - 1));
        r.st.push_back(v * prod / (1 + v) / (prod - 1));
    }
    return r;
}

std::vector<double> evaluate(const UnitDesign& d, const Model& f) {
    std::vector<double> y(d.rows);
    for (std::size_t row = 0; row < d.rows; ++row) {
        y[row] = f(d, row);
    }
    return y;
}

DesignSpec saltelli(std::size_t dims, std::size_t n, bool second_order) {
    DesignSpec spec;
    spec.method = DesignMethod::kSobol;
    spec.dimensions = dims;
    spec.samples = n;
    spec.second_order = second_order;
    return spec;
}

DesignSpec morris(std::size_t dims, std::size_t trajectories, std::uint64_t seed = 5) {
    DesignSpec spec;
    spec.method = DesignMethod::kMorris;
    spec.dimensions = dims;
    spec.samples = trajectories;
    spec.seed = seed;
    return spec;
}

}  // namespace

TEST(Analytical, IshigamiReferenceValuesAreThePublishedOnes) {
    const auto ref = ishigami_indices();
    EXPECT_NEAR(ref.s1[0], 0.3139, 1e-4);
    EXPECT_NEAR(ref.s1[1], 0.4424, 1e-4);
    EXPECT_NEAR(ref.st[0], 0.5576, 1e-4);
    EXPECT_NEAR(ref.st[2], 0.2437, 1e-4);
}

TEST(SobolAnalysis, IshigamiIndicesWithin003OfAnalyticalAndInsideTheirIntervals) {
    const auto spec = saltelli(3, 8192, false);
    const auto design = make_unit_design(spec);
    const auto y = evaluate(design, ishigami);
    const auto s = analyze_sobol(spec, y);
    const auto ref = ishigami_indices();
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(s.S1[i], ref.s1[i], 0.03) << "S1 x" << i + 1;
        EXPECT_NEAR(s.ST[i], ref.st[i], 0.03) << "ST x" << i + 1;
        EXPECT_LE(std::abs(s.S1[i] - ref.s1[i]), s.S1_conf[i]) << "S1 x" << i + 1 << " conf " << s.S1_conf[i];
        EXPECT_LE(std::abs(s.ST[i] - ref.st[i]), s.ST_conf[i]) << "ST x" << i + 1 << " conf " << s.ST_conf[i];
        EXPECT_GT(s.S1_conf[i], 0.0);
        EXPECT_LT(s.S1_conf[i], 0.05);
        EXPECT_LT(s.ST_conf[i], 0.05);
        EXPECT_TRUE(std::isnan(s.S2[i * 3 + (i + 1) % 3]));
    }
    const auto again = analyze_sobol(spec, y);
    EXPECT_EQ(again.S1_conf, s.S1_conf);
    EXPECT_EQ(again.ST, s.ST);
}

TEST(SobolAnalysis, IntervalsDoNotDependOnTheThreadCount) {
    const auto spec = saltelli(3, 512, true);
    const auto y = evaluate(make_unit_design(spec), ishigami);
    const auto parallel = analyze_sobol(spec, y);
    SobolIndices serial;
    {
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        serial = analyze_sobol(spec, y);
    }
    EXPECT_EQ(serial.S1_conf, parallel.S1_conf);
    EXPECT_EQ(serial.ST_conf, parallel.ST_conf);
    for (std::size_t c = 0; c < 9; ++c) {
        EXPECT_TRUE(serial.S2_conf[c] == parallel.S2_conf[c] || (std::isnan(serial.S2_conf[c]) && std::isnan(parallel.S2_conf[c])));
    }
    BootstrapOptions other;
    other.seed = 7;
    EXPECT_NE(analyze_sobol(spec, y, other).S1_conf, parallel.S1_conf);
    other.resamples = 0;
    EXPECT_TRUE(std::isnan(analyze_sobol(spec, y, other).S1_conf[0]));
}

TEST(SobolAnalysis, SecondOrderIshigamiFindsTheX1X3InteractionOnly) {
    const auto spec = saltelli(3, 4096, true);
    const auto design = make_unit_design(spec);
    const auto s = analyze_sobol(spec, evaluate(design, ishigami));
    const auto ref = ishigami_indices();
    EXPECT_NEAR(s.S2[0 * 3 + 2], ref.st[2], 0.06);
    EXPECT_NEAR(s.S2[0 * 3 + 1], 0.0, 0.06);
    EXPECT_NEAR(s.S2[1 * 3 + 2], 0.0, 0.06);
    EXPECT_TRUE(std::isnan(s.S2[2 * 3 + 0]));
    EXPECT_GT(s.S2_conf[0 * 3 + 2], 0.0);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(s.S1[i], ref.s1[i], 0.04);
        EXPECT_NEAR(s.ST[i], ref.st[i], 0.04);
    }
}

TEST(SobolAnalysis, SobolGFunctionMatchesAnalyticalIndicesWithinTheirIntervals) {
    const auto spec = saltelli(6, 8192, false);
    const auto design = make_unit_design(spec);
    const auto s = analyze_sobol(spec, evaluate(design, sobol_g));
    const auto ref = g_indices();
    EXPECT_NEAR(ref.s1[0], 0.7163, 1e-4);
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_NEAR(s.S1[i], ref.s1[i], 0.03) << "S1 x" << i + 1;
        EXPECT_NEAR(s.ST[i], ref.st[i], 0.03) << "ST x" << i + 1;
        EXPECT_LE(std::abs(s.S1[i] - ref.s1[i]), std::max(s.S1_conf[i], 1e-3)) << "S1 x" << i + 1 << " conf " << s.S1_conf[i];
        EXPECT_LE(std::abs(s.ST[i] - ref.st[i]), std::max(s.ST_conf[i], 1e-3)) << "ST x" << i + 1 << " conf " << s.ST_conf[i];
    }
    EXPECT_GT(s.S1[0], s.S1[1]);
    EXPECT_GT(s.S1[1], s.S1[2]);
    EXPECT_LT(s.ST[5], 0.001);
}

TEST(SobolAnalysis, RefusesWrongSizesAndNonFiniteOutputs) {
    const auto spec = saltelli(2, 8, false);
    std::vector<double> y(32, 1.0);
    y[3] = 2.0;
    EXPECT_NO_THROW((void)analyze_sobol(spec, y));
    EXPECT_THROW((void)analyze_sobol(spec, std::vector<double>(31, 1.0)), std::invalid_argument);
    y[17] = std::nan("");
    try {
        (void)analyze_sobol(spec, y);
        FAIL() << "accepted NaN";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("row 18"), std::string::npos) << e.what();
    }
    EXPECT_EQ(saltelli_base_samples(40, 3, false), 8U);
    EXPECT_EQ(saltelli_base_samples(64, 3, true), 8U);
    EXPECT_THROW((void)saltelli_base_samples(41, 3, false), std::invalid_argument);
    const auto constant = analyze_sobol(spec, std::vector<double>(32, 3.0));
    EXPECT_TRUE(std::isnan(constant.S1[0]));
}

TEST(MorrisAnalysis, LinearFunctionGivesItsCoefficientsAndZeroForAnInertParameter) {
    const std::vector<double> c = {5.0, -3.0, 1.0, 0.0};
    const auto spec = morris(4, 20);
    const auto design = make_unit_design(spec);
    const auto y = evaluate(design, [&](const UnitDesign& d, std::size_t row) {
        double sum = 0.0;
        for (std::size_t i = 0; i < c.size(); ++i) {
            sum += c[i] * d.at(row, i);
        }
        return sum;
    });
    const auto m = analyze_morris(design, y);
    ASSERT_EQ(m.trajectories, 20U);
    for (std::size_t i = 0; i < c.size(); ++i) {
        EXPECT_NEAR(m.mu_star[i], std::abs(c[i]), 1e-9) << i;
        EXPECT_NEAR(m.mu[i], c[i], 1e-9) << i;
        EXPECT_NEAR(m.sigma[i], 0.0, 1e-9) << i;
        EXPECT_NEAR(m.mu_star_conf[i], 0.0, 1e-9) << i;
    }
    const auto from_spec = analyze_morris(spec, y);
    EXPECT_EQ(from_spec.mu_star, m.mu_star);
}

TEST(MorrisAnalysis, InteractionsShowInSigmaAndRankingFollowsEffectSize) {
    const auto spec = morris(3, 50);
    const auto design = make_unit_design(spec);
    const auto y = evaluate(design, [](const UnitDesign& d, std::size_t row) {
        return 2.0 * d.at(row, 0) + 8.0 * d.at(row, 1) * d.at(row, 2);
    });
    const auto m = analyze_morris(design, y);
    EXPECT_NEAR(m.sigma[0], 0.0, 1e-9);
    EXPECT_GT(m.sigma[1], 1.0);
    EXPECT_GT(m.mu_star[1], m.mu_star[0]);
    EXPECT_GT(m.mu_star_conf[1], 0.0);
    EXPECT_LT(m.mu_star_conf[1], m.mu_star[1]);
}

TEST(MorrisAnalysis, RefusesDesignsThatAreNotTrajectories) {
    const auto spec = morris(2, 3);
    auto design = make_unit_design(spec);
    std::vector<double> y(design.rows, 1.0);
    EXPECT_NO_THROW((void)analyze_morris(design, y));
    EXPECT_THROW((void)analyze_morris(design, std::vector<double>(design.rows - 1, 1.0)), std::invalid_argument);
    auto broken = design;
    broken.values[1 * 2 + 0] = broken.values[0] == 0.0 ? 0.5 : 0.0;
    broken.values[1 * 2 + 1] = broken.values[1] == 0.0 ? 0.5 : 0.0;
    EXPECT_THROW((void)analyze_morris(broken, y), std::invalid_argument);
    y[4] = INFINITY;
    EXPECT_THROW((void)analyze_morris(design, y), std::invalid_argument);
    DesignSpec random = spec;
    random.method = DesignMethod::kRandom;
    EXPECT_THROW((void)analyze_morris(random, y), std::invalid_argument);
}

TEST(NormalQuantile, MatchesTheTabulatedValues) {
    EXPECT_NEAR(normal_quantile(0.95), 1.959963984540054, 1e-9);
    EXPECT_NEAR(normal_quantile(0.99), 2.5758293035489, 1e-9);
    EXPECT_NEAR(normal_quantile(0.5), 0.6744897501960817, 1e-9);
    EXPECT_THROW((void)normal_quantile(1.0), std::invalid_argument);
}
