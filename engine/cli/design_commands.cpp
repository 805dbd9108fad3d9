/*!
 * @file design_commands.cpp
 * @brief Options, checks and flow of `ipsim design` and `ipsim analyze`.
 *
 * A design file is a CSV (sweep/csv.hpp) whose first lines say how it was made:
 * "# ipsim design sobol samples=N seed=S second_order=0 levels=4" and
 * "# bounds NAME=MIN:MAX ...". analyze reads them when present and otherwise infers what it
 * needs from a plain (SALib-style) CSV: N from the row count N*(D+2), or N*(2D+2) with
 * --second-order, after checking that the rows have the Saltelli structure; for Morris, the
 * unit scale from each column's minimum and maximum. Library errors (std::invalid_argument)
 * become io::InputError naming the file.
 */
#include "cli/design_commands.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "cli/commands.hpp"
#include "cli/design_report.hpp"
#include "io/input_error.hpp"
#include "sweep/csv.hpp"
#include "sweep/design.hpp"
#include "sweep/sensitivity.hpp"

namespace ipsim::cli {
namespace {

using sweep::CsvTable;
using sweep::DesignMethod;

constexpr std::size_t kMaxCells = 50'000'000;

constexpr const char* kDesignHelp = R"(Writes an experiment design as CSV: a header row of parameter names, then one row per run in
design order, values scaled to each parameter's [MIN, MAX]. METHOD is grid (SAMPLES points per
parameter, endpoints included), random (SAMPLES uniform draws), lhs (Latin hypercube of SAMPLES
rows), sobol (Saltelli cross-sampling of a Sobol sequence: SAMPLES base samples N give N*(D+2)
rows, N*(2D+2) with --second-order; use a power of two) or morris (SAMPLES trajectories r of
D+1 rows on a --levels grid). Rows follow SALib's order, so the file also serves models that run
elsewhere; the same arguments give the same file. 'ipsim analyze' turns the outputs into indices.)";

constexpr const char* kDesignExamples = R"(
Examples:
  ipsim design sobol --param x1=-3.14159:3.14159 --param x2=-3.14159:3.14159 \
        --param x3=-3.14159:3.14159 --samples 8192 -o ishigami.csv
  ipsim design morris --param herding=0.1:0.9 --param bailout=0:1 --samples 20 --levels 4 -o m.csv
  ipsim design lhs --param a=0:1 --param b=10:20 --samples 100 --seed 7 > lhs.csv)";

constexpr const char* kAnalyzeHelp = R"(Computes sensitivity indices from a design and the outputs of its runs. DESIGN.csv is a file
written by 'ipsim design' (or SALib, one column per parameter, SALib's row order); OUTPUTS.csv
has a header row of output names and one row per design row, in design order. sobol: first-order
(Saltelli 2010) and total (Jansen) indices with 95% bootstrap intervals, second order with
--second-order; morris: mu*, mu, sigma and the mu* interval. Prints a table per output; --json
writes {output: {param: {"S1", "S1_conf", "ST", "ST_conf"}}} or
{output: {param: {"mu_star", "mu_star_conf", "mu", "sigma"}}} (S2 as {"S2": {other: value}}).)";

constexpr const char* kAnalyzeExamples = R"(
Examples:
  ipsim analyze sobol ishigami.csv outputs.csv --json indices.json
  ipsim analyze sobol design.csv outputs.csv --second-order
  ipsim analyze morris m.csv outputs.csv)";

/*! What the "# ipsim design ..." and "# bounds ..." comment lines of a design file say. */
struct DesignHeader {
    bool present = false;
    DesignMethod method = DesignMethod::kRandom;
    std::size_t samples = 0;
    bool second_order = false;
    std::map<std::string, std::pair<double, double>> bounds;
};

struct Parameter {
    std::string name;
    double min = 0.0, max = 0.0;
};

[[noreturn]] void bad(const std::string& message) { throw io::InputError(message); }

double parse_bound(const std::string& text, const std::string& context) {
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(value)) {
        bad(context + ": '" + text + "' is not a finite number");
    }
    return value;
}

