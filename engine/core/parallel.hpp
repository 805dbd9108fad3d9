/*!
 * @file parallel.hpp
 * @brief Parallel loops and reductions whose results do not depend on the thread count.
 *
 * Loops split the index range with oneTBB. Reductions never combine partial results in the
 * order threads finish: sums are taken over fixed-size chunks (independent of the number of
 * threads) and the chunk sums are added in index order, so a floating-point total is the same
 * with 1 or 64 threads. Group reductions use a GroupIndex (stable counting sort of agents by a
 * key) and sum each group sequentially in agent order, in one sweep over the agents per thread,
 * ranges of groups in parallel.
 */
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace ipsim::core {

/*! @brief Chunk length of deterministic reductions; fixed so totals do not depend on threads. */
inline constexpr std::size_t kReduceChunk = 4096;

/*! @brief Calls body(i) for i in [0, n), in parallel. Bodies must only write their own i. */
template <class Body>
void parallel_for(std::size_t n, const Body& body, std::size_t grain = 1024) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) {
                              body(i);
                          }
                      });
}

/*! @brief Calls every f() at once, for tasks that each write only their own data. */
template <class... F>
void parallel_invoke(const F&... f) {
    tbb::parallel_invoke(f...);
}

/*! @brief K sums over i in [0, n) of term(i, acc) where term adds into acc; deterministic. */
template <std::size_t K, class Term>
[[nodiscard]] std::array<double, K> deterministic_sums(std::size_t n, const Term& term) {
    const std::size_t chunks = (n + kReduceChunk - 1) / kReduceChunk;
    std::vector<std::array<double, K>> partial(chunks);
    parallel_for(
        chunks,
        [&](std::size_t c) {
            std::array<double, K> acc{};
            const std::size_t end = std::min(n, (c + 1) * kReduceChunk);
            for (std::size_t i = c * kReduceChunk; i < end; ++i) {
                term(i, acc);
            }
            partial[c] = acc;
        },
        1);
    std::array<double, K> total{};
    for (const auto& p : partial) {
        for (std::size_t k = 0; k < K; ++k) {
            total[k] += p[k];
        }
    }
    return total;
}

/*! @brief Sum of f(i) over [0, n); deterministic. */
template <class F>
[[nodiscard]] double deterministic_sum(std::size_t n, const F& f) {
    return deterministic_sums<1>(n, [&](std::size_t i, std::array<double, 1>& acc) { acc[0] += f(i); })[0];
}

/*! @brief The group of each agent row, stored in the narrowest unsigned type that holds every group
 *  and a value for "none" (the type's largest): a byte a row for up to 255 groups (firms by sector),
 *  two up to 65,535 (by local government at full scale) instead of four. */
class RowMap {
    // Defined before its uses: a deduced return type must be seen first.
    /*! f(the vector held), through get_if rather than std::visit, which may throw (on a valueless
     *  variant: only after an assign ran out of memory, which ends the run). */
    template <class Self, class F>
    static decltype(auto) apply(Self& self, const F& f) {
        if (auto* bytes = std::get_if<0>(&self.map_)) {
            return f(*bytes);
        }
        if (auto* halves = std::get_if<1>(&self.map_)) {
            return f(*halves);
        }
        return f(*std::get_if<2>(&self.map_));
    }

public:
    /*! @brief `rows` rows in no group, in the type for group numbers below `groups`. */
    void assign(std::size_t rows, std::size_t groups) {
        if (groups <= std::numeric_limits<std::uint8_t>::max()) {
            assign_as<std::uint8_t>(rows);
        } else if (groups <= std::numeric_limits<std::uint16_t>::max()) {
            assign_as<std::uint16_t>(rows);
        } else {
            assign_as<std::uint32_t>(rows);
        }
    }
    [[nodiscard]] std::size_t size() const noexcept {
        return apply(*this, [](const auto& map) { return map.size(); });
    }
    [[nodiscard]] bool empty() const noexcept { return size() == 0; }
    /*! @brief Sets row i's group to k (k < 0: none). */
    void set(std::size_t i, std::int64_t k) noexcept {
        apply(*this, [&](auto& map) {
            using Group = typename std::remove_reference_t<decltype(map)>::value_type;
            map[i] = k >= 0 ? static_cast<Group>(k) : std::numeric_limits<Group>::max();
        });
    }
    /*! @brief Keeps the first `rows` rows, or adds rows in no group. */
    void resize(std::size_t rows) {
        apply(*this, [&](auto& map) {
            using Group = typename std::remove_reference_t<decltype(map)>::value_type;
            map.resize(rows, std::numeric_limits<Group>::max());
        });
    }
    /*! @brief Group of row i, or -1 if it is in none. */
    [[nodiscard]] std::int64_t get(std::size_t i) const noexcept {
        return apply(*this, [&](const auto& map) -> std::int64_t {
            using Group = typename std::remove_reference_t<decltype(map)>::value_type;
            return map[i] == std::numeric_limits<Group>::max() ? -1 : std::int64_t{map[i]};
        });
    }
    /*! @brief Calls f(groups, none) with the rows' groups as a pointer to the stored type and the
     *  value that stands for no group (the type chosen once, not per row). */
    template <class F>
    void visit(const F& f) const {
        apply(*this, [&](const auto& map) {
            using Group = typename std::remove_reference_t<decltype(map)>::value_type;
            f(map.data(), std::numeric_limits<Group>::max());
        });
    }

private:
    std::variant<std::vector<std::uint8_t>, std::vector<std::uint16_t>, std::vector<std::uint32_t>> map_;

