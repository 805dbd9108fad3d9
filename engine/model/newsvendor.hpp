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

/*! @brief Standard normal quantile for p in (0, 1): logistic first guess, then Halley steps. */
[[nodiscard]] inline double normal_quantile(double p) noexcept {
    double z = std::log(p / (1.0 - p)) * std::sqrt(std::numbers::pi / 8.0);
    for (int k = 0; k < 4; ++k) {
        const double error = normal_cdf(z) - p;
        const double density = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
        const double step = error / density;
        z -= step / (1.0 + 0.5 * z * step);
    }
    return z;
}

/*! @brief Quantile z of demand the capacity covers, for a cost ratio c_K / m. */
[[nodiscard]] inline double covered_quantile(double cost_ratio) noexcept {
    return normal_quantile(1.0 - std::clamp(cost_ratio, kMinRatio, 1.0 - kMinRatio));
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