/*! NAME=MIN:MAX; a name is non-empty and has no comma, quote, '#' or blank (it becomes a CSV column). */
Parameter parse_parameter(const std::string& text, const std::string& context) {
    const std::size_t eq = text.find('=');
    const std::size_t colon = text.find(':', eq == std::string::npos ? 0 : eq);
    if (eq == std::string::npos || colon == std::string::npos || eq == 0) {
        bad(context + " '" + text + "': expected NAME=MIN:MAX (for example herding=0.1:0.9)");
    }
    Parameter p{text.substr(0, eq), 0.0, 0.0};
    if (p.name.find_first_of(",\"# \t") != std::string::npos) {
        bad(context + " '" + text + "': a parameter name cannot contain commas, quotes, '#' or blanks");
    }
    p.min = parse_bound(text.substr(eq + 1, colon - eq - 1), context + " " + p.name + " MIN");
    p.max = parse_bound(text.substr(colon + 1), context + " " + p.name + " MAX");
    if (!(p.min < p.max)) {
        bad(context + " '" + text + "': MIN must be less than MAX");
    }
    return p;
}

std::vector<Parameter> parse_parameters(const std::vector<std::string>& texts) {
    if (texts.empty()) {
        bad("design: give at least one --param NAME=MIN:MAX");
    }
    std::vector<Parameter> params;
    for (const auto& text : texts) {
        params.push_back(parse_parameter(text, "--param"));
        for (std::size_t i = 0; i + 1 < params.size(); ++i) {
            if (params[i].name == params.back().name) {
                bad("--param '" + text + "': parameter '" + params.back().name + "' is given twice");
            }
        }
    }
    return params;
}

sweep::DesignSpec design_spec(const DesignOptions& o, std::size_t dimensions) {
    sweep::DesignSpec spec;
    try {
        spec.method = sweep::parse_design_method(o.method);
    } catch (const std::invalid_argument& e) {
        bad(std::string("design: ") + e.what());
    }
    if (o.second_order && spec.method != DesignMethod::kSobol) {
        bad("design: --second-order applies to sobol designs only");
    }
    if (o.levels && spec.method != DesignMethod::kMorris) {
        bad("design: --levels applies to morris designs only (grid takes --samples points per parameter)");
    }
    spec.dimensions = dimensions;
    spec.samples = o.samples;
    spec.seed = o.seed;
    spec.second_order = o.second_order;
    spec.morris_levels = o.levels.value_or(4);
    try {
        if (sweep::design_rows(spec) * dimensions > kMaxCells) {
            bad("design: " + std::to_string(sweep::design_rows(spec)) + " rows is too large for a CSV design (at most " +
                std::to_string(kMaxCells) + " values)");
        }
    } catch (const std::invalid_argument& e) {
        bad(std::string("design: ") + e.what());
    }
    return spec;
}

std::vector<std::string> header_comments(const sweep::DesignSpec& spec, const std::vector<Parameter>& params) {
    std::ostringstream first;
    first << "ipsim design " << sweep::design_method_name(spec.method) << " samples=" << spec.samples << " seed=" << spec.seed
          << " second_order=" << (spec.second_order ? 1 : 0) << " levels=" << spec.morris_levels;
    std::string bounds = "bounds";
    for (const auto& p : params) {
        bounds += " " + p.name + "=" + sweep::format_number(p.min) + ":" + sweep::format_number(p.max);
    }
    return {first.str(), bounds};
}

/*! Reads key=value pairs after "ipsim design METHOD"; unknown keys are ignored (newer files). */
void parse_design_line(const CsvTable& table, std::istringstream& words, DesignHeader& header) {
    std::string method;
    words >> method;
    try {
        header.method = sweep::parse_design_method(method);
    } catch (const std::invalid_argument& e) {
        bad(table.path + ":1: " + e.what());
    }
    header.present = true;
    for (std::string word; words >> word;) {
        const std::size_t eq = word.find('=');
        const std::string key = word.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
        if (key == "samples") {
            header.samples = static_cast<std::size_t>(parse_bound(value, table.path + ": samples"));
        }
        if (key == "second_order") {
            header.second_order = value == "1";
        }
    }
}

DesignHeader read_design_header(const CsvTable& table) {
    DesignHeader header;
    for (const auto& comment : table.comments) {
        std::istringstream words(comment);
        std::string first;
        std::string second;
        words >> first;
        if (first == "ipsim") {
            words >> second;
            if (second == "design") {
                parse_design_line(table, words, header);
            }
        } else if (first == "bounds") {
            for (std::string word; words >> word;) {
                const auto p = parse_parameter(word, table.path + ": bounds");
                header.bounds[p.name] = {p.min, p.max};
            }
        }
    }
    return header;
}

