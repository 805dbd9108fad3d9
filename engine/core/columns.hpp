/*!
 * @file columns.hpp
 * @brief Column storage of a population: every column in one allocation, starts staggered.
 *
 * A population (the firms) is a table of columns of equal length. Stored as one std::vector per
 * column, each large column became its own mmap starting at the same offset within a 4 KiB page,
 * so the i-th rows of all columns fell into one L1 set and a pass touching 35 columns thrashed
 * it. Here a ColumnArena owns one page-aligned allocation holding every column of a population;
 * column k starts k cache lines past a page boundary (modulo the page), so the i-th rows of up to
 * 64 columns map to different sets. A Column<T> is a view (pointer and length) into the arena;
 * only the arena changes it. The arena never knows the columns by name: the population passes a
 * visitor that applies a function to each of its columns, generated from the population's one
 * list of columns (see IPSIM_COLUMN_DECLARE), so growth, appending and compaction always cover
 * the same columns. Growth is geometric (doubling) and copies each column's live rows; on Linux
 * the pages of each old column go back to the system as soon as it is copied, so a growth needs
 * the new allocation plus one old column (as with one vector per column), not two populations.
 * With IPSIM_SEATBELTS (core/seatbelts.hpp), check_column_lengths() verifies that every column
 * still has the arena's length, naming the one that does not.
 */
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/parallel.hpp"
#include "core/seatbelts.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace ipsim::core {

class ColumnArena;

/*! @brief One column of a population: a view into its ColumnArena, indexed by row.
 *
 *  Not copyable (a copy would alias the arena's storage; copy the rows explicitly, e.g. into a
 *  std::vector from begin() and end()). A contiguous range, so std::span views it directly. */
template <class T>
class Column {
    static_assert(std::is_trivially_copyable_v<T>, "columns are moved by memcpy");

public:
    using value_type = T;
    using size_type = std::size_t;
    using iterator = T*;
    using const_iterator = const T*;

    Column() noexcept = default;
    Column(const Column&) = delete;
    Column& operator=(const Column&) = delete;
    Column(Column&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    Column& operator=(Column&& other) noexcept {
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        return *this;
    }
    ~Column() = default;

    [[nodiscard]] T& operator[](std::size_t i) noexcept { return data_[i]; }
    [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return data_[i]; }
    [[nodiscard]] T* data() noexcept { return data_; }
    [[nodiscard]] const T* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] T* begin() noexcept { return data_; }
    [[nodiscard]] T* end() noexcept { return data_ + size_; }
    [[nodiscard]] const T* begin() const noexcept { return data_; }
    [[nodiscard]] const T* end() const noexcept { return data_ + size_; }

private:
    friend class ColumnArena;
    T* data_ = nullptr;
    std::size_t size_ = 0;
};

/*! @brief Owner of the storage of all columns of one population (rows of equal count).
 *
 *  Each operation takes `for_each`, a callable that calls its argument on every Column of the
 *  population in a fixed order (the order sets the stagger). */
class ColumnArena {
public:
    static constexpr std::size_t kPage = 4096;    //!< allocation alignment and stagger period
    static constexpr std::size_t kLine = 64;      //!< stagger step: one cache line
    static constexpr std::size_t kMinRows = 256;  //!< capacity of the first allocation

    ColumnArena() noexcept = default;
    ColumnArena(const ColumnArena&) = delete;
    ColumnArena& operator=(const ColumnArena&) = delete;
    ColumnArena(ColumnArena&& other) noexcept
        : buffer_(std::move(other.buffer_)), size_(std::exchange(other.size_, 0)), capacity_(std::exchange(other.capacity_, 0)) {}
    ColumnArena& operator=(ColumnArena&& other) noexcept {
        buffer_ = std::move(other.buffer_);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
        return *this;
    }
    ~ColumnArena() = default;

    /*! @brief Rows in every column. */
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /*! @brief Rows the current allocation holds. */
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

    /*! @brief Smallest offset >= `offset` that lies k cache lines past a page boundary (mod the page). */
    [[nodiscard]] static constexpr std::size_t staggered(std::size_t offset, std::size_t k) noexcept {
        const std::size_t target = (k * kLine) % kPage;
        return offset + (target + kPage - offset % kPage) % kPage;
    }

    /*! @brief Makes room for `rows` rows: a new allocation, each column's live rows copied over. */
    template <class ForEach>
    void reserve(std::size_t rows, const ForEach& for_each) {
        if (rows <= capacity_) {
            return;
        }
        std::size_t bytes = 0;
        std::size_t k = 0;
        for_each([&](auto& column) {
            using T = typename std::remove_reference_t<decltype(column)>::value_type;
            bytes = staggered(bytes, k++) + rows * sizeof(T);
        });
        Buffer fresh(allocate(bytes));
        std::size_t offset = 0;
        k = 0;
        for_each([&](auto& column) {
            using T = typename std::remove_reference_t<decltype(column)>::value_type;
            offset = staggered(offset, k++);
            auto* to = reinterpret_cast<T*>(fresh.get() + offset);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
            if (size_ > 0) {
                std::memcpy(to, column.data_, size_ * sizeof(T));
                release(column.data_, capacity_ * sizeof(T));
            }
            column.data_ = to;
            offset += rows * sizeof(T);
        });
        buffer_ = std::move(fresh);
        capacity_ = rows;
    }

