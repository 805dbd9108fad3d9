/*!
 * @file paired.hpp
 * @brief The one implementation of paired-difference statistics (sweeps, `ipsim compare`,
 *        and through them the analysis scripts).
 *
 * Two arms run on the same rows (same seed and parameter values) give one difference per row;
 * rows where either value is missing (a failed run: NaN) are left out. The mean difference,
 * its standard error sd / sqrt(n) and a 95 % confidence interval from Student's t with n - 1
 * degrees of freedom describe how much the policy changes the output. With one pair the
 * standard error and interval are NaN.
 */
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace ipsim::sweep {

/*! @brief Summary of paired differences. */
struct PairedStats {
    std::size_t n = 0;    //!< pairs used
    double mean = 0.0;    //!< mean of (arm - base)
    double sd = 0.0;      //!< sample standard deviation (n - 1 denominator)
    double se = 0.0;      //!< standard error of the mean
    double ci_low = 0.0;  //!< 95 % confidence interval
    double ci_high = 0.0;
    double t_crit = 0.0;  //!< t quantile used (0.975, n - 1 degrees of freedom)
};

/*! @brief arm[i] - base[i] for every row (NaN where either is NaN). Sizes must match. */
[[nodiscard]] std::vector<double> paired_differences(std::span<const double> base, std::span<const double> arm);

/*! @brief Statistics of the finite values of `differences`. */
[[nodiscard]] PairedStats paired_stats(std::span<const double> differences);

/*! @brief Student's t distribution function at x with `df` degrees of freedom (df >= 1). */
[[nodiscard]] double student_t_cdf(double x, double df);

/*! @brief Student's t quantile: the x with student_t_cdf(x, df) = p, p in (0, 1). */
[[nodiscard]] double student_t_quantile(double p, double df);

}  // namespace ipsim::sweep
