/*!
 * @file paired.cpp
 * @brief Paired differences, their mean, standard error and t-based confidence interval.
 *
 * The t distribution function is the integral of the density from 0 (where it is 1/2), taken
 * with composite Simpson's rule on a substitution x = tan(theta) that maps the whole real line
 * to a finite interval and keeps the heavy tails of small df smooth; the quantile is found by
 * bisection on it. This is slow by special-function standards (microseconds) and exact to
 * about 1e-10, which is all a table of a few dozen intervals needs.
 */
#include "sweep/paired.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace ipsim::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kSimpsonIntervals = 2000;

/*! Density of t at tan(theta) times d(tan)/d(theta). */
double transformed_density(double theta, double df, double log_norm) {
    const double c = std::cos(theta);
    const double x = std::tan(theta);
    return std::exp(log_norm - 0.5 * (df + 1.0) * std::log1p(x * x / df)) / (c * c);
}

}  // namespace

std::vector<double> paired_differences(std::span<const double> base, std::span<const double> arm) {
    if (base.size() != arm.size()) {
        throw std::invalid_argument("paired_differences: the two arms have different numbers of rows");
    }
    std::vector<double> d(base.size());
    for (std::size_t i = 0; i < d.size(); ++i) {
        d[i] = std::isfinite(base[i]) && std::isfinite(arm[i]) ? arm[i] - base[i] : kNaN;
    }
    return d;
}

double student_t_cdf(double x, double df) {
    if (!(df > 0.0)) {
        throw std::invalid_argument("student_t_cdf needs df > 0");
    }
    if (x == 0.0) {
        return 0.5;
    }
    const double log_norm = std::lgamma(0.5 * (df + 1.0)) - std::lgamma(0.5 * df) - 0.5 * std::log(df * std::numbers::pi);
    const double end = std::atan(std::abs(x));
    const double h = end / kSimpsonIntervals;
    double sum = transformed_density(0.0, df, log_norm) + transformed_density(end, df, log_norm);
    for (int i = 1; i < kSimpsonIntervals; ++i) {
        sum += (i % 2 == 1 ? 4.0 : 2.0) * transformed_density(i * h, df, log_norm);
    }
    const double half = sum * h / 3.0;
    return x > 0.0 ? 0.5 + half : 0.5 - half;
}

double student_t_quantile(double p, double df) {
    if (!(p > 0.0 && p < 1.0)) {
        throw std::invalid_argument("student_t_quantile needs p in (0, 1)");
    }
    if (p == 0.5) {
        return 0.0;
    }
    const double target = p > 0.5 ? p : 1.0 - p;
    double lo = 0.0;
    double hi = 1.0;
    while (student_t_cdf(hi, df) < target) {
        hi *= 2.0;
    }
    for (int i = 0; i < 80 && hi - lo > 1e-12 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (student_t_cdf(mid, df) < target ? lo : hi) = mid;
    }
    const double x = 0.5 * (lo + hi);
    return p > 0.5 ? x : -x;
}

PairedStats paired_stats(std::span<const double> differences) {
    PairedStats s;
    double sum = 0.0;
    for (const double d : differences) {
        if (std::isfinite(d)) {
            sum += d;
            ++s.n;
        }
    }
    if (s.n == 0) {
        return PairedStats{0, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
    }
    s.mean = sum / static_cast<double>(s.n);
    if (s.n < 2) {
        s.sd = s.se = s.ci_low = s.ci_high = s.t_crit = kNaN;
        return s;
    }
    double squares = 0.0;
    for (const double d : differences) {
        if (std::isfinite(d)) {
            squares += (d - s.mean) * (d - s.mean);
        }
    }
    s.sd = std::sqrt(squares / static_cast<double>(s.n - 1));
    s.se = s.sd / std::sqrt(static_cast<double>(s.n));
    s.t_crit = student_t_quantile(0.975, static_cast<double>(s.n - 1));
    s.ci_low = s.mean - s.t_crit * s.se;
    s.ci_high = s.mean + s.t_crit * s.se;
    return s;
}

}  // namespace ipsim::sweep
