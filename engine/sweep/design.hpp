/*!
 * @file design.hpp
 * @brief Experiment designs: points in the unit hypercube, one row per run, in design order.
 *
 * A design is a plain value (UnitDesign) computed from a plain spec (DesignSpec); scaling to
 * parameter ranges is the caller's job. Five methods: a full grid, independent uniform
 * draws, Latin hypercube (one point per stratum per dimension), Saltelli's cross-sampling of
 * a Sobol sequence for Sobol indices (SALib's row order: per base sample A, AB_1..AB_D, then
 * BA_1..BA_D when second order, then B) and Morris trajectories (r one-at-a-time paths of
 * D + 1 points on a p-level grid). Random draws come from counter-based Philox streams keyed
 * by the seed, so a design depends on its spec alone.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ipsim::sweep {

/*! @brief How the points of a design are chosen. */
enum class DesignMethod {
    kGrid,
    kRandom,
    kLhs,
    kSobol,
    kMorris
};

/*! @brief Parses "grid" | "random" | "lhs" | "sobol" | "morris"; throws std::invalid_argument naming the valid ones. */
[[nodiscard]] DesignMethod parse_design_method(std::string_view name);
/*! @brief The lower-case name of a method (inverse of parse_design_method). */
[[nodiscard]] std::string_view design_method_name(DesignMethod method) noexcept;

/*! @brief What to generate: method, number of parameters, size and seed. */
struct DesignSpec {
    DesignMethod method = DesignMethod::kRandom;
    std::size_t dimensions = 0;
    std::size_t samples = 0;               //!< random/lhs: rows; sobol: base samples N; morris: trajectories r; grid: points per dimension when grid_levels is empty
    std::vector<std::size_t> grid_levels;  //!< grid: number of points per dimension (endpoints included)
    std::uint64_t seed = 0;
    bool second_order = false;      //!< sobol: Saltelli with BA matrices, N*(2D+2) rows; otherwise N*(D+2)
    std::size_t morris_levels = 4;  //!< morris: p, even, >= 2
};

/*! @brief Points in the unit hypercube, one row per run, design order; row-major rows x dimensions. */
struct UnitDesign {
    std::size_t rows = 0, dimensions = 0;
    std::vector<double> values;
    /*! @brief Coordinate `dim` of point `row`. */
    [[nodiscard]] double at(std::size_t row, std::size_t dim) const { return values[row * dimensions + dim]; }
};

/*! @brief Number of rows make_unit_design(spec) returns; throws std::invalid_argument for an invalid spec. */
[[nodiscard]] std::size_t design_rows(const DesignSpec& spec);

/*! @brief The design; throws std::invalid_argument for an invalid spec (message names the field). */
[[nodiscard]] UnitDesign make_unit_design(const DesignSpec& spec);

/*! @brief Morris step delta = p / (2 (p - 1)) on a p-level grid. */
[[nodiscard]] double morris_delta(std::size_t levels) noexcept;

/*! @brief Sobol points skipped before a Saltelli design of N base samples: the smallest power of two >= N. */
[[nodiscard]] std::uint64_t saltelli_skip(std::size_t base_samples) noexcept;

}  // namespace ipsim::sweep