void check_same_rows(const CsvTable& design, const CsvTable& outputs) {
    if (outputs.rows() > design.rows()) {
        bad(outputs.path + ":" + std::to_string(outputs.lines[design.rows()]) + ": more output rows (" +
            std::to_string(outputs.rows()) + ") than design rows (" + design.path + " has " + std::to_string(design.rows()) + ")");
    }
    if (outputs.rows() < design.rows()) {
        bad(outputs.path + ": " + std::to_string(outputs.rows()) + " output rows but " + design.path + " has " +
            std::to_string(design.rows()) + " design rows (one output row per design row, in design order)");
    }
}

/*! Row i*block+1+j must equal A but in column j (and BA rows equal B but in column j). */
void check_saltelli_rows(const CsvTable& d, std::size_t n, bool second_order) {
    const std::size_t dims = d.columns.size();
    const std::size_t block = second_order ? 2 * dims + 2 : dims + 2;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t a = i * block;
        for (std::size_t j = 0; j < block - 2; ++j) {
            const std::size_t row = a + 1 + j;
            const std::size_t col = j % dims;
            const std::size_t base = j < dims ? a : a + block - 1;
            const std::size_t other = j < dims ? a + block - 1 : a;
            for (std::size_t c = 0; c < dims; ++c) {
                if (d.at(row, c) != d.at(c == col ? other : base, c)) {
                    bad(d.path + ":" + std::to_string(d.lines[row]) + ": not a Saltelli design in SALib's row order (column '" +
                        d.columns[c] + "' should repeat line " + std::to_string(d.lines[c == col ? other : base]) + ")" +
                        (second_order ? "; if it was made without second order, drop --second-order"
                                      : "; if it was made with second order, pass --second-order"));
                }
            }
        }
    }
}

sweep::BootstrapOptions bootstrap_options(const AnalyzeOptions& o) {
    sweep::BootstrapOptions b;
    b.resamples = o.resamples;
    return b;
}

std::size_t sobol_base_samples(const CsvTable& design, const DesignHeader& header, bool layout_second) {
    std::size_t n = 0;
    try {
        n = sweep::saltelli_base_samples(design.rows(), design.columns.size(), layout_second);
    } catch (const std::invalid_argument& e) {
        bad(design.path + ": " + e.what() + (layout_second || header.present ? "" : " (or N*(2D+2) with --second-order)"));
    }
    if (header.present && header.samples != 0 && header.samples != n) {
        bad(design.path + ": the header says samples=" + std::to_string(header.samples) + " but the rows make N=" +
            std::to_string(n) + "; the file was cut or edited");
    }
    check_saltelli_rows(design, n, layout_second);
    return n;
}

AnalysisReport analyze_sobol_tables(const AnalyzeOptions& o, const CsvTable& design, const DesignHeader& header,
                                    const CsvTable& outputs) {
    const bool layout_second = header.present ? header.second_order : o.second_order;
    if (o.second_order && !layout_second) {
        bad(design.path +
            ": the design was made without --second-order, so it has no BA rows for S2; "
            "make it with 'ipsim design sobol --second-order'");
    }
    const std::size_t n = sobol_base_samples(design, header, layout_second);
    AnalysisReport report{design.columns, outputs.columns, {}, {}, o.second_order, o.resamples};
    for (std::size_t col = 0; col < outputs.columns.size(); ++col) {
        report.sobol.push_back(
            sweep::analyze_sobol(n, design.columns.size(), layout_second, outputs.column(col), bootstrap_options(o)));
    }
    return report;
}

sweep::UnitDesign unit_scaled(const CsvTable& design, const DesignHeader& header) {
    const std::size_t dims = design.columns.size();
    sweep::UnitDesign unit{design.rows(), dims, std::vector<double>(design.values.size())};
    for (std::size_t c = 0; c < dims; ++c) {
        const auto column = design.column(c);
        auto [lo, hi] = std::minmax_element(column.begin(), column.end());
        std::pair<double, double> range{*lo, *hi};
        if (const auto it = header.bounds.find(design.columns[c]); it != header.bounds.end()) {
            range = it->second;
        }
        if (!(range.first < range.second)) {
            bad(design.path + ": column '" + design.columns[c] + "' is constant; a Morris design moves every parameter");
        }
        for (std::size_t row = 0; row < design.rows(); ++row) {
            unit.values[row * dims + c] = (column[row] - range.first) / (range.second - range.first);
        }
    }
    return unit;
}

AnalysisReport analyze_morris_tables(const AnalyzeOptions& o, const CsvTable& design, const DesignHeader& header,
                                     const CsvTable& outputs) {
    if (o.second_order) {
        bad("analyze: --second-order applies to sobol only");
    }
    const auto unit = unit_scaled(design, header);
    AnalysisReport report{design.columns, outputs.columns, {}, {}, false, o.resamples};
    for (std::size_t col = 0; col < outputs.columns.size(); ++col) {
        try {
            report.morris.push_back(sweep::analyze_morris(unit, outputs.column(col), bootstrap_options(o)));
        } catch (const std::invalid_argument& e) {
            bad(design.path + ": " + e.what());
        }
    }
    return report;
}

}  // namespace

