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

std::string format_value(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, std::abs(x) >= 1000.0 ? "%.0f" : "%.3g", x);
    return buffer;
}

std::string cell(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.insert(0, width - text.size(), ' ');
    }
    return text;
}

}  // namespace

std::string summary_table(const model::Scenario& scenario, const model::StepRecord& first, const model::StepRecord& last) {
    using model::Scope;
    std::string out = "Sectors (" + quarter_label(first.year) + " -> " + quarter_label(last.year) + ")\n";
    out += cell("sector", 24);
    for (const auto column : kSectorColumns) {
        out += cell(std::string(column), 22);
    }
    out += "\n";
    for (std::size_t s = 0; s < scenario.sectors.size(); ++s) {
        out += cell(scenario.sectors[s].name, 24);
        for (const auto column : kSectorColumns) {
            const auto m = static_cast<std::size_t>(model::metric_index(Scope::sector, std::string(column)));
            out += cell(format_value(first.sector_value(m, s)) + " -> " + format_value(last.sector_value(m, s)), 22);
        }
        out += "\n";
    }
    out += "\nNational\n";
    for (const auto name : kNational) {
        const auto m = static_cast<std::size_t>(model::metric_index(Scope::national, std::string(name)));
        out += cell(std::string(name), 24) + cell(format_value(first.national_value(m)) + " -> " + format_value(last.national_value(m)), 22) + "\n";
    }
    return out;
}

}  // namespace ipsim::cli
