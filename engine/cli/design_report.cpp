/*!
 * @file design_report.cpp
 * @brief Tables and JSON for sensitivity indices.
 *
 * Tables print four decimals and "n/a" for undefined values (a constant output, or one
 * trajectory for sigma); JSON keeps full precision (shortest round-trip decimals) and writes
 * undefined values as null. S2 appears under both parameters of a pair, so a reader finds
 * S2[a][b] == S2[b][a] without knowing the order.
 */
#include "cli/design_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sweep/csv.hpp"

namespace ipsim::cli {
namespace {

std::string cell(double value, int width = 9) {
    char buffer[48];
    if (std::isnan(value)) {
        std::snprintf(buffer, sizeof buffer, "%*s", width, "n/a");
    } else {
        std::snprintf(buffer, sizeof buffer, "%*.4f", width, value);
    }
    return buffer;
}

std::string padded(const std::string& text, std::size_t width) {
    return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::size_t name_width(const std::vector<std::string>& names) {
    std::size_t width = 9;
    for (const auto& n : names) {
        width = std::max(width, n.size() + 1);
    }
    return width;
}

std::string interval_note(const AnalysisReport& r) {
    return r.resamples >= 2 ? "; +- is the 95% interval half-width from " + std::to_string(r.resamples) + " bootstrap resamples"
                            : "; no bootstrap intervals";
}

std::string sobol_table(const AnalysisReport& r, std::size_t out) {
    const auto& s = r.sobol[out];
    const std::size_t w = name_width(r.parameters);
    std::string text = r.outputs[out] + ": Sobol indices (N = " + std::to_string(s.base_samples) + " base samples, " +
                       std::to_string(s.dimensions) + " parameters" + interval_note(r) + ")\n";
    text += "  " + padded("parameter", w) + "       S1       +-       ST       +-\n";
    for (std::size_t p = 0; p < r.parameters.size(); ++p) {
        text += "  " + padded(r.parameters[p], w) + cell(s.S1[p]) + cell(s.S1_conf[p]) + cell(s.ST[p]) + cell(s.ST_conf[p]) + "\n";
    }
    if (!r.second_order) {
        return text;
    }
    text += "  second order\n";
    const std::size_t d = s.dimensions;
    for (std::size_t j = 0; j < d; ++j) {
        for (std::size_t k = j + 1; k < d; ++k) {
            text += "  " + padded(r.parameters[j] + " x " + r.parameters[k], 2 * w) + cell(s.S2[j * d + k]) +
                    cell(s.S2_conf[j * d + k]) + "\n";
        }
    }
    return text;
}

std::string morris_table(const AnalysisReport& r, std::size_t out) {
    const auto& m = r.morris[out];
    const std::size_t w = name_width(r.parameters);
    std::string text = r.outputs[out] + ": Morris elementary effects (r = " + std::to_string(m.trajectories) + " trajectories, " +
                       std::to_string(r.parameters.size()) + " parameters, unit-scaled steps" + interval_note(r) + ")\n";
    text += "  " + padded("parameter", w) + "      mu*       +-       mu    sigma\n";
    for (std::size_t p = 0; p < r.parameters.size(); ++p) {
        text += "  " + padded(r.parameters[p], w) + cell(m.mu_star[p]) + cell(m.mu_star_conf[p]) + cell(m.mu[p]) + cell(m.sigma[p]) + "\n";
    }
    return text;
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out += buffer;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string number(double value) { return std::isfinite(value) ? sweep::format_number(value) : "null"; }

std::string field(const char* name, double value) { return quoted(name) + ": " + number(value); }

std::string s2_object(const AnalysisReport& r, const std::vector<double>& s2, std::size_t j) {
    const std::size_t d = r.parameters.size();
    std::string text = "{";
    for (std::size_t k = 0; k < d; ++k) {
        if (k == j) {
            continue;
        }
        const double v = j < k ? s2[j * d + k] : s2[k * d + j];
        text += (text.size() > 1 ? ", " : "") + quoted(r.parameters[k]) + ": " + number(v);
    }
    return text + "}";
}

std::string parameter_json(const AnalysisReport& r, std::size_t out, std::size_t p) {
    if (!r.sobol.empty()) {
        const auto& s = r.sobol[out];
        std::string text = "{";
        text += field("S1", s.S1[p]) + ", " + field("S1_conf", s.S1_conf[p]) + ", " + field("ST", s.ST[p]) + ", " +
                field("ST_conf", s.ST_conf[p]);
        if (r.second_order) {
            text += ", \"S2\": " + s2_object(r, s.S2, p) + ", \"S2_conf\": " + s2_object(r, s.S2_conf, p);
        }
        return text + "}";
    }
    const auto& m = r.morris[out];
    std::string text = "{";
    text += field("mu_star", m.mu_star[p]) + ", " + field("mu_star_conf", m.mu_star_conf[p]) + ", " + field("mu", m.mu[p]) + ", " +
            field("sigma", m.sigma[p]) + "}";
    return text;
}

}  // namespace

std::string report_table(const AnalysisReport& report) {
    std::string text;
    for (std::size_t out = 0; out < report.outputs.size(); ++out) {
        if (out > 0) {
            text += "\n";
        }
        text += report.sobol.empty() ? morris_table(report, out) : sobol_table(report, out);
    }
    return text;
}

std::string report_json(const AnalysisReport& report) {
    std::string text = "{\n";
    for (std::size_t out = 0; out < report.outputs.size(); ++out) {
        text += "  " + quoted(report.outputs[out]) + ": {\n";
        for (std::size_t p = 0; p < report.parameters.size(); ++p) {
            text += "    " + quoted(report.parameters[p]) + ": " + parameter_json(report, out, p) +
                    (p + 1 < report.parameters.size() ? ",\n" : "\n");
        }
        text += out + 1 < report.outputs.size() ? "  },\n" : "  }\n";
    }
    return text + "}\n";
}

}  // namespace ipsim::cli
