/*!
 * @file sensitivity.cpp
 * @brief The Sobol (Saltelli 2010, Jansen) and Morris estimators and their bootstrap.
 *
 * Both analyses reduce to "estimate a vector of indices from a resample of independent
 * units" (Sobol: base samples; Morris: trajectories). bootstrap() runs an estimator on the
 * identity resample for the point estimates and on `resamples` resamples with replacement
 * for the spread, resample b drawing its indices from Philox stream (seed, bootstrap, b);
 * resamples run in parallel and are reduced in resample order, so intervals do not depend
 * on the thread count. Sobol outputs are standardised first (as SALib does), which leaves
 * the indices unchanged and keeps the sums well conditioned; a constant output has NaN
 * indices (0/0), not an error.
 */
#include "sweep/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/parallel.hpp"
#include "core/random.hpp"

namespace ipsim::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Estimator = std::function<void(std::span<const std::size_t> units, std::span<double> out)>;

struct Bootstrapped {
    std::vector<double> estimate, half_width;
};

void check_outputs(std::span<const double> outputs, std::size_t rows) {
    if (outputs.size() != rows) {
        throw std::invalid_argument("the design has " + std::to_string(rows) + " rows but there are " +
                                    std::to_string(outputs.size()) + " outputs");
    }
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        if (!std::isfinite(outputs[i])) {
            throw std::invalid_argument("output of row " + std::to_string(i + 1) + " (design order) is not finite (" +
                                        std::to_string(outputs[i]) + ")");
        }
    }
}

/*! Resample b in parallel (one task each, its own index buffer), reduced in resample order: thread-count independent. */
Bootstrapped bootstrap(std::size_t units, std::size_t size, const Estimator& estimate, const BootstrapOptions& options) {
    Bootstrapped result{std::vector<double>(size), std::vector<double>(size, kNaN)};
    std::vector<std::size_t> identity(units);
    std::iota(identity.begin(), identity.end(), std::size_t{0});
    estimate(identity, result.estimate);
    if (options.resamples < 2 || units < 2) {
        return result;
    }
    std::vector<double> values(options.resamples * size);
    core::parallel_for(
        options.resamples,
        [&](std::size_t b) {
            core::Stream draws(options.seed, core::Purpose::bootstrap, b, 0);
            std::vector<std::size_t> pick(units);
            for (auto& p : pick) {
                p = draws.below(units);
            }
            estimate(pick, std::span<double>(values).subspan(b * size, size));
        },
        1);
    const double z = normal_quantile(options.confidence);
    for (std::size_t k = 0; k < size; ++k) {
        double mean = 0.0, m2 = 0.0;
        for (std::size_t b = 0; b < options.resamples; ++b) {
            const double delta = values[b * size + k] - mean;
            mean += delta / static_cast<double>(b + 1);
            m2 += delta * (values[b * size + k] - mean);
        }
        result.half_width[k] = z * std::sqrt(m2 / static_cast<double>(options.resamples - 1));
    }
    return result;
}

/*! Standardised outputs split into the Saltelli matrices: column j of AB is ab[j]. */
struct SaltelliOutputs {
    std::size_t n = 0, dims = 0;
    std::vector<double> a, b;
    std::vector<std::vector<double>> ab, ba;
};

SaltelliOutputs split(std::size_t n, std::size_t dims, bool second_order, std::span<const double> outputs) {
    const double mean = std::accumulate(outputs.begin(), outputs.end(), 0.0) / static_cast<double>(outputs.size());
    double ss = 0.0;
    for (const double y : outputs) {
        ss += (y - mean) * (y - mean);
    }
    double largest = 0.0;
    for (const double y : outputs) {
        largest = std::max(largest, std::abs(y));
    }
    const double sd = std::sqrt(ss / static_cast<double>(outputs.size()));
    const bool constant = !(sd > 1e-12 * largest);
    const std::size_t block = second_order ? 2 * dims + 2 : dims + 2;
    SaltelliOutputs s{n, dims, std::vector<double>(n), std::vector<double>(n),
                      std::vector<std::vector<double>>(dims, std::vector<double>(n)),
                      std::vector<std::vector<double>>(second_order ? dims : 0, std::vector<double>(n))};
    const auto z = [&](std::size_t row) { return constant ? 0.0 : (outputs[row] - mean) / sd; };
    for (std::size_t i = 0; i < n; ++i) {
        s.a[i] = z(i * block);
        s.b[i] = z(i * block + block - 1);
        for (std::size_t j = 0; j < dims; ++j) {
            s.ab[j][i] = z(i * block + 1 + j);
            if (second_order) {
                s.ba[j][i] = z(i * block + 1 + dims + j);
            }
        }
    }
    return s;
}

