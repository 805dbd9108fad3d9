/*!
 * @file parallel.hpp
 * @brief Parallel loops and reductions whose results do not depend on the thread count.
 *
 * Loops split the index range with oneTBB. Reductions never combine partial results in the
 * order threads finish: sums are taken over fixed-size chunks (independent of the number of
 * threads) and the chunk sums are added in index order, so a floating-point total is the same
 * with 1 or 64 threads. Group reductions use a GroupIndex (stable counting sort of agents by a
 * key) and sum each group sequentially in agent order, groups in parallel.
 */
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>
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
        start_placing();
        for (std::size_t i = 0; i < n; ++i) {
            place(key(i), i);
        }
    }

    /*! @brief The steps of build, for a caller that builds several indexes in one pass over the
     *  agents: reset(groups), count(key) for every agent, start_placing(), then place(key, i) for
     *  every agent in index order with the same keys. */
    void reset(std::size_t groups) { offsets_.assign(groups + 1, 0); }
    /*! @brief Counts one agent of group k (k < 0: skipped). */
    void count(std::int64_t k) noexcept {
        if (k >= 0) {
            ++offsets_[static_cast<std::size_t>(k) + 1];
        }
    }
    /*! @brief Ends counting: sizes the groups. */
    void start_placing() {
        const std::size_t groups = offsets_.size() - 1;
        for (std::size_t g = 0; g < groups; ++g) {
            offsets_[g + 1] += offsets_[g];
        }
        members_.resize(offsets_[groups]);
        cursor_.assign(offsets_.begin(), offsets_.end() - 1);
    }
    /*! @brief Places agent i in group k (k < 0: skipped); agents must come in index order. */
    void place(std::int64_t k, std::size_t i) noexcept {
        if (k >= 0) {
            members_[cursor_[static_cast<std::size_t>(k)]++] = static_cast<std::uint32_t>(i);
        }
    }

    /*! @brief Updates the index after agents left and agents were appended: drops the members for
     *  which keep(i) is false and adds agents i in [first_new, n) with key(i) >= 0 at the end of their
     *  groups. Equals build(n, groups(), key) when the index was built over [0, first_new) and no
     *  agent below first_new changed group except by leaving (keep(i) false exactly for those). */
    template <class Keep, class Key>
    void update(std::size_t first_new, std::size_t n, const Keep& keep, const Key& key) {
        const std::size_t groups = this->groups();
        std::vector<std::size_t> sizes(groups, 0);
        std::size_t w = 0;
        for (std::size_t g = 0; g < groups; ++g) {
            const std::size_t start = w;
            for (std::size_t r = offsets_[g]; r < offsets_[g + 1]; ++r) {
                const std::uint32_t m = members_[r];
                if (keep(static_cast<std::size_t>(m))) {
                    members_[w++] = m;  // w <= r: compacting in place never overwrites a member still to read
                }
            }
            sizes[g] = w - start;
        }
        std::vector<std::size_t> added(groups, 0);
        for (std::size_t i = first_new; i < n; ++i) {
            const auto k = key(i);
            if (k >= 0) {
                ++added[static_cast<std::size_t>(k)];
            }
        }
        std::vector<std::uint32_t> members(w + std::accumulate(added.begin(), added.end(), std::size_t{0}));
        std::size_t from = 0;
        offsets_[0] = 0;
        cursor_.resize(groups);
        for (std::size_t g = 0; g < groups; ++g) {
            std::copy_n(members_.begin() + static_cast<std::ptrdiff_t>(from), sizes[g], members.begin() + static_cast<std::ptrdiff_t>(offsets_[g]));
            from += sizes[g];
            cursor_[g] = offsets_[g] + sizes[g];
            offsets_[g + 1] = cursor_[g] + added[g];
        }
        members_.swap(members);
        for (std::size_t i = first_new; i < n; ++i) {
            place(key(i), i);
        }
    }

    [[nodiscard]] std::size_t groups() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }
    [[nodiscard]] std::size_t size(std::size_t g) const noexcept { return offsets_[g + 1] - offsets_[g]; }
    [[nodiscard]] const std::uint32_t* begin(std::size_t g) const noexcept { return members_.data() + offsets_[g]; }
    [[nodiscard]] const std::uint32_t* end(std::size_t g) const noexcept { return members_.data() + offsets_[g + 1]; }
    /*! @brief j-th member of group g. */
    [[nodiscard]] std::uint32_t member(std::size_t g, std::size_t j) const noexcept { return members_[offsets_[g] + j]; }

private:
    std::vector<std::size_t> offsets_;
    std::vector<std::uint32_t> members_;
    std::vector<std::size_t> cursor_;  // next free slot per group while placing
};

/*! @brief out[g][k] = sum over members i of group g of term(i, acc); groups in parallel. */
template <std::size_t K, class Term>
void group_sums(const GroupIndex& index, std::vector<std::array<double, K>>& out, const Term& term) {
    out.assign(index.groups(), std::array<double, K>{});
    parallel_for(
        index.groups(),
        [&](std::size_t g) {
            std::array<double, K> acc{};
            for (const auto* it = index.begin(g); it != index.end(g); ++it) {
                term(static_cast<std::size_t>(*it), acc);
            }
            out[g] = acc;
        },
        1);
}

}  // namespace ipsim::core
