#include "cli/summary.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "cli/progress.hpp"

namespace ipsim::cli {
namespace {

constexpr std::string_view kSectorColumns[] = {"domestic_share", "world_share", "utilization", "price", "zombies"};
constexpr std::string_view kNational[] = {"self_sufficiency", "zombie_share", "misallocation_tfp_gain", "local_debt", "fiscal_cost",
                                          "soe_revenue_share_key"};

const model::MetricInfo& info_of(model::Scope scope, std::string_view name) {
    for (const auto& m : model::metric_catalog()) {
        if (m.scope == scope && name == m.name) {
            return m;
        }
    }
    static const model::MetricInfo none{scope, "", "", ""};
    return none;
}

/*! Dimensionless ratios ("1") are shown as percent; everything else in its catalog unit. */
bool as_percent(const model::MetricInfo& m) { return std::string_view(m.units) == "1"; }

std::string unit_label(const model::MetricInfo& m) { return as_percent(m) ? "%" : std::string(m.units); }

std::string format_value(double x, bool percent) {
    char buffer[32];
    if (percent) {
        std::snprintf(buffer, sizeof buffer, "%.1f", 100.0 * x);
    } else {
        std::snprintf(buffer, sizeof buffer, std::abs(x) >= 1000.0 ? "%.0f" : "%.3g", x);
    }
    return buffer;
}

std::string cell(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.insert(0, width - text.size(), ' ');
    }
    return text;
}

std::string left(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.append(width - text.size(), ' ');
    }
    return text;
}

}  // namespace

std::string summary_table(const model::Scenario& scenario, const model::StepRecord& first, const model::StepRecord& last) {
    using model::Scope;
    std::string out = "Sectors (" + quarter_label(first.year) + " -> " + quarter_label(last.year) + ")\n";
    out += cell("sector", 24);
    for (const auto column : kSectorColumns) {
        const auto& m = info_of(Scope::sector, column);
        out += cell(std::string(column) + " [" + unit_label(m) + "]", 28);
    }
    out += "\n";
    for (std::size_t s = 0; s < scenario.sectors.size(); ++s) {
        out += cell(scenario.sectors[s].name, 24);
        for (const auto column : kSectorColumns) {
            const auto& info = info_of(Scope::sector, column);
            const auto m = static_cast<std::size_t>(model::metric_index(Scope::sector, std::string(column)));
            out += cell(format_value(first.sector_value(m, s), as_percent(info)) + " -> " +
                            format_value(last.sector_value(m, s), as_percent(info)),
                        28);
        }
        out += "\n";
    }
    out += "\nNational (" + quarter_label(first.year) + " -> " + quarter_label(last.year) + ")\n";
    for (const auto name : kNational) {
        const auto& info = info_of(Scope::national, name);
        const auto m = static_cast<std::size_t>(model::metric_index(Scope::national, std::string(name)));
        out += cell(std::string(name), 24) +
               cell(format_value(first.national_value(m), as_percent(info)) + " -> " +
                        format_value(last.national_value(m), as_percent(info)),
                    22) +
               "  " + left(unit_label(info), 20) + "\n";
    }
    return out;
}

std::string profile_table(const model::PhaseProfile& profile) {
    const auto phases = model::quarter_phases();
    const double total = static_cast<double>(profile.total_nanoseconds());
    const double per_firm_quarter = profile.firm_quarters() > 0.0 ? 1.0 / profile.firm_quarters() : 0.0;
    char line[160];
    std::snprintf(line, sizeof line, "Time per phase (%lld quarters, %.0f firm-quarters)\n",
                  static_cast<long long>(profile.quarters()), profile.firm_quarters());
    std::string out = line;
    std::snprintf(line, sizeof line, "%-20s %-12s %6s %10s %8s %20s\n", "phase", "cadence", "calls", "seconds", "share",
                  "ns per firm-quarter");
    out += line;
    for (std::size_t k = 0; k < phases.size(); ++k) {
        const double ns = static_cast<double>(profile.nanoseconds(k));
        std::snprintf(line, sizeof line, " %-19s %-12s %6lld %10.3f %7.1f%% %20.1f\n", phases[k].name,
                      model::cadence_name(phases[k].cadence), static_cast<long long>(profile.calls(k)), ns * 1e-9,
                      total > 0.0 ? 100.0 * ns / total : 0.0, ns * per_firm_quarter);
        out += line;
    }
    std::snprintf(line, sizeof line, " %-19s %-12s %6s %10.3f %7.1f%% %20.1f\n", "all phases", "", "", total * 1e-9,
                  total > 0.0 ? 100.0 : 0.0, total * per_firm_quarter);
    out += line;
    return out;
}

}  // namespace ipsim::cli
