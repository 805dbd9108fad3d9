#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "core/columns.hpp"

using ipsim::core::Column;
using ipsim::core::ColumnArena;

namespace {

#define TABLE_COLUMNS(X) \
    X(std::uint64_t, id) \
    X(std::uint8_t, flag) \
    X(std::int32_t, group) \
    X(double, value)

/*! A small population declared the way engine populations are. */
struct Table {
    TABLE_COLUMNS(IPSIM_COLUMN_DECLARE)
    ColumnArena arena;

    template <class F>
    void for_each_column(F&& visit) {
        TABLE_COLUMNS(IPSIM_COLUMN_VISIT)
    }
    template <class F>
    void for_each_named_column(F&& visit) const {
        TABLE_COLUMNS(IPSIM_COLUMN_VISIT_NAMED)
    }
    std::size_t append() {
        return arena.append([this](const auto& visit) { for_each_column(visit); });
    }
    void keep(const std::vector<std::uint32_t>& rows) {
        arena.keep(rows, [this](const auto& visit) { for_each_column(visit); });
    }
};

Table filled(std::size_t n) {
    Table t;
    for (std::size_t i = 0; i < n; ++i) {
        const auto r = t.append();
        t.id[r] = i;
        t.flag[r] = static_cast<std::uint8_t>(i % 3 == 0 ? 1 : 0);
        t.group[r] = static_cast<std::int32_t>(i % 7);
        t.value[r] = 0.5 * static_cast<double>(i);
    }
    return t;
}

}  // namespace

TEST(Columns, AppendKeepsRowsAcrossGrowth) {
    const std::size_t n = 3 * ColumnArena::kMinRows + 5;
    auto t = filled(n);
    ASSERT_EQ(t.arena.size(), n);
    EXPECT_GE(t.arena.capacity(), n);
    t.for_each_column([&](const auto& column) { EXPECT_EQ(column.size(), n); });
    for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(t.id[i], i);
        ASSERT_EQ(t.group[i], static_cast<std::int32_t>(i % 7));
        ASSERT_EQ(t.value[i], 0.5 * static_cast<double>(i));
    }
}

TEST(Columns, AppendedRowIsZero) {
    auto t = filled(ColumnArena::kMinRows);  // full: the next append reallocates
    const auto r = t.append();
    EXPECT_EQ(t.id[r], 0U);
    EXPECT_EQ(t.flag[r], 0);
    EXPECT_EQ(t.group[r], 0);
    EXPECT_EQ(t.value[r], 0.0);
}

TEST(Columns, KeepIsStableAndShrinksEveryColumn) {
    auto t = filled(1000);
    std::vector<std::uint32_t> rows;
    for (std::uint32_t i = 0; i < 1000; ++i) {
        if (t.flag[i] != 0) {
            rows.push_back(i);
        }
    }
    t.keep(rows);
    ASSERT_EQ(t.arena.size(), rows.size());
    t.for_each_column([&](const auto& column) { EXPECT_EQ(column.size(), rows.size()); });
    for (std::size_t j = 0; j < rows.size(); ++j) {
        EXPECT_EQ(t.id[j], rows[j]);
        EXPECT_EQ(t.value[j], 0.5 * static_cast<double>(rows[j]));
    }
    const auto r = t.append();  // appending after compaction reuses the allocation
    EXPECT_EQ(r, rows.size());
    EXPECT_EQ(t.value[r], 0.0);
}

TEST(Columns, StartsAreStaggeredByCacheLines) {
    auto t = filled(4 * ColumnArena::kMinRows);  // a power of two: unstaggered columns would share page offsets
    std::vector<std::size_t> page_offsets;
    t.for_each_column([&](const auto& column) {
        page_offsets.push_back(reinterpret_cast<std::uintptr_t>(column.data()) % ColumnArena::kPage);
    });
    for (std::size_t k = 0; k < page_offsets.size(); ++k) {
        EXPECT_EQ(page_offsets[k], k * ColumnArena::kLine);
    }
}

