/*!
 * @file lanes.hpp
 * @brief Lane types for per-firm rules written once for one firm (double) and for four firms at
 *        a time (Double4, a GCC vector extension), with the few operations such rules need:
 *        select, std::min and std::max as selects, masks from byte columns, loads, stores and
 *        gathers.
 *
 * A rule written as a template over the lane type L computes every branch and picks with
 * select; with L = double it is the scalar rule. IEEE add, subtract, multiply and divide give
 * each lane exactly the scalar result, so a rule keeps its results bit for bit as long as its
 * expressions keep their order and nothing contracts a * b + c into an FMA (no function using
 * these types is compiled for a target with "fma"). min_of and max_of are std::min and
 * std::max restated on the same comparison, NaN and signed zeros included. Without AVX the
 * compiler splits each Double4 operation into two SSE2 ones.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

// Functions of Double4 values are inlined into their callers; the warning that their values would
// be passed differently with and without AVX concerns calls that never happen.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ipsim::model::detail::lanes {

/*! @brief Four doubles, one per firm. */
using Double4 = double __attribute__((vector_size(32)));
/*! @brief Four lane masks: all bits set for true, none for false (what Double4 comparisons give). */
using Mask4 = std::int64_t __attribute__((vector_size(32)));

/*! @brief The mask type of lane type L: bool for double, Mask4 for Double4. */
template <class L>
using MaskOf = std::conditional_t<std::is_same_v<L, double>, bool, Mask4>;

/*! @brief Firms per value of lane type L. */
template <class L>
inline constexpr std::size_t kWidth = std::is_same_v<L, double> ? 1 : 4;

/*! @brief x in every lane. */
template <class L>
[[gnu::always_inline]] inline L splat(double x) noexcept {
    if constexpr (std::is_same_v<L, double>) {
        return x;
    } else {
        return L{x, x, x, x};
    }
}

/*! @brief Per lane, m ? a : b. */
template <class M, class L>
[[gnu::always_inline]] inline L select(const M& m, const L& a, const L& b) noexcept {
    return m ? a : b;
}

/*! @brief std::min(a, b) per lane: b if b < a, else a. */
template <class L>
[[gnu::always_inline]] inline L min_of(const L& a, const L& b) noexcept {
    return select(b < a, b, a);
}

/*! @brief std::max(a, b) per lane: b if a < b, else a. */
template <class L>
[[gnu::always_inline]] inline L max_of(const L& a, const L& b) noexcept {
    return select(a < b, b, a);
}

/*! @brief Per lane, a and b. */
template <class M>
[[gnu::always_inline]] inline M both(const M& a, const M& b) noexcept {
    if constexpr (std::is_same_v<M, bool>) {
        return a && b;
    } else {
        return a & b;
    }
}

/*! @brief Per lane, not a. */
template <class M>
[[gnu::always_inline]] inline M negate(const M& a) noexcept {
    if constexpr (std::is_same_v<M, bool>) {
        return !a;
    } else {
        return ~a;
    }
}

/*! @brief Lane k of v. */
template <class V>
[[gnu::always_inline]] inline auto lane(const V& v, std::size_t k) noexcept {
    if constexpr (std::is_arithmetic_v<V>) {
        return v;
    } else {
        return v[k];
    }
}

/*! @brief True if mask m holds in lane k. */
template <class M>
[[gnu::always_inline]] inline bool holds(const M& m, std::size_t k) noexcept {
    return lane(m, k) != 0;
}

/*! @brief True if mask m holds in no lane. */
template <class M>
[[gnu::always_inline]] inline bool none(const M& m) noexcept {
    if constexpr (std::is_same_v<M, bool>) {
        return !m;
    } else {
        return (m[0] | m[1] | m[2] | m[3]) == 0;
    }
}

/*! @brief True if mask m holds in every lane. */
template <class M>
[[gnu::always_inline]] inline bool all(const M& m) noexcept {
    if constexpr (std::is_same_v<M, bool>) {
        return m;
    } else {
        return (m[0] & m[1] & m[2] & m[3]) != 0;
    }
}

/*! @brief The kWidth<L> values from p. */
template <class L>
[[gnu::always_inline]] inline L load(const double* p) noexcept {
    if constexpr (std::is_same_v<L, double>) {
        return *p;
    } else {
        L v;
        std::memcpy(&v, p, sizeof v);
        return v;
    }
}

/*! @brief Stores v's lanes at p. */
template <class L>
[[gnu::always_inline]] inline void store(double* p, const L& v) noexcept {
    std::memcpy(p, &v, sizeof v);
}

/*! @brief Stores v's lanes at p where m holds, leaves the others. */
template <class M, class L>
[[gnu::always_inline]] inline void store_where(double* p, const M& m, const L& v) noexcept {
    store(p, select(m, v, load<L>(p)));
}

/*! @brief Per lane, the byte at p (one per lane) == value. */
template <class L>
[[gnu::always_inline]] inline MaskOf<L> equal(const std::uint8_t* p, std::uint8_t value) noexcept {
    if constexpr (std::is_same_v<L, double>) {
        return *p == value;
    } else {
        // The four bytes shifted into place in each lane: a broadcast, a shift and an and with AVX2.
        std::uint32_t bytes = 0;
        std::memcpy(&bytes, p, sizeof bytes);
        const Mask4 wide = (Mask4{} + static_cast<std::int64_t>(bytes)) >> Mask4{0, 8, 16, 24} & 0xff;
        return wide == static_cast<std::int64_t>(value);
    }
}

/*! @brief Per lane, the byte at p (one per lane) != 0. */
template <class L>
[[gnu::always_inline]] inline MaskOf<L> nonzero(const std::uint8_t* p) noexcept {
    return negate(equal<L>(p, 0));
}

/*! @brief The lanes value(0), ..., value(kWidth<L> - 1). */
template <class L, class F>
[[gnu::always_inline]] inline L gather(const F& value) noexcept {
    if constexpr (std::is_same_v<L, double>) {
        return value(std::size_t{0});
    } else {
        return L{value(std::size_t{0}), value(std::size_t{1}), value(std::size_t{2}), value(std::size_t{3})};
    }
}

}  // namespace ipsim::model::detail::lanes

#pragma GCC diagnostic pop