double variance_ab(const SaltelliOutputs& s, std::span<const std::size_t> units) {
    double sum = 0.0, sum2 = 0.0;
    for (const std::size_t i : units) {
        sum += s.a[i] + s.b[i];
        sum2 += s.a[i] * s.a[i] + s.b[i] * s.b[i];
    }
    const double count = 2.0 * static_cast<double>(units.size());
    const double mean = sum / count;
    return sum2 / count - mean * mean;
}

/*! out = [S1 (D), ST (D), S2 (D x D, or nothing)]. */
void sobol_estimates(const SaltelliOutputs& s, std::span<const std::size_t> units, std::span<double> out) {
    const double var = variance_ab(s, units);
    const auto count = static_cast<double>(units.size());
    for (std::size_t j = 0; j < s.dims; ++j) {
        double first = 0.0, total = 0.0;
        for (const std::size_t i : units) {
            const double diff = s.ab[j][i] - s.a[i];
            first += s.b[i] * diff;
            total += diff * diff;
        }
        out[j] = first / count / var;
        out[s.dims + j] = 0.5 * total / count / var;
    }
    if (s.ba.empty()) {
        return;
    }
    double ab_mean = 0.0;
    for (const std::size_t i : units) {
        ab_mean += s.a[i] * s.b[i];
    }
    for (std::size_t j = 0; j < s.dims; ++j) {
        for (std::size_t k = 0; k < s.dims; ++k) {
            double& cell = out[2 * s.dims + j * s.dims + k];
            if (k <= j) {
                cell = kNaN;
                continue;
            }
            double v = 0.0;
            for (const std::size_t i : units) {
                v += s.ba[j][i] * s.ab[k][i];
            }
            cell = (v - ab_mean) / count / var - out[j] - out[k];
        }
    }
}

SobolIndices sobol_result(const Bootstrapped& boot, std::size_t n, std::size_t dims, bool second_order) {
    SobolIndices r;
    r.base_samples = n;
    r.dimensions = dims;
    const auto part = [&](const std::vector<double>& v, std::size_t from, std::size_t count) {
        return std::vector<double>(v.begin() + static_cast<long>(from), v.begin() + static_cast<long>(from + count));
    };
    r.S1 = part(boot.estimate, 0, dims);
    r.S1_conf = part(boot.half_width, 0, dims);
    r.ST = part(boot.estimate, dims, dims);
    r.ST_conf = part(boot.half_width, dims, dims);
    r.S2.assign(dims * dims, kNaN);
    r.S2_conf.assign(dims * dims, kNaN);
    if (second_order) {
        r.S2 = part(boot.estimate, 2 * dims, dims * dims);
        r.S2_conf = part(boot.half_width, 2 * dims, dims * dims);
        for (std::size_t c = 0; c < dims * dims; ++c) {
            if (c / dims >= c % dims) {
                r.S2_conf[c] = kNaN;
            }
        }
    }
    return r;
}

/*! Elementary effects ee[dim][trajectory]; throws if a step does not change exactly one new parameter. */
std::vector<std::vector<double>> elementary_effects(const UnitDesign& design, std::span<const double> outputs) {
    const std::size_t dims = design.dimensions;
    const std::size_t r = design.rows / (dims + 1);
    std::vector<std::vector<double>> ee(dims, std::vector<double>(r, kNaN));
    for (std::size_t t = 0; t < r; ++t) {
        for (std::size_t k = 0; k < dims; ++k) {
            const std::size_t row = t * (dims + 1) + k;
            std::size_t changed = dims;
            std::size_t count = 0;
            for (std::size_t d = 0; d < dims; ++d) {
                if (std::abs(design.at(row + 1, d) - design.at(row, d)) > 1e-9) {
                    changed = d;
                    ++count;
                }
            }
            if (count != 1 || !std::isnan(ee[changed][t])) {
                throw std::invalid_argument("rows " + std::to_string(row + 1) + " and " + std::to_string(row + 2) +
                                            " (trajectory " + std::to_string(t + 1) + ") are not a Morris step: " +
                                            std::to_string(count) + " parameters change, or one changes twice");
            }
            ee[changed][t] = (outputs[row + 1] - outputs[row]) / (design.at(row + 1, changed) - design.at(row, changed));
        }
    }
    return ee;
}

