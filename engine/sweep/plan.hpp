/*!
 * @file plan.hpp
 * @brief The runs of a sweep: design points x seeds x arms, their ids and scenarios, and the
 *        scalar outputs a finished run yields.
 *
 * A row is one design point with one seed (row = point * seeds + seed index); every arm runs
 * every row, so arms are paired row by row. Run index = row * arms + arm, and the run id is
 * "<arm>-<row>" with the row zero-padded, so ids sort in run order. Everything here is a pure
 * function of the SweepSpec: the same sweep gives the same plan on any machine.
 */
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "io/scenario_loader.hpp"
#include "sweep/design.hpp"
#include "sweep/sweep_file.hpp"

namespace ipsim::sweep {

/*! @brief Design and sizes of a sweep. */
struct SweepPlan {
    UnitDesign unit;         //!< one row per design point, one column per parameter
    std::size_t points = 0;  //!< design points
    std::size_t seeds = 0;
    std::size_t arms = 0;

    [[nodiscard]] std::size_t rows() const noexcept { return points * seeds; }
    [[nodiscard]] std::size_t runs() const noexcept { return rows() * arms; }
    [[nodiscard]] std::size_t point_of(std::size_t row) const noexcept { return row / seeds; }
    [[nodiscard]] std::size_t seed_index(std::size_t row) const noexcept { return row % seeds; }
    [[nodiscard]] std::size_t row_of_run(std::size_t run) const noexcept { return run / arms; }
    [[nodiscard]] std::size_t arm_of_run(std::size_t run) const noexcept { return run % arms; }
};

/*! @brief The design of a sweep (via make_unit_design; no parameters: one point). */
[[nodiscard]] SweepPlan make_plan(const SweepSpec& spec);

/*! @brief The DesignSpec passed to make_unit_design (also used by the sensitivity analysis). */
[[nodiscard]] DesignSpec design_spec(const SweepSpec& spec);

/*! @brief "<arm>-<row, zero-padded to the width of the largest row>". */
[[nodiscard]] std::string run_id(const SweepSpec& spec, const SweepPlan& plan, std::size_t run);

/*! @brief The --set overrides of a design point. */
[[nodiscard]] std::vector<std::string> point_overrides(const SweepSpec& spec, const SweepPlan& plan, std::size_t point);

/*! @brief The scenario of one run, seed applied and resolved text re-emitted. Throws io::InputError. */
[[nodiscard]] io::LoadedScenario run_scenario(const SweepSpec& spec, const SweepPlan& plan, std::size_t run);

/*! @brief /design/<param> for every row. */
[[nodiscard]] std::vector<double> design_column(const SweepSpec& spec, const SweepPlan& plan, std::size_t param);

/*! @brief An output of one run from its series: `time` (years), `values` (time-major, `columns` wide). */
[[nodiscard]] double evaluate_output(const Output& output, std::span<const double> time, std::span<const double> values,
                                     std::size_t columns);

}  // namespace ipsim::sweep