TEST(Columns, RangeAccess) {
    auto t = filled(10);
    EXPECT_FALSE(t.value.empty());
    EXPECT_EQ(std::accumulate(t.value.begin(), t.value.end(), 0.0), 0.5 * 45.0);
    const std::span<const double> view = t.value;
    EXPECT_EQ(view.size(), 10U);
    EXPECT_EQ(view.data(), t.value.data());
    const Column<double> empty;
    EXPECT_TRUE(empty.empty());
    EXPECT_EQ(empty.begin(), empty.end());
}

TEST(Columns, StaggeredOffset) {
    EXPECT_EQ(ColumnArena::staggered(0, 0), 0U);
    EXPECT_EQ(ColumnArena::staggered(1, 0), ColumnArena::kPage);
    EXPECT_EQ(ColumnArena::staggered(8192, 3), 8192U + 192U);
    EXPECT_EQ(ColumnArena::staggered(8192 + 200, 3), 3 * 4096U + 192U);
    EXPECT_EQ(ColumnArena::staggered(0, 64), 0U);  // the stagger wraps after a page of lines
}

TEST(Columns, LengthCheckNamesTheColumnOfAnotherLength) {
    Table t = filled(5);
    const auto for_each_named = [&t](const auto& visit) { t.for_each_named_column(visit); };
    EXPECT_NO_THROW(ipsim::core::check_column_lengths(t.arena.size(), for_each_named, "table", "after filling"));
    t.group = Column<std::int32_t>{};  // replaced behind the arena's back
    try {
        ipsim::core::check_column_lengths(t.arena.size(), for_each_named, "table", "after the swap");
        ADD_FAILURE() << "no seatbelt fired";
    } catch (const ipsim::core::SeatbeltError& e) {
        EXPECT_STREQ(e.what(), "seatbelt: table.group has 0 rows, not the population's 5, after the swap");
    }
}

TEST(Columns, KeepMovesLongRunsIntact) {
    auto t = filled(1000);
    std::vector<std::uint32_t> rows;
    for (std::uint32_t i = 0; i < 1000; ++i) {
        if (i < 100 || (i >= 150 && i < 400) || i > 400) {
            rows.push_back(i);  // runs [0, 100), [150, 400), [401, 1000)
        }
    }
    t.keep(rows);
    ASSERT_EQ(t.arena.size(), rows.size());
    for (std::size_t j = 0; j < rows.size(); ++j) {
        EXPECT_EQ(t.id[j], rows[j]);
        EXPECT_EQ(t.value[j], 0.5 * static_cast<double>(rows[j]));
    }
}

TEST(Columns, KeepIfEqualsKeepOfTheListedRows) {
    const auto kept = [](std::size_t i) { return i % 5 != 2 && (i < 300 || i > 340); };
    auto listed = filled(1000);
    std::vector<std::uint32_t> rows;
    for (std::uint32_t i = 0; i < 1000; ++i) {
        if (kept(i)) {
            rows.push_back(i);
        }
    }
    listed.keep(rows);
    auto tested = filled(1000);
    tested.arena.keep_if(kept, [&tested](const auto& visit) { tested.for_each_column(visit); });
    ASSERT_EQ(tested.arena.size(), rows.size());
    tested.for_each_column([&](const auto& column) { EXPECT_EQ(column.size(), rows.size()); });
    for (std::size_t j = 0; j < rows.size(); ++j) {
        EXPECT_EQ(tested.id[j], listed.id[j]);
        EXPECT_EQ(tested.flag[j], listed.flag[j]);
        EXPECT_EQ(tested.group[j], listed.group[j]);
        EXPECT_EQ(tested.value[j], listed.value[j]);
    }
}

TEST(Columns, KeepIfKeepingEveryRowOrNone) {
    auto t = filled(600);
    t.arena.keep_if([](std::size_t) { return true; }, [&t](const auto& visit) { t.for_each_column(visit); });
    EXPECT_EQ(t.arena.size(), 600U);
    EXPECT_EQ(t.id[599], 599U);
    t.arena.keep_if([](std::size_t) { return false; }, [&t](const auto& visit) { t.for_each_column(visit); });
    EXPECT_EQ(t.arena.size(), 0U);
    t.for_each_column([&](const auto& column) { EXPECT_EQ(column.size(), 0U); });
}