double mean_of(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

double normal_quantile(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0)) {
        throw std::invalid_argument("confidence level must be in (0, 1) (got " + std::to_string(confidence) + ")");
    }
    double z = 1.0;
    for (int i = 0; i < 100; ++i) {
        const double f = std::erf(z / std::numbers::sqrt2) - confidence;
        const double slope = std::sqrt(2.0 / std::numbers::pi) * std::exp(-0.5 * z * z);
        const double step = f / slope;
        z = std::max(z - step, 0.5 * z);
        if (std::abs(step) < 1e-14) {
            break;
        }
    }
    return z;
}

std::size_t saltelli_base_samples(std::size_t rows, std::size_t dimensions, bool second_order) {
    const std::size_t block = second_order ? 2 * dimensions + 2 : dimensions + 2;
    if (dimensions == 0 || rows == 0 || rows % block != 0) {
        throw std::invalid_argument(std::to_string(rows) + " rows is not a Saltelli design for " + std::to_string(dimensions) +
                                    " parameters: expected N*(" + (second_order ? "2D+2" : "D+2") + ") = a multiple of " +
                                    std::to_string(block) + " rows");
    }
    return rows / block;
}

SobolIndices analyze_sobol(std::size_t base_samples, std::size_t dimensions, bool second_order,
                           std::span<const double> outputs, const BootstrapOptions& options) {
    if (base_samples == 0 || dimensions == 0) {
        throw std::invalid_argument("Sobol analysis needs N >= 1 base samples and D >= 1 parameters");
    }
    check_outputs(outputs, base_samples * (second_order ? 2 * dimensions + 2 : dimensions + 2));
    const SaltelliOutputs s = split(base_samples, dimensions, second_order, outputs);
    const std::size_t size = 2 * dimensions + (second_order ? dimensions * dimensions : 0);
    const auto boot = bootstrap(
        base_samples, size, [&](std::span<const std::size_t> units, std::span<double> out) { sobol_estimates(s, units, out); },
        options);
    return sobol_result(boot, base_samples, dimensions, second_order);
}

SobolIndices analyze_sobol(const DesignSpec& spec, std::span<const double> outputs, const BootstrapOptions& options) {
    return analyze_sobol(spec.samples, spec.dimensions, spec.second_order, outputs, options);
}

MorrisIndices analyze_morris(const UnitDesign& design, std::span<const double> outputs, const BootstrapOptions& options) {
    const std::size_t dims = design.dimensions;
    if (dims == 0 || design.rows == 0 || design.rows % (dims + 1) != 0) {
        throw std::invalid_argument(std::to_string(design.rows) + " rows is not a Morris design for " + std::to_string(dims) +
                                    " parameters: expected r*(D+1) = a multiple of " + std::to_string(dims + 1) + " rows");
    }
    check_outputs(outputs, design.rows);
    const auto ee = elementary_effects(design, outputs);
    const std::size_t r = design.rows / (dims + 1);
    MorrisIndices m;
    m.trajectories = r;
    for (const auto& effects : ee) {
        m.mu.push_back(mean_of(effects));
        double ss = 0.0;
        for (const double x : effects) {
            ss += (x - m.mu.back()) * (x - m.mu.back());
        }
        m.sigma.push_back(r > 1 ? std::sqrt(ss / static_cast<double>(r - 1)) : kNaN);
    }
    const auto boot = bootstrap(
        r, dims,
        [&](std::span<const std::size_t> units, std::span<double> out) {
            for (std::size_t d = 0; d < dims; ++d) {
                double sum = 0.0;
                for (const std::size_t t : units) {
                    sum += std::abs(ee[d][t]);
                }
                out[d] = sum / static_cast<double>(units.size());
            }
        },
        options);
    m.mu_star = boot.estimate;
    m.mu_star_conf = boot.half_width;
    return m;
}

MorrisIndices analyze_morris(const DesignSpec& spec, std::span<const double> outputs, const BootstrapOptions& options) {
    if (spec.method != DesignMethod::kMorris) {
        throw std::invalid_argument("Morris analysis needs a morris design (got " + std::string(design_method_name(spec.method)) + ")");
    }
    return analyze_morris(make_unit_design(spec), outputs, options);
}

}  // namespace ipsim::sweep
