/*!
 * @file sensitivity.hpp
 * @brief Sobol and Morris sensitivity indices from the outputs of a design, with bootstrap
 *        confidence intervals; SALib's conventions and estimators.
 *
 * Sobol: outputs in Saltelli design order (design.hpp: per base sample A, AB_1..AB_D,
 * [BA_1..BA_D], B). First order S1 by Saltelli et al. (2010), total ST by Jansen (1999),
 * second order S2 from the BA rows (Saltelli 2002), all normalised by the variance of the
 * A and B outputs. Morris: elementary effects along each trajectory, mu* = mean |EE|,
 * mu = mean EE, sigma = standard deviation of EE. Confidence half-widths are z * the
 * standard deviation of the index over bootstrap resamples (of base samples, or of a
 * parameter's effects), drawn from Philox streams keyed by a fixed seed: the same inputs
 * give the same intervals. Inputs that are inconsistent or not finite throw
 * std::invalid_argument with the offending row.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sweep/design.hpp"

namespace ipsim::sweep {

/*! @brief Bootstrap settings shared by both analyses. */
struct BootstrapOptions {
    std::size_t resamples = 1000;   //!< 0: no confidence intervals (half-widths are NaN)
    double confidence = 0.95;       //!< level of the two-sided interval, in (0, 1)
    std::uint64_t seed = 20100101;  //!< fixed so results are reproducible
};

/*! @brief Sobol indices of one output; vectors indexed by parameter. */
struct SobolIndices {
    std::vector<double> S1, S1_conf, ST, ST_conf;
    /*! @brief Second order, dimensions x dimensions row-major, S2[j*D+k] for j < k; NaN elsewhere or when not computed. */
    std::vector<double> S2, S2_conf;
    std::size_t base_samples = 0;
    std::size_t dimensions = 0;
};

/*! @brief Morris indices of one output; vectors indexed by parameter. */
struct MorrisIndices {
    std::vector<double> mu_star, mu_star_conf, mu, sigma;
    std::size_t trajectories = 0;
};

/*! @brief Base samples N of a Saltelli design with `rows` rows; throws std::invalid_argument if rows is not N*(D+2) (N*(2D+2) for second order). */
[[nodiscard]] std::size_t saltelli_base_samples(std::size_t rows, std::size_t dimensions, bool second_order);

/*! @brief Sobol indices from outputs of a Saltelli design of N base samples in `dimensions` parameters (S2 when second_order). */
[[nodiscard]] SobolIndices analyze_sobol(std::size_t base_samples, std::size_t dimensions, bool second_order,
                                         std::span<const double> outputs, const BootstrapOptions& options = {});
/*! @brief The same for the design `spec` describes (method sobol). */
[[nodiscard]] SobolIndices analyze_sobol(const DesignSpec& spec, std::span<const double> outputs,
                                         const BootstrapOptions& options = {});

/*! @brief Morris indices from a Morris design (unit scale, r*(D+1) rows) and its outputs; checks each step changes one parameter. */
[[nodiscard]] MorrisIndices analyze_morris(const UnitDesign& design, std::span<const double> outputs,
                                           const BootstrapOptions& options = {});
/*! @brief The same for the design `spec` describes (method morris; the design is regenerated from it). */
[[nodiscard]] MorrisIndices analyze_morris(const DesignSpec& spec, std::span<const double> outputs,
                                           const BootstrapOptions& options = {});

/*! @brief Two-sided standard normal quantile for `confidence` (1.959964 for 0.95). */
[[nodiscard]] double normal_quantile(double confidence);

}  // namespace ipsim::sweep
