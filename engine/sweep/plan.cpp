/*!
 * @file plan.cpp
 * @brief Sweep rows, run ids, run scenarios and output statistics.
 *
 * An output covers the quarters whose calendar year (floor of the decimal year) lies in its
 * year range. A run whose range holds no quarter, or whose value is not finite, yields NaN,
 * which the summaries store and the paired statistics leave out.
 */
#include "sweep/plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "io/input_error.hpp"

#include "io/scenario_emitter.hpp"

namespace ipsim::sweep {

DesignSpec design_spec(const SweepSpec& spec) {
    DesignSpec d;
    d.method = parse_design_method(spec.design.method);
    d.dimensions = spec.parameters.size();
    d.samples = spec.design.samples;
    d.grid_levels = spec.design.levels;
    d.seed = spec.design.seed;
    d.second_order = spec.design.second_order;
    d.morris_levels = spec.design.morris_levels;
    return d;
}

SweepPlan make_plan(const SweepSpec& spec) {
    SweepPlan plan;
    plan.seeds = spec.seeds.size();
    plan.arms = spec.arms.size();
    if (spec.parameters.empty()) {
        plan.unit.rows = 1;
        plan.points = 1;
        return plan;
    }
    try {
        plan.unit = make_unit_design(design_spec(spec));
    } catch (const std::invalid_argument& e) {
        throw io::InputError(spec.file + ": design: " + e.what());
    }
    plan.points = plan.unit.rows;
    return plan;
}

std::string run_id(const SweepSpec& spec, const SweepPlan& plan, std::size_t run) {
    const std::size_t width = std::max<std::size_t>(4, std::to_string(plan.rows() > 0 ? plan.rows() - 1 : 0).size());
    std::string row = std::to_string(plan.row_of_run(run));
    row.insert(0, width - std::min(width, row.size()), '0');
    return spec.arms[plan.arm_of_run(run)].name + "-" + row;
}

std::vector<std::string> point_overrides(const SweepSpec& spec, const SweepPlan& plan, std::size_t point) {
    std::vector<std::string> out;
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
        out.push_back(parameter_override(spec.parameters[p], plan.unit.at(point, p)));
    }
    return out;
}

io::LoadedScenario run_scenario(const SweepSpec& spec, const SweepPlan& plan, std::size_t run) {
    const std::size_t row = plan.row_of_run(run);
    auto loaded = load_arm(spec.arms[plan.arm_of_run(run)], point_overrides(spec, plan, plan.point_of(row)));
    loaded.scenario.seed = static_cast<std::int64_t>(spec.seeds[plan.seed_index(row)]);
    loaded.resolved_yaml = io::emit_scenario_yaml(loaded.scenario);
    return loaded;
}

std::vector<double> design_column(const SweepSpec& spec, const SweepPlan& plan, std::size_t param) {
    std::vector<double> column(plan.rows());
    for (std::size_t row = 0; row < column.size(); ++row) {
        column[row] = parameter_design_value(spec.parameters[param], plan.unit.at(plan.point_of(row), param));
    }
    return column;
}

double evaluate_output(const Output& output, std::span<const double> time, std::span<const double> values, std::size_t columns) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    double acc = 0.0;
    double first = kNaN;
    double last = kNaN;
    std::size_t n = 0;
    for (std::size_t t = 0; t < time.size(); ++t) {
        const double year = std::floor(time[t] + 1e-9);
        if (year < output.year_from || year > output.year_to || t * columns + output.column >= values.size()) {
            continue;
        }
        const double v = values[t * columns + output.column];
        if (n == 0) {
            first = v;
        }
        last = v;
        switch (output.stat) {
            case Stat::mean:
            case Stat::sum: acc += v; break;
            case Stat::min: acc = n == 0 ? v : std::min(acc, v); break;
            case Stat::max: acc = n == 0 ? v : std::max(acc, v); break;
            case Stat::first:
            case Stat::last: break;
        }
        ++n;
    }
    if (n == 0) {
        return kNaN;
    }
    switch (output.stat) {
        case Stat::mean: return acc / static_cast<double>(n);
        case Stat::first: return first;
        case Stat::last: return last;
        default: return acc;
    }
}

}  // namespace ipsim::sweep