    /*! Reuses the vector held when it has the wanted type: a fresh one would be zeroed page by page
     *  by the kernel on first touch, at full scale a megabyte each rebuild, on the serial path. */
    template <class Group>
    void assign_as(std::size_t rows) {
        if (auto* map = std::get_if<std::vector<Group>>(&map_)) {
            map->assign(rows, std::numeric_limits<Group>::max());
        } else {
            map_.emplace<std::vector<Group>>(rows, std::numeric_limits<Group>::max());
        }
    }
};

/*! @brief Agents grouped by an integer key (CSR layout), stable in agent order. O(n + groups). */
class GroupIndex {
public:
    GroupIndex() = default;

    /*! @brief Groups indices i in [0, n) with key(i) in [0, groups); key < 0 means "skip". */
    template <class Key>
    void build(std::size_t n, std::size_t groups, const Key& key) {
        reset(groups);
        for (std::size_t i = 0; i < n; ++i) {
            count(key(i));
        }
        start_placing(n);
        for (std::size_t i = 0; i < n; ++i) {
            place(key(i), i);
        }
        finish_placing();
    }

    /*! @brief The steps of build, for a caller that builds several indexes in one pass over the
     *  agents: reset(groups), count(key) for every agent, start_placing(n), then place(key, i) for
     *  every agent in index order with the same keys, then finish_placing(). */
    void reset(std::size_t groups) { offsets_.assign(groups + 1, 0); }
    /*! @brief Counts one agent of group k (k < 0: skipped). */
    void count(std::int64_t k) noexcept {
        if (k >= 0) {
            ++offsets_[static_cast<std::size_t>(k) + 1];
        }
    }
    /*! @brief Ends counting: sizes the groups, for agents i in [0, n). */
    void start_placing(std::size_t n) {
        const std::size_t groups = offsets_.size() - 1;
        for (std::size_t g = 0; g < groups; ++g) {
            offsets_[g + 1] += offsets_[g];
        }
        make_room(offsets_[groups], false);
        members_.resize(offsets_[groups]);
        cursor_.assign(offsets_.begin(), offsets_.end() - 1);
        group_of_.assign(n >= kScatteredMinRows ? n : 0, groups);
        runs_ = 0;  // until finish_placing: not scattered
    }
    /*! @brief Places agent i in group k (k < 0: skipped); agents must come in index order. */
    void place(std::int64_t k, std::size_t i) noexcept {
        if (k >= 0) {
            members_[cursor_[static_cast<std::size_t>(k)]++] = static_cast<std::uint32_t>(i);
            if (!group_of_.empty()) {
                group_of_.set(i, k);
            }
        }
    }
    /*! @brief Ends placing: counts the runs scattered() reads. */
    void finish_placing() noexcept { count_runs(); }

