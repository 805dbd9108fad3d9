/*!
 * @file sweep_blocks.cpp
 * @brief The sweep file's `parameters`, `design`, `outputs` and `keep_series` blocks.
 *
 * A parameter is checked twice: structurally here (one of range, values or distribution, with
 * well-formed arguments, on a field that can hold numbers), then semantically by loading the
 * base scenario with the parameter's lowest and highest values (and each listed value) as
 * `--set` overrides, so the scenario's own ranges and unknown-key messages apply unchanged.
 * Outputs resolve their metric in the scope their entity implies (a sector, a region, or
 * national) and default to the whole run and the mean.
 */
#include "sweep/detail/sweep_blocks.hpp"

#include <algorithm>
#include <cmath>

#include "sweep/detail/yaml_reads.hpp"

namespace ipsim::sweep::detail {
namespace {

using io::InputError;
using io::Node;

const std::vector<std::string> kMethods = {"grid", "random", "lhs", "sobol", "morris"};
const std::vector<std::string> kDistributions = {"normal", "lognormal", "triangular", "uniform"};
const std::vector<std::string> kStats = {"mean", "sum", "min", "max", "first", "last"};

std::array<double, 3> read_args(const Node& n, const std::string& field, const std::vector<std::string>& keys) {
    if (!n.is_map()) {
        fail(n, field + " must be a map {" + keys[0] + ": ..., " + keys[1] + ": ...}");
    }
    reject_unknown(n, keys, "in " + field);
    std::array<double, 3> args{};
    for (std::size_t i = 0; i < keys.size(); ++i) {
        args[i] = number_of(required(n, keys[i].c_str(), field, "give " + keys[i]), field + "." + keys[i]);
    }
    return args;
}

void read_distribution(const Node& n, const std::string& field, Parameter& p) {
    if (!n.is_map() || n.entries.size() != 1) {
        fail(n, field + " must name one distribution: normal, lognormal, triangular or uniform");
    }
    const auto& [name, args] = n.entries.front();
    const std::string sub = field + "." + name;
    if (name == "normal") {
        p.kind = ParamKind::normal;
        p.args = read_args(args, sub, {"mean", "sd"});
        if (p.args[1] <= 0.0) {
            fail(*args.find("sd"), sub + ".sd must be > 0 (got " + number_text(p.args[1]) + ")");
        }
    } else if (name == "lognormal") {
        p.kind = ParamKind::lognormal;
        p.args = read_args(args, sub, {"mu", "sigma"});
        if (p.args[1] <= 0.0) {
            fail(*args.find("sigma"), sub + ".sigma must be > 0 (got " + number_text(p.args[1]) + ")");
        }
    } else if (name == "triangular") {
        p.kind = ParamKind::triangular;
        p.args = read_args(args, sub, {"min", "mode", "max"});
        if (!(p.args[0] <= p.args[1] && p.args[1] <= p.args[2] && p.args[0] < p.args[2])) {
            fail(args, sub + " needs min <= mode <= max and min < max");
        }
    } else if (name == "uniform") {
        p.kind = ParamKind::uniform;
        p.args = read_args(args, sub, {"min", "max"});
        if (p.args[0] >= p.args[1]) {
            fail(args, sub + ": min must be below max");
        }
    } else {
        throw InputError(args.key_where.describe() + ": " + field + ": unknown distribution '" + name + "'" +
                         did_you_mean(name, kDistributions) + "; use normal, lognormal, triangular or uniform");
    }
}

void read_shape(const Node& n, const std::string& field, Parameter& p) {
    if (!n.is_map()) {
        fail(n, field + " must be a map with one of range, values or distribution");
    }
    reject_unknown(n, {"range", "values", "distribution", "levels"}, "in " + field);
    const int given = (n.find("range") != nullptr) + (n.find("values") != nullptr) + (n.find("distribution") != nullptr);
    if (given != 1) {
        fail(n, field + ": give exactly one of range, values or distribution");
    }
    if (const Node* r = n.find("range")) {
        if (!r->is_list() || r->items.size() != 2) {
            fail(*r, field + ".range must be [min, max]");
        }
        p.kind = ParamKind::range;
        p.args = {number_of(r->items[0], field + ".range[0]"), number_of(r->items[1], field + ".range[1]"), 0.0};
        if (p.args[0] >= p.args[1]) {
            fail(*r, field + ".range: min must be below max");
        }
    } else if (const Node* v = n.find("values")) {
        if (!v->is_list() || v->items.empty()) {
            fail(*v, field + ".values must be a non-empty list");
        }
        p.kind = ParamKind::values;
        for (const Node& item : v->items) {
            if (!item.is_scalar()) {
                fail(item, field + ".values must be a list of single values");
            }
            p.values.push_back(item.scalar);
        }
    } else {
        read_distribution(*n.find("distribution"), field + ".distribution", p);
    }
}

void check_by_loading(const Parameter& p, const Arm& base, const Node& at, const std::string& field) {
    std::vector<std::string> tries;
    if (p.kind == ParamKind::values) {
        for (const auto& v : p.values) {
            tries.push_back(p.path + "=" + v);
        }
    } else {
        tries = {parameter_override(p, 0.0), parameter_override(p, 1.0)};
    }
    for (const auto& o : tries) {
        try {
            static_cast<void>(load_arm(base, {o}));
        } catch (const InputError& e) {
            fail(at, field + ": " + e.what());
        }
    }
}

Output read_output(const std::string& name, const Node& n, const model::Scenario& base) {
    const std::string field = "outputs." + name;
    check_name(n, name, field);
    if (!n.is_map()) {
        fail(n, field + " must be a map {metric: ..., sector: ..., years: [from, to], stat: mean}");
    }
    reject_unknown(n, {"metric", "sector", "region", "years", "stat"}, "in " + field);
    Output o;
    o.name = name;
    const Node& metric = required(n, "metric", field, "name a series, e.g. metric: world_share");
    o.metric = text_of(metric, field + ".metric");
    const Node* sector = n.find("sector");
    const Node* region = n.find("region");
    if (sector != nullptr && region != nullptr) {
        fail(n, field + ": give a sector or a region, not both");
    }
    o.scope = sector != nullptr ? model::Scope::sector : (region != nullptr ? model::Scope::region : model::Scope::national);
    if (model::metric_index(o.scope, o.metric) < 0) {
        for (const auto scope : {model::Scope::sector, model::Scope::region, model::Scope::national}) {
            if (scope != o.scope && model::metric_index(scope, o.metric) >= 0) {
                const std::string g = model::scope_group(scope);
                fail(metric, field + ".metric: '" + o.metric + "' is a " + g + " metric" +
                                 (scope == model::Scope::national ? std::string("; drop sector/region") : "; name the " + g + " with '" + g + ": NAME'"));
            }
        }
        std::vector<std::string> known;
        for (const auto& m : model::metric_catalog()) {
            if (m.scope == o.scope) {
                known.emplace_back(m.name);
            }
        }
        fail(metric, field + ".metric: unknown " + model::scope_group(o.scope) + " metric '" + o.metric + "'" + did_you_mean(o.metric, known));
    }
    if (sector != nullptr || region != nullptr) {
        const Node& e = sector != nullptr ? *sector : *region;
        o.entity = text_of(e, field + (sector ? ".sector" : ".region"));
        std::vector<std::string> names;
        if (sector != nullptr) {
            for (const auto& s : base.sectors) {
                names.push_back(s.name);
            }
        } else {
            for (const auto& r : base.regions) {
                names.push_back(r.name);
            }
        }
        const auto it = std::find(names.begin(), names.end(), o.entity);
        if (it == names.end()) {
            fail(e, field + (sector ? ".sector: unknown sector '" : ".region: unknown region '") + o.entity + "'" + did_you_mean(o.entity, names));
        }
        o.column = static_cast<std::size_t>(it - names.begin());
    }
    const double first = std::floor(base.time.start_year);
    const double last = std::floor(base.year_of(base.time.quarters - 1));
    o.year_from = first;
    o.year_to = last;
    if (const Node* y = n.find("years")) {
        if (y->is_scalar()) {
            o.year_from = o.year_to = static_cast<double>(whole_of(*y, field + ".years", 0));
        } else if (y->is_list() && y->items.size() == 2) {
            o.year_from = static_cast<double>(whole_of(y->items[0], field + ".years[0]", 0));
            o.year_to = static_cast<double>(whole_of(y->items[1], field + ".years[1]", 0));
        } else {
            fail(*y, field + ".years must be [from, to] or one year");
        }
        if (o.year_from > o.year_to) {
            fail(*y, field + ".years: from must not be after to");
        }
        if (o.year_from < first || o.year_to > last) {
            fail(*y, field + ".years: [" + number_text(o.year_from) + ", " + number_text(o.year_to) + "] is outside the run (" +
                         number_text(first) + " to " + number_text(last) + ")");
        }
    }
    if (const Node* s = n.find("stat")) {
        const std::string& st = text_of(*s, field + ".stat");
        const auto it = std::find(kStats.begin(), kStats.end(), st);
        if (it == kStats.end()) {
            fail(*s, field + ".stat: unknown statistic '" + st + "'" + did_you_mean(st, kStats) + "; use mean, sum, min, max, first or last");
        }
        o.stat = static_cast<Stat>(it - kStats.begin());
    }
    return o;
}

}  // namespace

std::vector<Parameter> read_parameters(const Node* node, const Arm& base) {
    std::vector<Parameter> params;
    if (node == nullptr || node->is_null()) {
        return params;
    }
    if (!node->is_map()) {
        fail(*node, "parameters must be a map of scenario path to range, values or distribution");
    }
    for (const auto& [path, value] : node->entries) {
        const std::string field = "parameters." + path;
        Parameter p;
        p.path = path;
        p.where = value.key_where.describe();
        read_shape(value, field, p);
        const FieldKind kind = scenario_field_kind(path);
        if (kind == FieldKind::other && p.kind != ParamKind::values) {
            fail(value, field + ": '" + path + "' is not a numeric field; use values: [...] for it");
        }
        p.integer = kind == FieldKind::integer;
        check_by_loading(p, base, value, field);
        params.push_back(std::move(p));
    }
    return params;
}

DesignSettings read_design(const Node* node, const Node* params_node, const std::vector<Parameter>& params) {
    DesignSettings d;
    const Node empty;
    const Node& n = node != nullptr && !node->is_null() ? *node : empty;
    if (node != nullptr && !node->is_null() && !node->is_map()) {
        fail(*node, "design must be a map {method: ..., samples: ...}");
    }
    reject_unknown(n, {"method", "samples", "levels", "seed", "second_order", "morris_levels"}, "in design");
    if (const Node* m = n.find("method")) {
        d.method = text_of(*m, "design.method");
        if (std::find(kMethods.begin(), kMethods.end(), d.method) == kMethods.end()) {
            fail(*m, "design.method: unknown method '" + d.method + "'" + did_you_mean(d.method, kMethods) + "; use grid, random, lhs, sobol or morris");
        }
    }
    const bool grid = d.method == "grid";
    if (const Node* s = n.find("samples")) {
        if (grid) {
            fail(*s, "design.samples: a grid has no samples; give levels instead");
        }
        d.samples = static_cast<std::size_t>(whole_of(*s, "design.samples", 1));
    } else if (!grid) {
        fail(node != nullptr ? *node : empty, "design.samples is missing; a " + d.method + " design needs the number of samples");
    }
    if (!grid && params.empty()) {
        fail(*node, "design: a " + d.method + " design needs at least one parameter");
    }
    if (const Node* s = n.find("seed")) {
        d.seed = static_cast<std::uint64_t>(whole_of(*s, "design.seed", 0));
    }
    if (const Node* s = n.find("second_order")) {
        if (d.method != "sobol") {
            fail(*s, "design.second_order applies only to sobol designs");
        }
        d.second_order = flag_of(*s, "design.second_order");
    }
    if (const Node* s = n.find("morris_levels")) {
        if (d.method != "morris") {
            fail(*s, "design.morris_levels applies only to morris designs");
        }
        d.morris_levels = static_cast<std::size_t>(whole_of(*s, "design.morris_levels", 2));
    }
    std::size_t common = 3;
    const Node* levels = n.find("levels");
    if (levels != nullptr && !grid) {
        fail(*levels, "design.levels applies only to grid designs");
    }
    if (levels != nullptr && levels->is_scalar()) {
        common = static_cast<std::size_t>(whole_of(*levels, "design.levels", 1));
    }
    if (levels != nullptr && levels->is_list() && levels->items.size() != params.size()) {
        fail(*levels, "design.levels: " + std::to_string(levels->items.size()) + " levels for " + std::to_string(params.size()) + " parameters");
    }
    if (!grid) {
        return d;
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        std::size_t k = params[i].kind == ParamKind::values ? params[i].values.size() : common;
        if (levels != nullptr && levels->is_list()) {
            k = static_cast<std::size_t>(whole_of(levels->items[i], "design.levels[" + std::to_string(i) + "]", 1));
        }
        const Node* own = params_node != nullptr ? params_node->find(params[i].path)->find("levels") : nullptr;
        if (own != nullptr) {
            k = static_cast<std::size_t>(whole_of(*own, "parameters." + params[i].path + ".levels", 1));
        }
        d.levels.push_back(k);
    }
    return d;
}

std::vector<Output> read_outputs(const Node* node, const Node& root, const model::Scenario& base) {
    if (node == nullptr || node->is_null() || (node->is_map() && node->entries.empty())) {
        fail(node != nullptr ? *node : root, "outputs is missing; name at least one output, e.g. outputs: {cost: {metric: fiscal_cost, stat: sum}}");
    }
    if (!node->is_map()) {
        fail(*node, "outputs must be a map of output name to {metric, sector or region, years, stat}");
    }
    std::vector<Output> outputs;
    for (const auto& [name, value] : node->entries) {
        outputs.push_back(read_output(name, value, base));
    }
    return outputs;
}

void read_keep(const Node* node, SweepSpec& spec) {
    if (node == nullptr || node->is_null() || (node->is_scalar() && node->scalar == "all")) {
        return;
    }
    spec.keep_all = false;
    if (node->is_scalar() && node->scalar == "none") {
        return;
    }
    if (!node->is_list()) {
        fail(*node, "keep_series must be all, none or a list of metrics");
    }
    std::vector<std::string> known;
    for (const auto& m : model::metric_catalog()) {
        known.push_back(std::string(model::scope_group(m.scope)) + "/" + m.name);
    }
    for (const Node& item : node->items) {
        const std::string& name = text_of(item, "keep_series");
        bool found = false;
        for (const auto& k : known) {
            if (k == name || k.substr(k.find('/') + 1) == name) {
                found = true;
                if (std::find(spec.keep.begin(), spec.keep.end(), k) == spec.keep.end()) {
                    spec.keep.push_back(k);
                }
            }
        }
        if (!found) {
            std::vector<std::string> short_names;
            for (const auto& m : model::metric_catalog()) {
                short_names.emplace_back(m.name);
            }
            fail(item, "keep_series: unknown metric '" + name + "'" + did_you_mean(name, short_names));
        }
    }
    std::vector<std::string> ordered;
    for (const auto& k : known) {
        if (std::find(spec.keep.begin(), spec.keep.end(), k) != spec.keep.end()) {
            ordered.push_back(k);
        }
    }
    spec.keep = ordered;
}

}  // namespace ipsim::sweep::detail
