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

#include "model/detail/vector_math.hpp"
#endif

namespace ipsim::model::newsvendor {

/*! @brief Critical ratios are kept inside (kMinRatio, 1 - kMinRatio): a firm always plans some capacity. */
inline constexpr double kMinRatio = 0.02;

/*! @brief The argument of the erfc of normal_cdf(z). */
[[nodiscard]] inline double cdf_erfc_argument(double z) noexcept { return -z / std::numbers::sqrt2; }

/*! @brief Standard normal distribution function. */
[[nodiscard]] inline double normal_cdf(double z) noexcept { return 0.5 * std::erfc(cdf_erfc_argument(z)); }

/*! @brief Acklam's rational approximation of the standard normal quantile of p in (0, 1) (relative
 *  error about 1e-9): the first step of normal_quantile. */
[[nodiscard]] inline double approximate_quantile(double p) noexcept {
    constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                            6.680131188771972e+01, -1.328068155288572e+01};
    constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    constexpr double tail = 0.02425;
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
    const double q = p - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

/*! @brief The argument of the exp of the Halley step from z (1 / density up to a constant). */
[[nodiscard]] inline double halley_exp_argument(double z) noexcept { return 0.5 * z * z; }

/*! @brief One Halley step from an approximate quantile z of p to full double precision, given
 *  erfc(cdf_erfc_argument(z)) and exp(halley_exp_argument(z)). */
[[nodiscard]] inline double refined_quantile(double z, double p, double erfc_value, double exp_value) noexcept {
    const double error = 0.5 * erfc_value - p;
    const double step = error * std::sqrt(2.0 * std::numbers::pi) * exp_value;
    return z - step / (1.0 + 0.5 * z * step);
}

/*! @brief Standard normal quantile for p in (0, 1): approximate_quantile refined by one Halley step. */
[[nodiscard]] inline double normal_quantile(double p) noexcept {
    const double z = approximate_quantile(p);
    return refined_quantile(z, p, std::erfc(cdf_erfc_argument(z)), std::exp(halley_exp_argument(z)));
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
/*! @brief factor[j] = capacity_factor(sigma[j], cost_ratio[j]) for j < n (n a multiple of
 *  vector_math::kPad, at most vector_math::kBlock): the same steps, with the erfc and the two exps
 *  taken over arrays (libmvec's values). */
inline void capacity_factors(const double* sigma, const double* cost_ratio, double* factor, std::size_t n) noexcept {
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
            z[j] = refined_quantile(z[j], 1.0 - cost_ratio[j], erfc_value[j], exp_value[j]);
        }
        factor[j] = capacity_exponent(sigma[j], z[j]);
    }
    vm::exp(factor, n);
}
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