    /*! @brief Updates the index after agents left and agents were appended: drops the members for
     *  which keep(i) is false and adds agents i in [first_new, n) with key(i) >= 0 at the end of their
     *  groups. Equals build(n, groups(), key) when the index was built over [0, first_new) and no
     *  agent below first_new changed group except by leaving (keep(i) false exactly for those). */
    template <class Keep, class Key>
    void update(std::size_t first_new, std::size_t n, const Keep& keep, const Key& key) {
        const std::size_t groups = this->groups();
        // Members kept per group, in cursor_ (free until placing): the groups are compacted to the
        // front of members_, in order.
        cursor_.resize(groups);
        std::size_t w = 0;
        for (std::size_t g = 0; g < groups; ++g) {
            const std::size_t start = w;
            for (std::size_t r = offsets_[g]; r < offsets_[g + 1]; ++r) {
                const std::uint32_t m = members_[r];
                if (keep(static_cast<std::size_t>(m))) {
                    members_[w++] = m;  // w <= r: compacting in place never overwrites a member still to read
                } else if (!group_of_.empty()) {
                    group_of_.set(m, -1);
                }
            }
            cursor_[g] = w - start;
        }
        std::vector<std::size_t> added(groups, 0);
        for (std::size_t i = first_new; i < n; ++i) {
            const auto k = key(i);
            if (k >= 0) {
                ++added[static_cast<std::size_t>(k)];
            }
        }
        // Each group moves right by the agents added to the groups before it, into members_ itself
        // (a fresh array would be zeroed by the kernel page by page, serially, every quarter). Moving
        // the last group first never overwrites members still to move.
        std::size_t kept_end = w;
        std::size_t new_end = w + std::accumulate(added.begin(), added.end(), std::size_t{0});
        make_room(new_end, true);
        members_.resize(new_end);
        for (std::size_t g = groups; g-- > 0;) {
            const std::size_t kept = cursor_[g];
            const std::size_t new_start = new_end - added[g] - kept;
            if (new_start != kept_end - kept) {
                std::copy_backward(members_.begin() + static_cast<std::ptrdiff_t>(kept_end - kept),
                                   members_.begin() + static_cast<std::ptrdiff_t>(kept_end),
                                   members_.begin() + static_cast<std::ptrdiff_t>(new_start + kept));
            }
            offsets_[g + 1] = new_end;
            cursor_[g] = new_start + kept;
            kept_end -= kept;
            new_end = new_start;
        }
        offsets_[0] = 0;
        // The row map, kept from kScatteredMinRows rows on, follows the new rows as they are placed,
        // or is made from the members when the index grows past that size.
        const bool had_map = !group_of_.empty();
        if (had_map) {
            group_of_.resize(std::min(group_of_.size(), first_new));
            group_of_.resize(n);
        }
        for (std::size_t i = first_new; i < n; ++i) {
            place(key(i), i);
        }
        if (!had_map && n >= kScatteredMinRows) {
            map_rows(n);
        }
        count_runs();
    }

    [[nodiscard]] std::size_t groups() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }
    [[nodiscard]] std::size_t size(std::size_t g) const noexcept { return offsets_[g + 1] - offsets_[g]; }
    [[nodiscard]] const std::uint32_t* begin(std::size_t g) const noexcept { return members_.data() + offsets_[g]; }
    [[nodiscard]] const std::uint32_t* end(std::size_t g) const noexcept { return members_.data() + offsets_[g + 1]; }
    /*! @brief j-th member of group g. */
    [[nodiscard]] std::uint32_t member(std::size_t g, std::size_t j) const noexcept { return members_[offsets_[g] + j]; }
    /*! @brief The agent rows from the first member of groups [first, first + count) to past their
     *  last, as {lo, hi}; {max, 0} if they have none. Members of a group are in row order. */
    [[nodiscard]] std::pair<std::size_t, std::size_t> row_span(std::size_t first, std::size_t count) const noexcept {
        std::size_t lo = std::numeric_limits<std::size_t>::max();
        std::size_t hi = 0;
        for (std::size_t g = first; g < first + count; ++g) {
            if (size(g) > 0) {
                lo = std::min<std::size_t>(lo, *begin(g));
                hi = std::max<std::size_t>(hi, *(end(g) - 1) + 1);
            }
        }
        return {lo, hi};
    }
    /*! @brief Number of agent rows the row map covers (members and skipped agents); 0 for an index
     *  over fewer than kScatteredMinRows rows, which keeps no row map. */
    [[nodiscard]] std::size_t rows() const noexcept { return group_of_.size(); }
    /*! @brief Group of agent i, or -1 if it is in none (i < rows()). */
    [[nodiscard]] std::int64_t group_of(std::size_t i) const noexcept { return group_of_.get(i); }
    /*! @brief The row map for a sweep over rows: calls f(groups, none) (RowMap::visit). */
    template <class F>
    void visit_row_map(const F& f) const {
        group_of_.visit(f);
    }
    /*! @brief Whether the groups are interleaved in row order (mostly runs of one member) and span
     *  more rows than a few columns of them keep in cache: then reading the members group by group
     *  is a random walk over memory, and sums are cheaper in one sweep in row order (group_sums). */
    [[nodiscard]] bool scattered() const noexcept {
        const std::size_t members = offsets_.empty() ? 0 : offsets_.back();
        return group_of_.size() >= kScatteredMinRows && 2 * runs_ > members;
    }
    /*! @brief Rows from which an interleaved index counts as scattered: 65,536 rows make a column of
     *  doubles 512 KiB, so the handful of columns a sum reads no longer fits in a core's L2 cache
     *  (2 MiB on the project's machine); below it gathering costs fewer instructions. */
    static constexpr std::size_t kScatteredMinRows = std::size_t{1} << 16;

