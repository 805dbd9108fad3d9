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

namespace ipsim::model::newsvendor {

/*! @brief Critical ratios are kept inside (kMinRatio, 1 - kMinRatio): a firm always plans some capacity. */
inline constexpr double kMinRatio = 0.02;

/*! @brief Standard normal distribution function. */
[[nodiscard]] inline double normal_cdf(double z) noexcept { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

/*! @brief Standard normal quantile for p in (0, 1): Acklam's rational approximation (relative error
 *  about 1e-9), refined by one Halley step to full double precision. */
[[nodiscard]] inline double normal_quantile(double p) noexcept {
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
    double z = 0.0;
    if (p < tail) {
        z = tail_value(std::sqrt(-2.0 * std::log(p)));
    } else if (p > 1.0 - tail) {
        z = -tail_value(std::sqrt(-2.0 * std::log(1.0 - p)));
    } else {
        const double q = p - 0.5;
        const double r = q * q;
        z = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    }
    const double error = normal_cdf(z) - p;
    const double step = error * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * z * z);
    return z - step / (1.0 + 0.5 * z * step);
}

/*! @brief The quantiles at the two bounds of the critical ratio, computed once: every firm whose
 *  ratio is clamped (no margin, or capacity almost free) shares them. */
inline const double kCheapQuantile = normal_quantile(1.0 - kMinRatio);
inline const double kDearQuantile = normal_quantile(1.0 - (1.0 - kMinRatio));

/*! @brief Quantile z of demand the capacity covers, for a cost ratio c_K / m (clamped to the bounds). */
[[nodiscard]] inline double covered_quantile(double cost_ratio) noexcept {
    if (cost_ratio <= kMinRatio) {
        return kCheapQuantile;
    }
    if (cost_ratio >= 1.0 - kMinRatio) {
        return kDearQuantile;
    }
    return normal_quantile(1.0 - cost_ratio);
}

/*! @brief Capacity per unit of expected demand: exp(sigma z - sigma^2 / 2). */
[[nodiscard]] inline double capacity_factor(double sigma, double cost_ratio) noexcept {
    return std::exp(sigma * covered_quantile(cost_ratio) - 0.5 * sigma * sigma);
}

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
