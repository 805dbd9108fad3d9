#include <gtest/gtest.h>

#include <oneapi/tbb/global_control.h>

#include <cmath>
#include <vector>

#include "core/parallel.hpp"

using ipsim::core::deterministic_sum;
using ipsim::core::GroupIndex;
using ipsim::core::RowMap;

namespace {

std::vector<double> awkward_values(std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        v[i] = std::sin(static_cast<double>(i)) * std::pow(10.0, static_cast<double>(i % 17) - 8.0);
    }
    return v;
}

}  // namespace

TEST(DeterministicSum, SameBitsWithAnyThreadCount) {
    const auto v = awkward_values(100003);
    double reference = 0.0;
    {
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        reference = deterministic_sum(v.size(), [&](std::size_t i) { return v[i]; });
    }
    for (const std::size_t threads : {2U, 4U, 8U}) {
        tbb::global_control many(tbb::global_control::max_allowed_parallelism, threads);
        const double again = deterministic_sum(v.size(), [&](std::size_t i) { return v[i]; });
        EXPECT_EQ(reference, again) << threads << " threads";
    }
}

TEST(DeterministicSum, EmptyAndSmall) {
    EXPECT_EQ(deterministic_sum(0, [](std::size_t) { return 1.0; }), 0.0);
    EXPECT_EQ(deterministic_sum(3, [](std::size_t i) { return static_cast<double>(i); }), 3.0);
}

TEST(GroupIndex, StableCountingSortSkipsNegativeKeys) {
    const std::vector<int> keys = {2, 0, -1, 2, 1, 0, 2};
    GroupIndex index;
    index.build(keys.size(), 3, [&](std::size_t i) { return keys[i]; });
    ASSERT_EQ(index.groups(), 3U);
    EXPECT_EQ(index.size(0), 2U);
    EXPECT_EQ(index.size(1), 1U);
    EXPECT_EQ(index.size(2), 3U);
    EXPECT_EQ(index.member(0, 0), 1U);
    EXPECT_EQ(index.member(0, 1), 5U);
    EXPECT_EQ(index.member(2, 0), 0U);
    EXPECT_EQ(index.member(2, 1), 3U);
    EXPECT_EQ(index.member(2, 2), 6U);
}

TEST(GroupIndex, GroupSumsMatchSequential) {
    const auto v = awkward_values(50000);
    GroupIndex index;
    index.build(v.size(), 13, [](std::size_t i) { return static_cast<int>(i % 13); });
    std::vector<std::array<double, 1>> sums;
    ipsim::core::group_sums<1>(index, sums, [&](std::size_t i, std::array<double, 1>& a) { a[0] += v[i]; });
    for (std::size_t g = 0; g < 13; ++g) {
        double expected = 0.0;
        for (std::size_t i = g; i < v.size(); i += 13) {
            expected += v[i];
        }
        EXPECT_EQ(sums[g][0], expected);
    }
}

TEST(GroupIndex, UpdateAfterLeaversAndNewcomersEqualsRebuild) {
    // 1,000 agents in 7 groups (some skipped); then every 9th leaves and 150 are appended.
    std::vector<int> key(1000);
    std::vector<bool> alive(1150, true);
    for (std::size_t i = 0; i < key.size(); ++i) {
        key[i] = i % 11 == 0 ? -1 : static_cast<int>((i * 7919) % 7);
    }
    GroupIndex updated;
    updated.build(key.size(), 7, [&](std::size_t i) { return key[i]; });
    for (std::size_t i = 0; i < key.size(); i += 9) {
        alive[i] = false;
    }
    for (std::size_t i = 1000; i < 1150; ++i) {
        key.push_back(i % 5 == 0 ? -1 : static_cast<int>(i % 7));
    }
    const auto current = [&](std::size_t i) { return alive[i] ? key[i] : -1; };
    updated.update(
        1000, key.size(), [&](std::size_t i) { return static_cast<bool>(alive[i]); }, current);
    GroupIndex rebuilt;
    rebuilt.build(key.size(), 7, current);
    ASSERT_EQ(updated.groups(), rebuilt.groups());
    for (std::size_t g = 0; g < 7; ++g) {
        ASSERT_EQ(updated.size(g), rebuilt.size(g)) << "group " << g;
        for (std::size_t j = 0; j < rebuilt.size(g); ++j) {
            EXPECT_EQ(updated.member(g, j), rebuilt.member(g, j)) << "group " << g << ", member " << j;
        }
    }
}

