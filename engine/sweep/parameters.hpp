/*!
 * @file parameters.hpp
 * @brief The swept parameters of a sweep: what each one is, and how a design's unit point
 *        becomes a scenario value.
 *
 * A design (design.hpp) gives every run a point of the unit hypercube. Each parameter maps its
 * coordinate u in [0, 1] to a value: linearly onto a `range`, by position onto a list of
 * `values`, or through the inverse distribution function of a `normal`, `lognormal`,
 * `triangular` or `uniform` distribution. Unbounded distributions clamp u to [0.001, 0.999] so
 * a grid's end points stay finite. Integer scenario fields (found by walking the scenario's
 * visit() lists) are rounded. The value reaches the scenario as a `--set PATH=VALUE` override,
 * so it is validated exactly like a command-line override.
 */
#pragma once

#include <array>
#include <string>
#include <vector>

#include "model/schema.hpp"

namespace ipsim::sweep {

/*! @brief How a parameter's values are described. */
enum class ParamKind {
    range,
    values,
    normal,
    lognormal,
    triangular,
    uniform
};

/*! @brief One swept scenario field. */
struct Parameter {
    std::string path;  //!< scenario path as for --set, e.g. "local.weight_herding"
    ParamKind kind = ParamKind::range;
    std::array<double, 3> args{};     //!< range/uniform: min, max; normal: mean, sd; lognormal: mu, sigma; triangular: min, mode, max
    std::vector<std::string> values;  //!< for `values`: each value as YAML text
    bool integer = false;             //!< the field holds whole numbers: values are rounded
    std::string where;                //!< "file:line:col" of the parameter in the sweep file
};

/*! @brief What kind of scenario field a path names. */
enum class FieldKind {
    missing,
    number,
    integer,
    time_path,
    other
};

/*! @brief The kind of the scenario field at a --set path (list items by name or index). */
[[nodiscard]] FieldKind scenario_field_kind(const std::string& path);

/*! @brief Standard normal quantile (inverse distribution function), p in (0, 1). */
[[nodiscard]] double inverse_normal_cdf(double p);

/*! @brief The numeric value of a non-`values` parameter at unit coordinate u (rounded if integer). */
[[nodiscard]] double parameter_number(const Parameter& p, double u);

/*! @brief Position in `values` for unit coordinate u: floor(u * n), clamped to the last. */
[[nodiscard]] std::size_t value_index(std::size_t n, double u) noexcept;

/*! @brief The value at u as YAML text ("0.25", "3", or the listed value). */
[[nodiscard]] std::string parameter_text(const Parameter& p, double u);

/*! @brief The design value stored in /design/<param>: the number, or the index for `values`
 *  lists whose entries are not numbers. */
[[nodiscard]] double parameter_design_value(const Parameter& p, double u);

/*! @brief "PATH=VALUE" for the scenario loader. */
[[nodiscard]] std::string parameter_override(const Parameter& p, double u);

/*! @brief Shortest text that reads back to the same double ("0.1", "2000", "1e-05"). */
[[nodiscard]] std::string number_text(double x);

}  // namespace ipsim::sweep
