/*!
 * @file sensitivity_store.cpp
 * @brief /sensitivity from the base arm's outputs (see sensitivity_store.hpp).
 */
#include "sweep/sensitivity_store.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sweep/detail/h5_store.hpp"
#include "sweep/sensitivity.hpp"

namespace ipsim::sweep {

std::vector<double> point_means(const SweepPlan& plan, const std::vector<double>& by_row) {
    std::vector<double> sums(plan.points, 0.0);
    std::vector<std::size_t> counts(plan.points, 0);
    for (std::size_t row = 0; row < by_row.size(); ++row) {
        if (std::isfinite(by_row[row])) {
            sums[plan.point_of(row)] += by_row[row];
            ++counts[plan.point_of(row)];
        }
    }
    for (std::size_t p = 0; p < plan.points; ++p) {
        sums[p] = counts[p] > 0 ? sums[p] / static_cast<double>(counts[p]) : std::numeric_limits<double>::quiet_NaN();
    }
    return sums;
}

namespace {

void write_sobol(hid_t group, const DesignSpec& design, const std::vector<double>& y, const std::string& shown) {
    const SobolIndices s = analyze_sobol(design, y);
    detail::write_attr(group, "method", "sobol", shown);
    detail::write_attr_u64(group, "base_samples", s.base_samples, shown);
    detail::write_doubles(group, "S1", s.S1, shown);
    detail::write_doubles(group, "S1_conf", s.S1_conf, shown);
    detail::write_doubles(group, "ST", s.ST, shown);
    detail::write_doubles(group, "ST_conf", s.ST_conf, shown);
    if (design.second_order) {
        detail::write_doubles(group, "S2", s.S2, shown);
        detail::write_doubles(group, "S2_conf", s.S2_conf, shown);
    }
}

void write_morris(hid_t group, const DesignSpec& design, const std::vector<double>& y, const std::string& shown) {
    const MorrisIndices m = analyze_morris(design, y);
    detail::write_attr(group, "method", "morris", shown);
    detail::write_attr_u64(group, "trajectories", m.trajectories, shown);
    detail::write_doubles(group, "mu_star", m.mu_star, shown);
    detail::write_doubles(group, "mu_star_conf", m.mu_star_conf, shown);
    detail::write_doubles(group, "mu", m.mu, shown);
    detail::write_doubles(group, "sigma", m.sigma, shown);
}

}  // namespace

void write_sensitivity(hid_t file, const SweepSpec& spec, const SweepPlan& plan, const std::vector<std::vector<double>>& base,
                       const std::string& shown) {
    const bool sobol = spec.design.method == "sobol";
    if (!sobol && spec.design.method != "morris") {
        return;
    }
    const DesignSpec design = design_spec(spec);
    detail::H5Handle top = detail::create_group(file, "sensitivity", shown);
    std::vector<std::string> names;
    for (const auto& p : spec.parameters) {
        names.push_back(p.path);
    }
    detail::write_strings(top.get(), "parameters", names, shown);
    detail::write_attr(top.get(), "confidence", 0.95, shown);
    for (std::size_t o = 0; o < spec.outputs.size(); ++o) {
        detail::H5Handle group = detail::create_group(top.get(), spec.outputs[o].name, shown);
        const auto y = point_means(plan, base[o]);
        const auto missing = static_cast<std::size_t>(std::count_if(y.begin(), y.end(), [](double v) { return !std::isfinite(v); }));
        if (missing > 0) {
            detail::write_attr(group.get(), "skipped", std::to_string(missing) + " design points have no finished run", shown);
            continue;
        }
        if (sobol) {
            write_sobol(group.get(), design, y, shown);
        } else {
            write_morris(group.get(), design, y, shown);
        }
    }
}

}  // namespace ipsim::sweep
