/*!
 * @file design.cpp
 * @brief The five designs: grid, uniform random, Latin hypercube, Saltelli-Sobol and Morris.
 *
 * Each method is one function filling a UnitDesign; make_unit_design() validates the spec
 * first (design_rows() holds the size rules) so the generators assume a valid one. Streams:
 * random draws row r from stream (seed, design, r, 0); LHS permutes and jitters dimension d
 * from stream (seed, design, d, 1); Morris builds trajectory t from stream (seed, design, t, 2).
 * Saltelli designs are deterministic (an unscrambled Sobol sequence); the seed is unused.
 */
#include "sweep/design.hpp"

#include <array>
#include <bit>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/random.hpp"
#include "sweep/sobol_sequence.hpp"

namespace ipsim::sweep {
namespace {

constexpr std::size_t kMaxValues = std::size_t{1} << 31U;
constexpr std::array<std::string_view, 5> kMethodNames = {"grid", "random", "lhs", "sobol", "morris"};

[[noreturn]] void invalid(const std::string& message) { throw std::invalid_argument(message); }

core::Stream stream(const DesignSpec& spec, std::uint64_t index, std::uint64_t kind) {
    return core::Stream(spec.seed, core::Purpose::design, index, kind);
}

std::vector<std::size_t> grid_levels(const DesignSpec& spec) {
    if (spec.grid_levels.empty()) {
        return std::vector<std::size_t>(spec.dimensions, spec.samples);
    }
    if (spec.grid_levels.size() != spec.dimensions) {
        invalid("grid_levels has " + std::to_string(spec.grid_levels.size()) + " entries for " +
                std::to_string(spec.dimensions) + " dimensions");
    }
    return spec.grid_levels;
}

std::size_t checked_product(std::size_t a, std::size_t b) {
    if (b != 0 && a > kMaxValues / b) {
        invalid("design too large (more than 2^31 values)");
    }
    return a * b;
}

std::size_t grid_rows(const DesignSpec& spec) {
    std::size_t rows = 1;
    for (const std::size_t levels : grid_levels(spec)) {
        if (levels == 0) {
            invalid("a grid needs at least 1 point per dimension (samples or grid_levels is 0)");
        }
        rows = checked_product(rows, levels);
    }
    return rows;
}

UnitDesign empty_design(const DesignSpec& spec) {
    UnitDesign design;
    design.rows = design_rows(spec);
    design.dimensions = spec.dimensions;
    design.values.assign(design.rows * design.dimensions, 0.0);
    return design;
}

void fill_grid(const DesignSpec& spec, UnitDesign& design) {
    const auto levels = grid_levels(spec);
    std::vector<std::size_t> index(spec.dimensions, 0);
    for (std::size_t row = 0; row < design.rows; ++row) {
        for (std::size_t d = 0; d < spec.dimensions; ++d) {
            design.values[row * spec.dimensions + d] =
                levels[d] == 1 ? 0.5 : static_cast<double>(index[d]) / static_cast<double>(levels[d] - 1);
        }
        for (std::size_t d = spec.dimensions; d-- > 0;) {
            if (++index[d] < levels[d]) {
                break;
            }
            index[d] = 0;
        }
    }
}

void fill_random(const DesignSpec& spec, UnitDesign& design) {
    for (std::size_t row = 0; row < design.rows; ++row) {
        auto draws = stream(spec, row, 0);
        for (std::size_t d = 0; d < spec.dimensions; ++d) {
            design.values[row * spec.dimensions + d] = draws.uniform();
        }
    }
}

/*! Fisher-Yates shuffle of 0..n-1 from one stream. */
std::vector<std::size_t> permutation(std::size_t n, core::Stream& draws) {
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) {
        std::swap(p[i - 1], p[draws.below(i)]);
    }
    return p;
}

void fill_lhs(const DesignSpec& spec, UnitDesign& design) {
    const auto n = static_cast<double>(design.rows);
    for (std::size_t d = 0; d < spec.dimensions; ++d) {
        auto draws = stream(spec, d, 1);
        const auto strata = permutation(design.rows, draws);
        for (std::size_t row = 0; row < design.rows; ++row) {
            design.values[row * spec.dimensions + d] = (static_cast<double>(strata[row]) + draws.uniform()) / n;
        }
    }
}

void fill_saltelli(const DesignSpec& spec, UnitDesign& design) {
    const std::size_t dims = spec.dimensions;
    const std::size_t block = spec.second_order ? 2 * dims + 2 : dims + 2;
    SobolSequence sequence(2 * dims);
    sequence.seek(saltelli_skip(spec.samples));
    for (std::size_t i = 0; i < spec.samples; ++i) {
        const auto point = sequence.next();
        const auto a = point.first(dims);
        const auto b = point.subspan(dims, dims);
        double* rows = &design.values[i * block * dims];
        for (std::size_t d = 0; d < dims; ++d) {
            rows[d] = a[d];
            rows[(block - 1) * dims + d] = b[d];
            for (std::size_t j = 0; j < dims; ++j) {
                rows[(1 + j) * dims + d] = d == j ? b[d] : a[d];
                if (spec.second_order) {
                    rows[(1 + dims + j) * dims + d] = d == j ? a[d] : b[d];
                }
            }
        }
    }
}

/*! One trajectory: a random start on the grid, then each dimension once, in random order, by +-delta. */
void fill_trajectory(const DesignSpec& spec, std::size_t t, UnitDesign& design) {
    const std::size_t dims = spec.dimensions;
    const std::size_t p = spec.morris_levels;
    const auto step = static_cast<long>(p / 2);
    auto draws = stream(spec, t, 2);
    std::vector<long> grid(dims);
    std::vector<long> direction(dims);
    for (std::size_t d = 0; d < dims; ++d) {
        const auto lower = static_cast<long>(draws.below(p / 2));
        const bool up = draws.bernoulli(0.5);
        grid[d] = up ? lower : lower + step;
        direction[d] = up ? step : -step;
    }
    const auto order = permutation(dims, draws);
    const double scale = 1.0 / static_cast<double>(p - 1);
    for (std::size_t k = 0; k <= dims; ++k) {
        if (k > 0) {
            grid[order[k - 1]] += direction[order[k - 1]];
        }
        for (std::size_t d = 0; d < dims; ++d) {
            design.values[(t * (dims + 1) + k) * dims + d] = static_cast<double>(grid[d]) * scale;
        }
    }
}

void fill_morris(const DesignSpec& spec, UnitDesign& design) {
    for (std::size_t t = 0; t < spec.samples; ++t) {
        fill_trajectory(spec, t, design);
    }
}

}  // namespace

