/*!
 * @file newsvendor.hpp
 * @brief Capacity chosen for uncertain demand: the newsvendor rule with lognormal demand.
 *
 * A firm that expects demand e with log-standard deviation sigma, earns margin m on each unit
 * sold and pays c_K per unit of capacity held, maximises m E[min(d, K)] - c_K K. The optimum
 * leaves demand above capacity with probability c_K / m (the critical ratio), so
 * K = e exp(sigma z - sigma^2 / 2) with z = Phi^-1(1 - c_K / m). Cheap capacity (subsidies,
 * preferential loans) or fat margins make firms hold more spare capacity; so does volatile
 * demand. The expected utilisation of that choice is the sector's normal utilisation when
 * evaluated at the no-policy ratio. The engine uses the rule relative to a reference firm
 * (no policy, the planning uncertainty every firm starts with) that holds capacity at the normal
 * utilisation, so that the rule moves capacity around a documented normal level.
 */
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

#if IPSIM_VECTOR_MATH
#include <array>
#include <cstddef>

#include "model/detail/lanes.hpp"
#include "model/detail/vector_math.hpp"
#endif

namespace ipsim::model::newsvendor {

/*! @brief Critical ratios are kept inside (kMinRatio, 1 - kMinRatio): a firm always plans some capacity. */
inline constexpr double kMinRatio = 0.02;

/*! @brief The argument of the erfc of normal_cdf(z). */
[[nodiscard]] inline double cdf_erfc_argument(double z) noexcept { return -z / std::numbers::sqrt2; }

/*! @brief Standard normal distribution function. */
[[nodiscard]] inline double normal_cdf(double z) noexcept { return 0.5 * std::erfc(cdf_erfc_argument(z)); }

/*! @brief The coefficients of approximate_quantile's central region (numerator a, denominator b). */
inline constexpr double kCentralA[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                       1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
inline constexpr double kCentralB[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                                       -1.328068155288572e+01};
/*! @brief approximate_quantile's tails are p < kTail and p > 1 - kTail. */
inline constexpr double kTail = 0.02425;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // the lane templates are inlined into their callers (lanes.hpp)
/*! @brief approximate_quantile in its central region, kTail <= p <= 1 - kTail (per lane: double or
 *  lanes::Double4, the same expression). */
template <class L>
[[gnu::always_inline]] inline L central_quantile(const L& p) noexcept {
    const auto& a = kCentralA;
    const auto& b = kCentralB;
    const L q = p - 0.5;
    const L r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

#pragma GCC diagnostic pop

/*! @brief Acklam's rational approximation of the standard normal quantile of p in (0, 1) (relative
 *  error about 1e-9): the first step of normal_quantile. */
[[nodiscard]] inline double approximate_quantile(double p) noexcept {
    constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double tail = kTail;
    const auto tail_value = [&](double q) {
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    };
    if (p < tail) {
        return tail_value(std::sqrt(-2.0 * std::log(p)));
    }
    if (p > 1.0 - tail) {
        return -tail_value(std::sqrt(-2.0 * std::log(1.0 - p)));
    }
    return central_quantile(p);
}

/*! @brief The argument of the exp of the Halley step from z (1 / density up to a constant). */
[[nodiscard]] inline double halley_exp_argument(double z) noexcept { return 0.5 * z * z; }

/*! @brief sqrt(2 pi), the constant of refined_quantile's step. */
inline const double kRootTwoPi = std::sqrt(2.0 * std::numbers::pi);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // as central_quantile
/*! @brief One Halley step from an approximate quantile z of p to full double precision, given
 *  erfc(cdf_erfc_argument(z)) and exp(halley_exp_argument(z)) (per lane: double or lanes::Double4). */
template <class L>
[[nodiscard]] inline L refined_quantile(const L& z, const L& p, const L& erfc_value, const L& exp_value) noexcept {
    const L error = 0.5 * erfc_value - p;
    const L step = error * kRootTwoPi * exp_value;
    return z - step / (1.0 + 0.5 * z * step);
}
#pragma GCC diagnostic pop

/*! @brief Standard normal quantile for p in (0, 1): approximate_quantile refined by one Halley step. */
[[nodiscard]] inline double normal_quantile(double p) noexcept {
    const double z = approximate_quantile(p);
    return refined_quantile<double>(z, p, std::erfc(cdf_erfc_argument(z)), std::exp(halley_exp_argument(z)));
}

/*! @brief The quantiles at the two bounds of the critical ratio, computed once: every firm whose
 *  ratio is clamped (no margin, or capacity almost free) shares them. */
inline const double kCheapQuantile = normal_quantile(1.0 - kMinRatio);
inline const double kDearQuantile = normal_quantile(1.0 - (1.0 - kMinRatio));

/*! @brief Whether a cost ratio c_K / m lies strictly inside the bounds (or is NaN), where the
 *  covered quantile is normal_quantile(1 - c_K / m). */
[[nodiscard]] inline bool inside_bounds(double cost_ratio) noexcept {
    return !(cost_ratio <= kMinRatio || cost_ratio >= 1.0 - kMinRatio);
}

/*! @brief The covered quantile of a cost ratio at or beyond a bound. */
[[nodiscard]] inline double bound_quantile(double cost_ratio) noexcept { return cost_ratio <= kMinRatio ? kCheapQuantile : kDearQuantile; }

/*! @brief Quantile z of demand the capacity covers, for a cost ratio c_K / m (clamped to the bounds). */
[[nodiscard]] inline double covered_quantile(double cost_ratio) noexcept {
    return inside_bounds(cost_ratio) ? normal_quantile(1.0 - cost_ratio) : bound_quantile(cost_ratio);
}

/*! @brief The exponent of capacity_factor for covered quantile z: sigma z - sigma^2 / 2. */
[[nodiscard]] inline double capacity_exponent(double sigma, double z) noexcept { return sigma * z - 0.5 * sigma * sigma; }

/*! @brief Capacity per unit of expected demand: exp(sigma z - sigma^2 / 2). */
[[nodiscard]] inline double capacity_factor(double sigma, double cost_ratio) noexcept {
    return std::exp(capacity_exponent(sigma, covered_quantile(cost_ratio)));
}

#if IPSIM_VECTOR_MATH
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // as central_quantile
/*! @brief capacity_factors' two passes around the erfc and the exp, one firm at a time. */
inline void capacity_factors_scalar(const double* sigma, const double* cost_ratio, double* factor, std::size_t n) noexcept {
    namespace vm = detail::vector_math;
    alignas(32) std::array<double, vm::kBlock> z;
    alignas(32) std::array<double, vm::kBlock> erfc_value;
    alignas(32) std::array<double, vm::kBlock> exp_value;
    for (std::size_t j = 0; j < n; ++j) {
        const bool inside = inside_bounds(cost_ratio[j]);
        z[j] = inside ? approximate_quantile(1.0 - cost_ratio[j]) : bound_quantile(cost_ratio[j]);
        erfc_value[j] = inside ? cdf_erfc_argument(z[j]) : 0.0;
        exp_value[j] = inside ? halley_exp_argument(z[j]) : 0.0;
    }
    vm::erfc(erfc_value.data(), n);
    vm::exp(exp_value.data(), n);
    for (std::size_t j = 0; j < n; ++j) {
        if (inside_bounds(cost_ratio[j])) {
            z[j] = refined_quantile<double>(z[j], 1.0 - cost_ratio[j], erfc_value[j], exp_value[j]);
        }
        factor[j] = capacity_exponent(sigma[j], z[j]);
    }
    vm::exp(factor, n);
}

/*! @brief capacity_factors_scalar four firms at a time, each step the scalar expression per lane:
 *  inside_bounds, the central region of approximate_quantile (its tails, rare, lane by lane),
 *  bound_quantile, refined_quantile. AVX2 without FMA: a * b + c stays two roundings. */
[[gnu::target("avx2")]] inline void capacity_factors_avx2(const double* sigma, const double* cost_ratio, double* factor, std::size_t n) noexcept {
    namespace vm = detail::vector_math;
    namespace lanes = detail::lanes;
    using L = lanes::Double4;
    constexpr std::size_t width = lanes::kWidth<L>;
    static_assert(vm::kPad % width == 0);
    alignas(32) std::array<double, vm::kBlock> z;
    alignas(32) std::array<double, vm::kBlock> erfc_value;
    alignas(32) std::array<double, vm::kBlock> exp_value;
    const L zero{};
    const auto inside_of = [](const L& ratio) __attribute__((always_inline)) { return lanes::negate((ratio <= kMinRatio) | (ratio >= 1.0 - kMinRatio)); };
    for (std::size_t j = 0; j < n; j += width) {
        const L ratio = lanes::load<L>(cost_ratio + j);
        const auto inside = inside_of(ratio);
        const L p = 1.0 - ratio;
        lanes::store(z.data() + j, central_quantile(p));
        // Lanes at a bound or in a tail of approximate_quantile (about one in ten) one at a time.
        const auto other = lanes::negate(lanes::both(inside, lanes::negate((p < kTail) | (p > 1.0 - kTail))));
        if (!lanes::none(other)) {
            for (std::size_t k = 0; k < width; ++k) {
                if (lanes::holds(other, k)) {
                    const double ratio_k = cost_ratio[j + k];
                    z[j + k] = inside_bounds(ratio_k) ? approximate_quantile(1.0 - ratio_k) : bound_quantile(ratio_k);
                }
            }
        }
        const L start = lanes::load<L>(z.data() + j);
        lanes::store(erfc_value.data() + j, lanes::select(inside, -start / std::numbers::sqrt2, zero));
        lanes::store(exp_value.data() + j, lanes::select(inside, 0.5 * start * start, zero));
    }
    vm::erfc(erfc_value.data(), n);
    vm::exp(exp_value.data(), n);
    for (std::size_t j = 0; j < n; j += width) {
        const L ratio = lanes::load<L>(cost_ratio + j);
        const L start = lanes::load<L>(z.data() + j);
        const L refined = refined_quantile<L>(start, 1.0 - ratio, lanes::load<L>(erfc_value.data() + j), lanes::load<L>(exp_value.data() + j));
        const L s = lanes::load<L>(sigma + j);
        lanes::store(factor + j, s * lanes::select(inside_of(ratio), refined, start) - 0.5 * s * s);
    }
    vm::exp(factor, n);
}

/*! @brief factor[j] = capacity_factor(sigma[j], cost_ratio[j]) for j < n (n a multiple of
 *  vector_math::kPad, at most vector_math::kBlock): the same steps, with the erfc and the two exps
 *  taken over arrays (libmvec's values), four firms at a time where AVX2 is in use. */
inline void capacity_factors(const double* sigma, const double* cost_ratio, double* factor, std::size_t n) noexcept {
    if (detail::vector_math::uses_avx2()) {
        capacity_factors_avx2(sigma, cost_ratio, factor, n);
    } else {
        capacity_factors_scalar(sigma, cost_ratio, factor, n);
    }
}
#pragma GCC diagnostic pop
#endif

/*! @brief Expected utilisation E[min(d, K)] / K when capacity is k times expected demand and demand
 *  is lognormal with log-standard deviation sigma (k if sigma is 0). */
[[nodiscard]] inline double expected_utilisation(double k, double sigma) noexcept {
    if (sigma <= 1e-12) {
        return std::min(1.0, 1.0 / k);
    }
    const double a = (std::log(k) + 0.5 * sigma * sigma) / sigma;
    return normal_cdf(a - sigma) / k + (1.0 - normal_cdf(a));
}

}  // namespace ipsim::model::newsvendor