TEST(GroupIndex, RepeatedUpdatesInPlaceEqualRebuild) {
    // Rounds in which the index shrinks (group 0 empties), grows, and only group 4 gains: each group
    // moves within the same member array, so a wrong shift shows as a wrong member.
    std::vector<int> key;
    std::vector<bool> alive;
    for (std::size_t i = 0; i < 600; ++i) {
        key.push_back(static_cast<int>((i * 31) % 5));
        alive.push_back(true);
    }
    const auto current = [&](std::size_t i) { return alive[i] ? key[i] : -1; };
    GroupIndex updated;
    updated.build(key.size(), 5, current);
    const std::size_t appended[] = {0, 400, 10, 0, 250};
    for (std::size_t round = 0; round < 5; ++round) {
        const std::size_t first_new = key.size();
        for (std::size_t i = 0; i < first_new; ++i) {
            if (alive[i] && (key[i] == 0 || (i + round) % 3 == 0)) {
                alive[i] = false;
            }
        }
        for (std::size_t j = 0; j < appended[round]; ++j) {
            key.push_back(round == 2 ? 4 : static_cast<int>((j * 7 + round) % 5));
            alive.push_back(true);
        }
        updated.update(
            first_new, key.size(), [&](std::size_t i) { return static_cast<bool>(alive[i]); }, current);
        GroupIndex rebuilt;
        rebuilt.build(key.size(), 5, current);
        for (std::size_t g = 0; g < 5; ++g) {
            ASSERT_EQ(updated.size(g), rebuilt.size(g)) << "round " << round << ", group " << g;
            for (std::size_t j = 0; j < rebuilt.size(g); ++j) {
                ASSERT_EQ(updated.member(g, j), rebuilt.member(g, j)) << "round " << round << ", group " << g << ", member " << j;
            }
        }
    }
}

TEST(GroupIndex, ScatteredGroupSumsMatchSequentialWithAnyThreadCount) {
    // Interleaved groups over more rows than GroupIndex::kScatteredMinRows: summed in one sweep in
    // row order, which must add each group's terms in member order like the group-by-group read.
    const std::size_t n = GroupIndex::kScatteredMinRows + 4321;
    const auto v = awkward_values(n);
    const auto key = [](std::size_t i) { return i % 19 == 0 ? -1 : static_cast<int>((i * 7919) % 101); };
    GroupIndex index;
    index.build(n, 101, key);
    ASSERT_TRUE(index.scattered());
    std::vector<std::array<double, 2>> expected(101, std::array<double, 2>{});
    for (std::size_t i = 0; i < n; ++i) {
        if (key(i) >= 0) {
            expected[static_cast<std::size_t>(key(i))][0] += v[i];
            expected[static_cast<std::size_t>(key(i))][1] += v[i] * v[i];
        }
    }
    for (const std::size_t threads : {1U, 2U, 3U, 8U}) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        std::vector<std::array<double, 2>> sums;
        ipsim::core::group_sums<2>(index, sums, [&](std::size_t i, std::array<double, 2>& a) {
            a[0] += v[i];
            a[1] += v[i] * v[i];
        });
        ASSERT_EQ(sums.size(), expected.size());
        for (std::size_t g = 0; g < expected.size(); ++g) {
            EXPECT_EQ(sums[g][0], expected[g][0]) << "group " << g << ", " << threads << " threads";
            EXPECT_EQ(sums[g][1], expected[g][1]) << "group " << g << ", " << threads << " threads";
        }
    }
}

TEST(GroupIndex, CoarseGroupSumsEqualGroupSumsOverTheCoarseKey) {
    // Groups nest in coarse groups of `per` (firms by government and sector in firms by
    // government): the coarse sums must add each coarse group's terms in row order, as group_sums
    // over an index on the coarse key does. Below and above the row map's threshold.
    constexpr std::size_t coarse = 53;
    constexpr std::size_t per = 7;
    for (const std::size_t n : {std::size_t{5003}, GroupIndex::kScatteredMinRows + 4321}) {
        const auto v = awkward_values(n);
        const auto coarse_key = [](std::size_t i) { return i % 23 == 0 ? -1 : static_cast<int>((i * 7919) % coarse); };
        const auto fine_key = [&](std::size_t i) { return coarse_key(i) < 0 ? -1 : coarse_key(i) * static_cast<int>(per) + static_cast<int>(i % per); };
        GroupIndex fine;
        fine.build(n, coarse * per, fine_key);
        GroupIndex reference_index;
        reference_index.build(n, coarse, coarse_key);
        const auto term = [&](std::size_t i, std::array<double, 2>& a) {
            a[0] += v[i];
            a[1] += v[i] * static_cast<double>(i % 5);
        };
        std::vector<std::array<double, 2>> expected;
        ipsim::core::group_sums<2>(reference_index, expected, term);
        for (const std::size_t threads : {1U, 2U, 3U, 8U}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
            std::vector<std::array<double, 2>> sums;
            ipsim::core::coarse_group_sums<2>(fine, coarse, sums, term);
            ASSERT_EQ(sums.size(), expected.size());
            for (std::size_t c = 0; c < coarse; ++c) {
                EXPECT_EQ(sums[c][0], expected[c][0]) << "coarse group " << c << ", " << n << " rows, " << threads << " threads";
                EXPECT_EQ(sums[c][1], expected[c][1]) << "coarse group " << c << ", " << n << " rows, " << threads << " threads";
            }
        }
    }
}

