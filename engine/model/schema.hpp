/*!
 * @file schema.hpp
 * @brief Vocabulary for describing scenario fields once: unit, valid range, meaning and source.
 *
 * Every scenario struct lists its fields in a `visit(V&)` member. A visitor receives, for each
 * field, its key, a reference to the value and a FieldSpec; flags, texts and name lists get just
 * a one-line meaning. A field's default is not part of its description: it is the member
 * initializer, written once. The binder leaves a field the scenario is silent about as it was
 * constructed, and a visitor that needs the defaults visits a default-constructed struct (the
 * schema documentation visits `Scenario{}`, and one default item per list). The visitors are the
 * binder (io/scenario_binder.hpp), the YAML emitter and the schema documentation
 * (io/scenario_emitter.cpp) and the sweep's field-kind lookup (sweep/parameters.cpp), so a field
 * added to a struct is loaded, validated, written back and documented without touching anything
 * else.
 */
#pragma once

#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace ipsim::model {

/*! @brief Closed or open bounds of a numeric field; infinities mean "unbounded". */
struct Range {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_open = false;
    bool hi_open = false;

    [[nodiscard]] bool contains(double x) const noexcept {
        const bool above = lo_open ? x > lo : x >= lo;
        const bool below = hi_open ? x < hi : x <= hi;
        return above && below;
    }
    /*! @brief Human text such as "> 0", "in [0, 1]". */
    [[nodiscard]] std::string describe() const;
};

/*! @brief x > lo. */
[[nodiscard]] constexpr Range positive() noexcept { return Range{0.0, std::numeric_limits<double>::infinity(), true, false}; }
/*! @brief x >= 0. */
[[nodiscard]] constexpr Range non_negative() noexcept { return Range{0.0, std::numeric_limits<double>::infinity(), false, false}; }
/*! @brief lo <= x <= hi. */
[[nodiscard]] constexpr Range between(double lo, double hi) noexcept { return Range{lo, hi, false, false}; }
/*! @brief 0 <= x <= 1. */
[[nodiscard]] constexpr Range unit_interval() noexcept { return between(0.0, 1.0); }
/*! @brief Any finite value. */
[[nodiscard]] constexpr Range any_finite() noexcept { return Range{}; }

/*! @brief What a visitor needs to know about one numeric field (its default is the member
 *  initializer, see the file comment). */
struct FieldSpec {
    const char* unit = "1";             //!< unit of the value ("1" for dimensionless)
    Range range{};                      //!< valid values
    const char* doc = "";               //!< one-line meaning
    const char* source = "assumption";  //!< where the default comes from
};

/*! @brief A value that may change over time: a step function of calendar year.
 *
 *  Written in YAML either as a plain number (constant) or as a map `{2015: 0.1, 2020: 0.05}`:
 *  each value holds from its year until the next listed year; before the first year the first
 *  value holds.
 */
struct TimePath {
    std::vector<std::pair<double, double>> points;  //!< (year, value), sorted by year

    TimePath() = default;
    explicit TimePath(double constant) : points{{0.0, constant}} {}

    /*! @brief Value in force at calendar time `year` (e.g. 2019.25). */
    [[nodiscard]] double at(double year) const noexcept {
        if (points.empty()) {
            return 0.0;
        }
        double value = points.front().second;
        for (const auto& [from, v] : points) {
            if (year + 1e-9 >= from) {
                value = v;
            } else {
                break;
            }
        }
        return value;
    }
    [[nodiscard]] bool is_constant() const noexcept { return points.size() <= 1; }
};

/*! @brief A sparse map from names (e.g. sector names) to numbers, kept in file order. */
using NamedValues = std::vector<std::pair<std::string, double>>;

}  // namespace ipsim::model
