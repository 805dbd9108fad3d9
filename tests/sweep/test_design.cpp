/*!
 * @file test_design.cpp
 * @brief Designs: the Sobol sequence against its published first points, the structure of
 *        grid, LHS, Saltelli and Morris designs, reproducibility by seed and spec errors.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sweep/design.hpp"
#include "sweep/sobol_sequence.hpp"

using namespace ipsim::sweep;

namespace {

DesignSpec spec_of(DesignMethod method, std::size_t dims, std::size_t samples, std::uint64_t seed = 1) {
    DesignSpec spec;
    spec.method = method;
    spec.dimensions = dims;
    spec.samples = samples;
    spec.seed = seed;
    return spec;
}

std::vector<double> row_of(const UnitDesign& d, std::size_t row) {
    return {d.values.begin() + static_cast<long>(row * d.dimensions), d.values.begin() + static_cast<long>((row + 1) * d.dimensions)};
}

}  // namespace

TEST(DesignMethod, ParsesNamesAndRejectsOthersListingTheValidOnes) {
    EXPECT_EQ(parse_design_method("grid"), DesignMethod::kGrid);
    EXPECT_EQ(parse_design_method("random"), DesignMethod::kRandom);
    EXPECT_EQ(parse_design_method("lhs"), DesignMethod::kLhs);
    EXPECT_EQ(parse_design_method("sobol"), DesignMethod::kSobol);
    EXPECT_EQ(parse_design_method("morris"), DesignMethod::kMorris);
    EXPECT_EQ(design_method_name(DesignMethod::kLhs), "lhs");
    try {
        (void)parse_design_method("Sobol");
        FAIL() << "accepted 'Sobol'";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("grid, random, lhs, sobol, morris"), std::string::npos) << e.what();
    }
}

TEST(SobolSequence, FirstPointsAreThePublishedOnes) {
    // A hand-aligned table.
    // clang-format off
    const double expected[8][3] = {{0, 0, 0},           {0.5, 0.5, 0.5},       {0.75, 0.25, 0.25},   {0.25, 0.75, 0.75},
                                   {0.375, 0.375, 0.625}, {0.875, 0.875, 0.125}, {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375}};
    // clang-format on
    SobolSequence sequence(3);
    for (const auto& point : expected) {
        const auto x = sequence.next();
        for (std::size_t d = 0; d < 3; ++d) {
            EXPECT_DOUBLE_EQ(x[d], point[d]);
        }
    }
}

TEST(SobolSequence, EveryDimensionStratifiesEachBlockOfPowerOfTwoPoints) {
    SobolSequence sequence(SobolSequence::kMaxDimensions);
    constexpr std::size_t kPoints = 64;
    std::vector<std::set<long>> cells(SobolSequence::kMaxDimensions);
    for (std::size_t i = 0; i < kPoints; ++i) {
        const auto x = sequence.next();
        for (std::size_t d = 0; d < x.size(); ++d) {
            cells[d].insert(static_cast<long>(std::floor(x[d] * kPoints)));
        }
    }
    for (std::size_t d = 0; d < cells.size(); ++d) {
        EXPECT_EQ(cells[d].size(), kPoints) << "dimension " << d + 1;
    }
}

TEST(SobolSequence, SeekGivesTheSamePointsAsStepping) {
    SobolSequence stepped(7);
    for (int i = 0; i < 1000; ++i) {
        (void)stepped.next();
    }
    SobolSequence jumped(7);
    jumped.seek(1000);
    for (int i = 0; i < 50; ++i) {
        const auto x = stepped.next();
        const std::vector<double> a(x.begin(), x.end());
        const auto y = jumped.next();
        EXPECT_EQ(a, std::vector<double>(y.begin(), y.end())) << "point " << 1000 + i;
    }
    EXPECT_EQ(jumped.index(), 1050U);
    EXPECT_THROW(SobolSequence(0), std::invalid_argument);
    EXPECT_THROW(SobolSequence(SobolSequence::kMaxDimensions + 1), std::invalid_argument);
}

TEST(GridDesign, EnumeratesEveryCombinationWithEndpointsLastDimensionFastest) {
    auto spec = spec_of(DesignMethod::kGrid, 2, 0);
    spec.grid_levels = {3, 2};
    const auto d = make_unit_design(spec);
    ASSERT_EQ(d.rows, 6U);
    const std::vector<double> expected = {0, 0, 0, 1, 0.5, 0, 0.5, 1, 1, 0, 1, 1};
    EXPECT_EQ(d.values, expected);
    auto same = spec_of(DesignMethod::kGrid, 3, 4);
    EXPECT_EQ(design_rows(same), 64U);
    spec.grid_levels = {1, 2};
    EXPECT_DOUBLE_EQ(make_unit_design(spec).at(0, 0), 0.5);
}

TEST(RandomDesign, IsUniformInTheCubeAndReproducibleBySeed) {
    const auto a = make_unit_design(spec_of(DesignMethod::kRandom, 4, 2000, 11));
    const auto b = make_unit_design(spec_of(DesignMethod::kRandom, 4, 2000, 11));
    const auto c = make_unit_design(spec_of(DesignMethod::kRandom, 4, 2000, 12));
    EXPECT_EQ(a.values, b.values);
    EXPECT_NE(a.values, c.values);
    ASSERT_EQ(a.values.size(), 8000U);
    double sum = 0.0;
    for (const double v : a.values) {
        ASSERT_GT(v, 0.0);
        ASSERT_LT(v, 1.0);
        sum += v;
    }
    EXPECT_NEAR(sum / 8000.0, 0.5, 0.02);
}

TEST(LhsDesign, HasOnePointPerStratumInEveryDimension) {
    constexpr std::size_t kRows = 97;
    const auto d = make_unit_design(spec_of(DesignMethod::kLhs, 5, kRows, 3));
    ASSERT_EQ(d.rows, kRows);
    for (std::size_t dim = 0; dim < 5; ++dim) {
        std::set<long> strata;
        for (std::size_t row = 0; row < kRows; ++row) {
            strata.insert(static_cast<long>(std::floor(d.at(row, dim) * kRows)));
        }
        EXPECT_EQ(strata.size(), kRows) << "dimension " << dim;
        EXPECT_EQ(*strata.begin(), 0);
        EXPECT_EQ(*strata.rbegin(), static_cast<long>(kRows - 1));
    }
    EXPECT_EQ(d.values, make_unit_design(spec_of(DesignMethod::kLhs, 5, kRows, 3)).values);
    EXPECT_NE(d.values, make_unit_design(spec_of(DesignMethod::kLhs, 5, kRows, 4)).values);
}

TEST(SaltelliDesign, RowsAreABCrossSamplesOfTheSobolSequenceAfterTheSkip) {
    for (const bool second : {false, true}) {
        auto spec = spec_of(DesignMethod::kSobol, 3, 16);
        spec.second_order = second;
        const auto d = make_unit_design(spec);
        const std::size_t block = second ? 8 : 5;
        ASSERT_EQ(d.rows, 16 * block);
        SobolSequence sequence(6);
        sequence.seek(saltelli_skip(16));
        EXPECT_EQ(saltelli_skip(16), 16U);
        for (std::size_t i = 0; i < 16; ++i) {
            const auto x = sequence.next();
            const std::vector<double> a(x.begin(), x.begin() + 3);
            const std::vector<double> b(x.begin() + 3, x.end());
            EXPECT_EQ(row_of(d, i * block), a);
            EXPECT_EQ(row_of(d, i * block + block - 1), b);
            for (std::size_t j = 0; j < 3; ++j) {
                auto ab = a;
                ab[j] = b[j];
                EXPECT_EQ(row_of(d, i * block + 1 + j), ab);
                if (second) {
                    auto ba = b;
                    ba[j] = a[j];
                    EXPECT_EQ(row_of(d, i * block + 4 + j), ba);
                }
            }
        }
    }
    EXPECT_EQ(saltelli_skip(1000), 1024U);
}

TEST(MorrisDesign, DeltaIsHalfTheGridForEveryEvenLevelCount) {
    for (const std::size_t p : {2U, 4U, 6U, 8U}) {
        auto spec = spec_of(DesignMethod::kMorris, 3, 10, 2);
        spec.morris_levels = p;
        const auto d = make_unit_design(spec);
        const double delta = morris_delta(p);
        EXPECT_DOUBLE_EQ(delta, static_cast<double>(p) / (2.0 * static_cast<double>(p - 1)));
        for (std::size_t row = 0; row + 1 < d.rows; ++row) {
            if ((row + 1) % 4 == 0) {
                continue;
            }
            double moved = 0.0;
            for (std::size_t dim = 0; dim < 3; ++dim) {
                moved += std::abs(d.at(row + 1, dim) - d.at(row, dim));
                EXPECT_NEAR(d.at(row, dim) * static_cast<double>(p - 1), std::round(d.at(row, dim) * static_cast<double>(p - 1)), 1e-9);
            }
            EXPECT_NEAR(moved, delta, 1e-12) << "levels " << p << " row " << row;
        }
    }
}

TEST(MorrisDesign, TrajectoriesStepOneParameterAtATimeByDeltaOnTheGrid) {
    auto spec = spec_of(DesignMethod::kMorris, 5, 40, 9);
    spec.morris_levels = 4;
    const auto d = make_unit_design(spec);
    const double delta = morris_delta(4);
    EXPECT_DOUBLE_EQ(delta, 2.0 / 3.0);
    ASSERT_EQ(d.rows, 40U * 6U);
    std::set<std::vector<std::size_t>> orders;
    for (std::size_t t = 0; t < 40; ++t) {
        std::vector<std::size_t> order;
        for (std::size_t k = 0; k < 5; ++k) {
            const std::size_t row = t * 6 + k;
            std::size_t changed = 0;
            for (std::size_t dim = 0; dim < 5; ++dim) {
                const double v = d.at(row, dim);
                EXPECT_NEAR(v * 3.0, std::round(v * 3.0), 1e-12);
                const double step = d.at(row + 1, dim) - v;
                if (step != 0.0) {
                    ++changed;
                    order.push_back(dim);
                    EXPECT_NEAR(std::abs(step), delta, 1e-12);
                }
            }
            EXPECT_EQ(changed, 1U) << "trajectory " << t << " step " << k;
        }
        std::vector<std::size_t> sorted = order;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(sorted, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
        orders.insert(order);
    }
    EXPECT_GT(orders.size(), 10U);
    EXPECT_EQ(d.values, make_unit_design(spec).values);
    for (const double v : d.values) {
        EXPECT_GE(v, 0.0);
        EXPECT_LE(v, 1.0);
    }
}

TEST(DesignSpec, InvalidSpecsAreRefusedNamingTheField) {
    EXPECT_THROW((void)make_unit_design(spec_of(DesignMethod::kRandom, 0, 10)), std::invalid_argument);
    EXPECT_THROW((void)make_unit_design(spec_of(DesignMethod::kLhs, 2, 0)), std::invalid_argument);
    EXPECT_THROW((void)make_unit_design(spec_of(DesignMethod::kSobol, 129, 8)), std::invalid_argument);
    auto morris = spec_of(DesignMethod::kMorris, 2, 4);
    morris.morris_levels = 5;
    EXPECT_THROW((void)make_unit_design(morris), std::invalid_argument);
    auto grid = spec_of(DesignMethod::kGrid, 2, 0);
    grid.grid_levels = {3};
    EXPECT_THROW((void)make_unit_design(grid), std::invalid_argument);
    EXPECT_THROW((void)make_unit_design(spec_of(DesignMethod::kGrid, 2, 0)), std::invalid_argument);
    EXPECT_THROW((void)make_unit_design(spec_of(DesignMethod::kGrid, 40, 10)), std::invalid_argument);
}