    /*! @brief Appends one row, value-initialised (zero) in every column; returns its index. */
    template <class ForEach>
    std::size_t append(const ForEach& for_each) {
        if (size_ == capacity_) {
            reserve(std::max(kMinRows, 2 * capacity_), for_each);
        }
        for_each([&](auto& column) {
            using T = typename std::remove_reference_t<decltype(column)>::value_type;
            column.data_[size_] = T{};
            column.size_ = size_ + 1;
        });
        return size_++;
    }

    /*! @brief Keeps the rows listed (strictly increasing), in that order, and drops the others. */
    template <class ForEach>
    void keep(std::span<const std::uint32_t> rows, const ForEach& for_each) {
        std::vector<Run> runs;
        for (std::size_t j = 0; j < rows.size();) {
            std::size_t length = 1;
            while (j + length < rows.size() && rows[j + length] == rows[j] + length) {
                ++length;
            }
            if (rows[j] != j) {
                runs.push_back({rows[j], j, length});
            }
            j += length;
        }
        move_runs(runs, rows.size(), for_each);
    }

    /*! @brief Keeps the rows r for which kept(r) is true, in order, and drops the others: the same
     *  as keep() with the list of those rows, without making that list (a population's worth of
     *  indices, about 3 MB at full scale, when memory peaks). */
    template <class Kept, class ForEach>
    void keep_if(const Kept& kept, const ForEach& for_each) {
        std::vector<Run> runs;
        std::size_t rows = 0;
        for (std::size_t i = 0; i < size_;) {
            if (!kept(i)) {
                ++i;
                continue;
            }
            std::size_t length = 1;
            while (i + length < size_ && kept(i + length)) {
                ++length;
            }
            if (i != rows) {
                runs.push_back({i, rows, length});
            }
            rows += length;
            i += length;
        }
        if (rows != size_) {
            move_runs(runs, rows, for_each);
        }
    }

private:
    /*! A run of consecutive kept rows: `length` rows moving from row `from` to row `to`. */
    struct Run {
        std::size_t from, to, length;
    };

    /*! Moves each column run by run with memmove and leaves `rows` rows. A compaction usually drops
     *  few rows, so there are few runs. Run r lands at or below where it starts and ends before
     *  run r + 1 starts, so moving runs in order never overwrites a row still to be moved. Columns
     *  do not overlap, so they move in parallel (the moves stream memory; one core cannot saturate it). */
    template <class ForEach>
    void move_runs(const std::vector<Run>& runs, std::size_t rows, const ForEach& for_each) {
        struct Moving {
            std::byte* data;
            std::size_t width;
        };
        std::vector<Moving> columns;
        for_each([&](auto& column) {
            using T = typename std::remove_reference_t<decltype(column)>::value_type;
            columns.push_back({reinterpret_cast<std::byte*>(column.data_), sizeof(T)});  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
            column.size_ = rows;
        });
        parallel_for(
            columns.size(),
            [&](std::size_t c) {
                const auto [data, width] = columns[c];
                for (const auto& run : runs) {
                    std::memmove(data + run.to * width, data + run.from * width, run.length * width);
                }
            },
            1);
        size_ = rows;
    }

    static constexpr std::align_val_t kAlignment{kPage};

    struct Free {
        void operator()(std::byte* p) const noexcept { ::operator delete(p, kAlignment); }
    };
    using Buffer = std::unique_ptr<std::byte, Free>;

    [[nodiscard]] static std::byte* allocate(std::size_t bytes) {
        return static_cast<std::byte*>(::operator new(std::max<std::size_t>(bytes, 1), kAlignment));
    }

    /*! Returns the whole pages inside [p, p + bytes) to the system; their contents are not read again. */
    static void release([[maybe_unused]] void* p, [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(__linux__)
        static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        const auto begin = reinterpret_cast<std::uintptr_t>(p);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
        const std::uintptr_t first = (begin + page - 1) / page * page;
        const std::uintptr_t last = (begin + bytes) / page * page;
        if (last > first) {
            // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast, performance-no-int-to-ptr)
            static_cast<void>(::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED));
        }
#endif
    }

    Buffer buffer_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

/*! @brief Seatbelt check: throws SeatbeltError unless every column of a population has `rows` rows.
 *
 *  `for_each_named` calls its argument with (column, name) for every column (generated with
 *  IPSIM_COLUMN_VISIT_NAMED). Only the arena changes a column's length, and it changes all of them
 *  together, so a column of another length was replaced behind its back (a move assignment into
 *  a population member, say). The message names `population`, the column and `where`. */
template <class ForEachNamed>
void check_column_lengths(std::size_t rows, const ForEachNamed& for_each_named, const char* population, const char* where) {
    for_each_named([&](const auto& column, const char* name) {
        if (column.size() != rows) {
            seatbelt_failure(std::string(population) + "." + name + " has " + std::to_string(column.size()) +
                             " rows, not the population's " + std::to_string(rows) + ", " + where);
        }
    });
}

}  // namespace ipsim::core

/*! @brief For a population's column list `LIST(X)`: X(type, name) declares one column member. */
#define IPSIM_COLUMN_DECLARE(type, name) ::ipsim::core::Column<type> name;
/*! @brief For a population's column list: X(type, name) calls `visit(name)` (a local callable). */
#define IPSIM_COLUMN_VISIT(type, name) visit(name);
/*! @brief For a population's column list: X(type, name) calls `visit(name, "name")`. */
#define IPSIM_COLUMN_VISIT_NAMED(type, name) visit(name, #name);