private:
    std::vector<std::size_t> offsets_;
    std::vector<std::uint32_t> members_;
    std::vector<std::size_t> cursor_;  // next free slot per group while placing
    RowMap group_of_;                  // group of each agent row, for sums in row order; empty below kScatteredMinRows rows
    std::size_t runs_ = 0;             // maximal runs of consecutive members (in row order) of one group; 0 without a row map

    /*! Capacity for `members` members, with a quarter to spare when it must grow so that the next
     *  updates grow in place (the spare pages are not touched until used). A growing index otherwise
     *  held its old and its new members at once, on top of everything else when memory peaks.
     *  Without `keep` the current members are not needed and go first. */
    void make_room(std::size_t members, bool keep) {
        if (members <= members_.capacity()) {
            return;
        }
        std::vector<std::uint32_t> room;
        if (!keep) {
            members_ = std::vector<std::uint32_t>{};
        }
        room.reserve(members + members / 4);
        room.assign(members_.begin(), members_.end());
        members_.swap(room);
    }
    void map_rows(std::size_t n) {
        group_of_.assign(n, groups());
        for (std::size_t g = 0; g < groups(); ++g) {
            for (const auto* it = begin(g); it != end(g); ++it) {
                group_of_.set(*it, static_cast<std::int64_t>(g));
            }
        }
    }
    void count_runs() noexcept {
        std::size_t runs = 0;
        const std::size_t rows = group_of_.size();
        group_of_.visit([&](const auto* map, auto none) {
            auto last = none;
            for (std::size_t i = 0; i < rows; ++i) {
                if (map[i] != none) {
                    runs += map[i] != last ? 1 : 0;
                    last = map[i];
                }
            }
        });
        runs_ = runs;
    }
};

/*! @brief Number of threads a parallel loop may use here (arena and global limit). */
[[nodiscard]] inline std::size_t available_threads() {
    const auto arena = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
    const auto limit = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
    return std::max<std::size_t>(1, std::min(arena, limit));
}

/*! @brief out[g][k] = sum over members i of group g of term(i, acc), each group's terms added in
 *  agent order; groups in parallel.
 *
 *  Groups whose members lie in long runs of rows (firms by sector: setup creates them sector by
 *  sector) are read group by group. A scattered index (GroupIndex::scattered, e.g. firms by local
 *  government at full scale) is read in one sweep in row order, each agent adding into its own
 *  group's accumulator: reading it group by group touches a cache line of every column the term
 *  reads once per group with a member in that line, a random walk over memory. A group's sum adds
 *  the same terms in the same order either way. In the sweep, threads take contiguous ranges of
 *  groups of about equal membership (the sums do not depend on the split) and each sweeps the rows
 *  from its groups' first member to their last. */