TEST(RowMap, HoldsEveryGroupAndNoneInEachWidth) {
    // Group counts at and past the limits of one and two bytes a row.
    for (const std::size_t groups : {1U, 255U, 256U, 65535U, 65536U}) {
        RowMap map;
        map.assign(3, groups);
        const auto last = static_cast<std::int64_t>(groups) - 1;
        map.set(0, last);
        map.set(1, 0);
        EXPECT_EQ(map.get(0), last) << groups << " groups";
        EXPECT_EQ(map.get(1), 0) << groups << " groups";
        EXPECT_EQ(map.get(2), -1) << groups << " groups";
        map.set(1, -1);
        map.resize(5);
        EXPECT_EQ(map.get(1), -1) << groups << " groups";
        EXPECT_EQ(map.get(4), -1) << groups << " groups";
        EXPECT_EQ(map.get(0), last) << groups << " groups";
    }
}

TEST(GroupIndex, ScatteredGroupSumsMatchSequentialInEveryRowMapWidth) {
    // 101, 300 and 70,000 groups store the row map in one, two and four bytes a row.
    const std::size_t n = GroupIndex::kScatteredMinRows + 4321;
    const auto v = awkward_values(n);
    for (const std::size_t groups : {101U, 300U, 70000U}) {
        const auto key = [&](std::size_t i) { return i % 19 == 0 ? -1 : static_cast<std::int64_t>((i * 7919) % groups); };
        GroupIndex index;
        index.build(n, groups, key);
        ASSERT_TRUE(index.scattered()) << groups << " groups";
        std::vector<double> expected(groups, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            if (key(i) >= 0) {
                expected[static_cast<std::size_t>(key(i))] += v[i];
            }
        }
        for (const std::size_t threads : {1U, 3U}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
            std::vector<std::array<double, 1>> sums;
            ipsim::core::group_sums<1>(index, sums, [&](std::size_t i, std::array<double, 1>& a) { a[0] += v[i]; });
            ASSERT_EQ(sums.size(), groups);
            for (std::size_t g = 0; g < groups; ++g) {
                ASSERT_EQ(sums[g][0], expected[g]) << "group " << g << " of " << groups << ", " << threads << " threads";
            }
        }
    }
}

namespace {

/*! Builds a scattered index over [0, n0), drops every 7th agent, appends [n0, n) and checks the sums. */
void check_scattered_update(std::size_t n0, std::size_t n) {
    const auto v = awkward_values(n);
    std::vector<bool> alive(n, true);
    const auto group = [](std::size_t i) { return static_cast<int>((i * 7919) % 53); };
    GroupIndex index;
    index.build(n0, 53, group);
    for (std::size_t i = 0; i < n0; i += 7) {
        alive[i] = false;
    }
    const auto current = [&](std::size_t i) { return alive[i] ? group(i) : -1; };
    index.update(
        n0, n, [&](std::size_t i) { return static_cast<bool>(alive[i]); }, current);
    ASSERT_TRUE(index.scattered()) << n0 << " rows before the update";
    std::vector<std::array<double, 1>> sums;
    ipsim::core::group_sums<1>(index, sums, [&](std::size_t i, std::array<double, 1>& a) { a[0] += v[i]; });
    for (std::size_t g = 0; g < 53; ++g) {
        double expected = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            if (current(i) == static_cast<int>(g)) {
                expected += v[i];
            }
        }
        EXPECT_EQ(sums[g][0], expected) << "group " << g << ", " << n0 << " rows before the update";
    }
}

}  // namespace

TEST(GroupIndex, ScatteredSumsAfterUpdateSkipLeavers) {
    // After leavers and newcomers, the row-order sweep must see exactly the updated members, also
    // when the update takes the index past the size from which it keeps a map of rows.
    for (const std::size_t n0 : {GroupIndex::kScatteredMinRows + 100, GroupIndex::kScatteredMinRows - 2000}) {
        check_scattered_update(n0, n0 + 5000);
    }
}

TEST(GroupIndex, RowSpanRunsFromTheFirstMemberToPastTheLast) {
    // Rows 0..99 in groups by i % 4, except group 2, which is empty, and rows past 90, in none.
    GroupIndex index;
    index.build(100, 4, [](std::size_t i) { return i > 90 || i % 4 == 2 ? -1 : static_cast<int>(i % 4); });
    EXPECT_EQ(index.row_span(0, 4), std::make_pair(std::size_t{0}, std::size_t{90}));
    EXPECT_EQ(index.row_span(1, 1), std::make_pair(std::size_t{1}, std::size_t{90}));
    EXPECT_EQ(index.row_span(3, 1), std::make_pair(std::size_t{3}, std::size_t{88}));
    const auto none = index.row_span(2, 1);
    EXPECT_GE(none.first, none.second);  // an empty span: a sweep from lo to hi visits no row
}