DesignMethod parse_design_method(std::string_view name) {
    for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
        if (name == kMethodNames[i]) {
            return static_cast<DesignMethod>(i);
        }
    }
    invalid("unknown design method '" + std::string(name) + "' (valid: grid, random, lhs, sobol, morris)");
}

std::string_view design_method_name(DesignMethod method) noexcept { return kMethodNames[static_cast<std::size_t>(method)]; }

double morris_delta(std::size_t levels) noexcept {
    return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
}

std::uint64_t saltelli_skip(std::size_t base_samples) noexcept {
    return std::bit_ceil(static_cast<std::uint64_t>(base_samples));
}

std::size_t design_rows(const DesignSpec& spec) {
    if (spec.dimensions == 0) {
        invalid("a design needs at least 1 parameter (dimensions is 0)");
    }
    if (spec.method != DesignMethod::kGrid && spec.samples == 0) {
        invalid("samples must be >= 1 for a " + std::string(design_method_name(spec.method)) + " design");
    }
    std::size_t rows = 0;
    switch (spec.method) {
        case DesignMethod::kGrid: rows = grid_rows(spec); break;
        case DesignMethod::kRandom:
        case DesignMethod::kLhs: rows = spec.samples; break;
        case DesignMethod::kSobol:
            if (2 * spec.dimensions > SobolSequence::kMaxDimensions) {
                invalid("a Sobol design takes at most " + std::to_string(SobolSequence::kMaxDimensions / 2) + " parameters (got " +
                        std::to_string(spec.dimensions) + ")");
            }
            rows = checked_product(spec.samples, spec.second_order ? 2 * spec.dimensions + 2 : spec.dimensions + 2);
            break;
        case DesignMethod::kMorris:
            if (spec.morris_levels < 2 || spec.morris_levels % 2 != 0) {
                invalid("Morris levels must be even and >= 2 (got " + std::to_string(spec.morris_levels) + ")");
            }
            rows = checked_product(spec.samples, spec.dimensions + 1);
            break;
    }
    checked_product(rows, spec.dimensions);
    return rows;
}

UnitDesign make_unit_design(const DesignSpec& spec) {
    UnitDesign design = empty_design(spec);
    switch (spec.method) {
        case DesignMethod::kGrid: fill_grid(spec, design); break;
        case DesignMethod::kRandom: fill_random(spec, design); break;
        case DesignMethod::kLhs: fill_lhs(spec, design); break;
        case DesignMethod::kSobol: fill_saltelli(spec, design); break;
        case DesignMethod::kMorris: fill_morris(spec, design); break;
    }
    return design;
}

}  // namespace ipsim::sweep