void register_design_commands(CLI::App& app, DesignOptions& d, AnalyzeOptions& a) {
    auto* design = app.add_subcommand("design", kDesignHelp);
    design->add_option("method", d.method, "grid, random, lhs, sobol or morris")->required();
    design->add_option("--param", d.params, "a parameter and its range: NAME=MIN:MAX (repeatable, in column order)")
        ->allow_extra_args(false)
        ->required();
    design->add_option("-n,--samples", d.samples, "rows (random, lhs), base samples (sobol), trajectories (morris), points per parameter (grid)")
        ->required();
    design->add_option("--seed", d.seed, "random seed (random, lhs, morris; default 0)");
    design->add_flag("--second-order", d.second_order, "sobol: add the BA rows second-order indices need, N*(2D+2) rows");
    design->add_option("--levels", d.levels, "morris: grid levels p (even, default 4)");
    design->add_option("-o,--output", d.output, "CSV file (default: standard output); written only when complete");
    design->footer(kDesignExamples);
    auto* analyze = app.add_subcommand("analyze", kAnalyzeHelp);
    analyze->add_option("method", a.method, "sobol or morris")->required();
    analyze->add_option("design", a.design, "the design CSV")->required();
    analyze->add_option("outputs", a.outputs, "the outputs CSV: one column per output, one row per design row")->required();
    analyze->add_option("--json", a.json, "also write the indices as JSON to this file");
    analyze->add_flag("--second-order", a.second_order, "sobol: second-order indices S2 (the design needs --second-order)");
    analyze->add_option("--resamples", a.resamples, "bootstrap resamples for the intervals (default 1000; 0: none)");
    analyze->footer(kAnalyzeExamples);
}

int design_command(const DesignOptions& o) {
    const auto params = parse_parameters(o.params);
    const auto spec = design_spec(o, params.size());
    const auto unit = sweep::make_unit_design(spec);
    std::vector<double> values(unit.values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto& p = params[i % params.size()];
        values[i] = unit.values[i] == 1.0 ? p.max : p.min + unit.values[i] * (p.max - p.min);
    }
    std::vector<std::string> names;
    names.reserve(params.size());
    for (const auto& p : params) {
        names.push_back(p.name);
    }
    const std::string text = sweep::csv_text(header_comments(spec, params), names, values);
    if (spec.method == DesignMethod::kSobol && !std::has_single_bit(spec.samples)) {
        std::cerr << "ipsim: note: --samples " << spec.samples << " is not a power of two; Sobol designs are balanced for "
                  << std::bit_floor(spec.samples) << " or " << std::bit_ceil(spec.samples) << "\n";
    }
    if (o.output.empty()) {
        std::cout << text;
        return kSuccess;
    }
    sweep::write_file_atomically(o.output, text);
    std::cout << "wrote " << o.output << ": " << unit.rows << " rows x " << params.size()
              << (params.size() == 1 ? " parameter (" : " parameters (") << sweep::design_method_name(spec.method) << ")\n";
    return kSuccess;
}

int analyze_command(const AnalyzeOptions& o) {
    if (o.method != "sobol" && o.method != "morris") {
        bad("analyze: METHOD must be sobol or morris (got '" + o.method + "')");
    }
    const auto design = sweep::read_csv(o.design);
    const auto header = read_design_header(design);
    const auto wanted = o.method == "sobol" ? DesignMethod::kSobol : DesignMethod::kMorris;
    if (header.present && header.method != wanted) {
        bad(design.path + ":1: a " + std::string(sweep::design_method_name(header.method)) + " design; 'analyze " + o.method +
            "' needs a " + o.method + " design");
    }
    const auto outputs = sweep::read_csv(o.outputs);
    check_same_rows(design, outputs);
    const auto report = wanted == DesignMethod::kSobol ? analyze_sobol_tables(o, design, header, outputs)
                                                       : analyze_morris_tables(o, design, header, outputs);
    if (!o.json.empty()) {
        sweep::write_file_atomically(o.json, report_json(report));
    }
    std::cout << report_table(report);
    if (!o.json.empty()) {
        std::cout << "wrote " << o.json << "\n";
    }
    return kSuccess;
}

}  // namespace ipsim::cli