template <std::size_t K, class Term>
void group_sums(const GroupIndex& index, std::vector<std::array<double, K>>& out, const Term& term) {
    const std::size_t groups = index.groups();
    out.assign(groups, std::array<double, K>{});
    if (groups == 0) {
        return;
    }
    if (!index.scattered()) {
        parallel_for(
            groups,
            [&](std::size_t g) {
                std::array<double, K> acc{};
                for (const auto* it = index.begin(g); it != index.end(g); ++it) {
                    term(static_cast<std::size_t>(*it), acc);
                }
                out[g] = acc;
            },
            1);
        return;
    }
    const std::size_t parts = std::min(groups, available_threads());
    const std::size_t members = static_cast<std::size_t>(index.end(groups - 1) - index.begin(0));
    // Part p covers groups [first[p], first[p + 1]): the first group whose members start at or
    // after p / parts of all members.
    std::vector<std::size_t> first(parts + 1, groups);
    first[0] = 0;
    for (std::size_t p = 1, g = 0; p < parts; ++p) {
        while (g < groups && static_cast<std::size_t>(index.begin(g) - index.begin(0)) * parts < p * members) {
            ++g;
        }
        first[p] = std::max(g, first[p - 1]);
    }
    index.visit_row_map([&](const auto* group_of, auto) {
        parallel_for(
            parts,
            [&](std::size_t p) {
                const std::size_t lo_group = first[p];
                const std::size_t count = first[p + 1] - lo_group;
                const auto [lo, hi] = index.row_span(lo_group, count);
                for (std::size_t i = lo; i < hi; ++i) {
                    // Agents of other parts' groups wrap to large values; agents in none carry the
                    // map's largest value, at or past groups, so past this part's groups too.
                    const std::size_t g = static_cast<std::size_t>(group_of[i]) - lo_group;
                    if (g < count) {
                        term(i, out[lo_group + g]);
                    }
                }
            },
            1);
    });
}

/*! @brief group_sums over the coarse groups of an index whose groups nest in them: coarse group c
 *  holds the members of groups c * per to (c + 1) * per - 1, per = index.groups() / coarse. Each
 *  coarse group's terms are added in agent order, so the sums equal group_sums over an index built
 *  with the coarse key (firms by local government from firms by government and sector), without
 *  keeping that index.
 *
 *  Threads take contiguous ranges of coarse groups and sweep the rows from their first member to
 *  their last, as group_sums does for a scattered index, on the index's row map or, below
 *  GroupIndex::kScatteredMinRows rows where it keeps none, on one made for the call (a byte or two
 *  a row: linear in the rows, where sorting each coarse group's members was not). */
template <std::size_t K, class Term>
void coarse_group_sums(const GroupIndex& index, std::size_t coarse, std::vector<std::array<double, K>>& out, const Term& term) {
    out.assign(coarse, std::array<double, K>{});
    if (coarse == 0 || index.groups() == 0) {
        return;
    }
    const std::size_t per = index.groups() / coarse;
    const std::size_t parts = std::min(coarse, available_threads());
    const auto members_before = [&](std::size_t c) { return static_cast<std::size_t>(index.begin(c * per) - index.begin(0)); };
    const std::size_t members = static_cast<std::size_t>(index.end(index.groups() - 1) - index.begin(0));
    std::vector<std::size_t> first(parts + 1, coarse);
    first[0] = 0;
    for (std::size_t p = 1, c = 0; p < parts; ++p) {
        while (c < coarse && members_before(c) * parts < p * members) {
            ++c;
        }
        first[p] = std::max(c, first[p - 1]);
    }
    // A table, not a division per row.
    std::vector<std::uint32_t> coarse_of(index.groups());
    for (std::size_t g = 0; g < coarse_of.size(); ++g) {
        coarse_of[g] = static_cast<std::uint32_t>(g / per);
    }
    const auto sweep = [&](const auto* group_of) {
        parallel_for(
            parts,
            [&](std::size_t p) {
                // The groups [lo_group, lo_group + count) make this part's coarse groups.
                const std::size_t lo_group = first[p] * per;
                const std::size_t count = (first[p + 1] - first[p]) * per;
                const auto [lo, hi] = index.row_span(lo_group, count);
                for (std::size_t i = lo; i < hi; ++i) {
                    const auto fine = static_cast<std::size_t>(group_of[i]);
                    if (fine - lo_group < count) {  // agents in no group or in other parts' groups wrap past count
                        term(i, out[coarse_of[fine]]);
                    }
                }
            },
            1);
    };
    if (index.rows() > 0) {
        index.visit_row_map([&](const auto* group_of, auto) { sweep(group_of); });
        return;
    }
    const std::size_t rows = index.row_span(0, index.groups()).second;  // the rows any part sweeps
    RowMap map;
    map.assign(rows, index.groups());
    for (std::size_t g = 0; g < index.groups(); ++g) {
        for (const auto* it = index.begin(g); it != index.end(g); ++it) {
            map.set(*it, static_cast<std::int64_t>(g));
        }
    }
    map.visit([&](const auto* group_of, auto) { sweep(group_of); });
}

}  // namespace ipsim::core
