/*!
 * @file sweep_file.cpp
 * @brief Reading a sweep file: the top level, the base and arms, seeds, and the write-back.
 *
 * The file is parsed with the scenario loader's located YAML tree, so positions are reported
 * the same way. Each block is read by one function that checks its keys and types and throws
 * at the first problem. Scenario references are resolved like `extends`: a file next to the
 * sweep file (with or without `.yaml`), else a shipped scenario. Every loader error raised
 * while checking the base, a parameter or an arm is prefixed with the sweep file's position and
 * key, so the user sees both where the sweep asks for it and what the scenario refused.
 * Parameters, design and outputs are read in sweep_blocks.cpp.
 */
#include "sweep/sweep_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "io/embedded.hpp"
#include "sweep/detail/sweep_blocks.hpp"
#include "sweep/detail/yaml_reads.hpp"

namespace ipsim::sweep {
namespace {

namespace fs = std::filesystem;
using detail::fail;
using io::InputError;
using io::Node;

const std::vector<std::string> kTopKeys = {"name", "description", "base", "parameters", "design", "seeds", "arms", "outputs", "keep_series"};

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError(path + ": cannot open sweep file (" + std::strerror(errno) + ")");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> shipped_names() {
    std::vector<std::string> names;
    for (const auto& e : io::embedded_scenarios()) {
        names.emplace_back(e.name);
    }
    return names;
}

ScenarioRef resolve_ref(const Node& n, const fs::path& dir, const std::string& field) {
    ScenarioRef ref;
    ref.written = detail::text_of(n, field);
    for (const fs::path& p : {dir / ref.written, dir / (ref.written + ".yaml")}) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            ref.name = p.string();
            ref.text = read_text(ref.name);
            return ref;
        }
    }
    const auto names = shipped_names();
    if (ref.written.find('/') == std::string::npos && !ref.written.ends_with(".yaml") &&
        std::find(names.begin(), names.end(), ref.written) != names.end()) {
        ref.embedded = true;
        ref.name = ref.written;
        return ref;
    }
    fail(n, field + ": no scenario file '" + ref.written + "' next to the sweep file and no shipped scenario of that name" +
                detail::did_you_mean(ref.written, names));
}

std::vector<std::string> override_list(const Node& n, const std::string& field) {
    if (!n.is_list()) {
        fail(n, field + " must be a list of PATH=VALUE overrides");
    }
    std::vector<std::string> out;
    for (const Node& item : n.items) {
        if (!item.is_scalar() || item.scalar.find('=') == std::string::npos) {
            fail(item, field + " must be a list of PATH=VALUE overrides (got '" + item.scalar + "')");
        }
        out.push_back(item.scalar);
    }
    return out;
}

/*! `X`, `[PATH=VALUE, ...]` or `{scenario: X, set: [...]}`; `fallback` when there is no scenario. */
Arm read_arm(const Node& n, const std::string& field, const fs::path& dir, const Arm* fallback) {
    Arm arm;
    if (fallback != nullptr) {
        arm.scenario = fallback->scenario;
        arm.overrides = fallback->overrides;
    }
    if (n.is_scalar()) {
        arm.scenario = resolve_ref(n, dir, field);
    } else if (n.is_list() && fallback != nullptr) {
        const auto own = override_list(n, field);
        arm.overrides.insert(arm.overrides.end(), own.begin(), own.end());
    } else if (n.is_map()) {
        detail::reject_unknown(n, {"scenario", "set"}, "in " + field);
        if (const Node* s = n.find("scenario")) {
            arm.scenario = resolve_ref(*s, dir, field + ".scenario");
        } else if (fallback == nullptr) {
            fail(n, field + ".scenario is missing; name a scenario file or a shipped scenario");
        }
        if (const Node* set = n.find("set")) {
            const auto own = override_list(*set, field + ".set");
            arm.overrides.insert(arm.overrides.end(), own.begin(), own.end());
        }
    } else {
        fail(n, field + (fallback != nullptr ? " must be a scenario, a list of PATH=VALUE overrides or {scenario: X, set: [...]}"
                                             : " must be a scenario or {scenario: X, set: [...]}"));
    }
    return arm;
}

std::vector<std::uint64_t> read_seeds(const Node* n, std::int64_t base_seed) {
    if (n == nullptr || n->is_null()) {
        return {static_cast<std::uint64_t>(base_seed)};
    }
    std::vector<std::uint64_t> seeds;
    if (n->is_scalar()) {
        const auto count = detail::whole_of(*n, "seeds", 1);
        for (std::int64_t i = 1; i <= count; ++i) {
            seeds.push_back(static_cast<std::uint64_t>(i));
        }
        return seeds;
    }
    if (!n->is_list() || n->items.empty()) {
        fail(*n, "seeds must be a count or a non-empty list of seeds");
    }
    std::set<std::uint64_t> seen;
    for (std::size_t i = 0; i < n->items.size(); ++i) {
        const auto s = static_cast<std::uint64_t>(detail::whole_of(n->items[i], "seeds[" + std::to_string(i) + "]", 0));
        if (!seen.insert(s).second) {
            fail(n->items[i], "seeds: duplicate seed " + std::to_string(s));
        }
        seeds.push_back(s);
    }
    return seeds;
}

/*! The arm with all parameters at u (0 or 1). */
io::LoadedScenario load_at(const Arm& arm, const std::vector<Parameter>& params, double u, const Node& at, const std::string& field) {
    std::vector<std::string> extra;
    extra.reserve(params.size());
    for (const auto& p : params) {
        extra.push_back(parameter_override(p, u));
    }
    try {
        return load_arm(arm, extra);
    } catch (const InputError& e) {
        fail(at, field + ": " + e.what());
    }
}

template <class Items>
std::vector<std::string> names_of(const Items& items) {
    std::vector<std::string> names;
    names.reserve(items.size());
    for (const auto& x : items) {
        names.push_back(x.name);
    }
    return names;
}

void check_same_scale(const model::Scenario& base, const model::Scenario& arm, const Node& at, const std::string& field) {
    auto refuse = [&](const std::string& what) {
        fail(at, field + ": differs from the base in more than policy (" + what +
                     "); arms must have the base's firm count, sectors, regions and horizon");
    };
    if (arm.firms.count != base.firms.count) {
        refuse("firms.count " + std::to_string(arm.firms.count) + " against " + std::to_string(base.firms.count));
    }
    if (names_of(arm.sectors) != names_of(base.sectors)) {
        refuse("other sectors");
    }
    if (names_of(arm.regions) != names_of(base.regions)) {
        refuse("other regions");
    }
    if (arm.time.quarters != base.time.quarters || arm.time.start_year != base.time.start_year) {
        refuse("another horizon");
    }
    if (arm.local.per_region != base.local.per_region) {
        refuse("local.per_region");
    }
}

/*! An arm that sets a parameter the design varies would silently run the design's values instead
 *  of its own (e.g. a no-herding arm in a sweep over herding): refused. */
void refuse_swept_settings(const Arm& arm, const SweepSpec& spec, const Node& at, const std::string& field) {
    const auto own = load_at(arm, {}, 0.0, at, field);
    const Node arm_tree = io::parse_yaml(own.resolved_yaml, field);
    const Node base_tree = io::parse_yaml(spec.base_yaml, "base");
    for (const auto& p : spec.parameters) {
        const Node* mine = io::find_path(arm_tree, p.path);
        const Node* base = io::find_path(base_tree, p.path);
        const bool same = (mine == nullptr && base == nullptr) || (mine != nullptr && base != nullptr && io::same_values(*mine, *base));
        if (!same) {
            fail(at, field + ": sets " + p.path + ", which the sweep varies, so every run would use the design's values " +
                         "instead of the arm's; drop " + p.path + " from `parameters` or from the arm");
        }
    }
}

void read_arms(const Node* n, SweepSpec& spec, const fs::path& dir, const model::Scenario& base_low) {
    if (n == nullptr || n->is_null()) {
        return;
    }
    if (!n->is_map()) {
        fail(*n, "arms must be a map of arm name to scenario or overrides");
    }
    for (const auto& [name, value] : n->entries) {
        const std::string field = "arms." + name;
        detail::check_name(value, name, field);
        if (name == "base") {
            fail(value, field + ": the name 'base' is reserved for the base scenario");
        }
        Arm arm = read_arm(value, field, dir, &spec.arms.front());
        arm.name = name;
        refuse_swept_settings(arm, spec, value, field);
        const auto low = load_at(arm, spec.parameters, 0.0, value, field);
        check_same_scale(base_low, low.scenario, value, field);
        static_cast<void>(load_at(arm, spec.parameters, 1.0, value, field));
        arm.resolved_yaml = low.resolved_yaml;
        spec.arms.push_back(std::move(arm));
    }
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += (i > 0 ? ", " : "") + quoted(items[i]);
    }
    return out + "]";
}

const char* kind_name(ParamKind k) {
    switch (k) {
        case ParamKind::range: return "range";
        case ParamKind::values: return "values";
        case ParamKind::normal: return "normal";
        case ParamKind::lognormal: return "lognormal";
        case ParamKind::triangular: return "triangular";
        case ParamKind::uniform: return "uniform";
    }
    return "range";
}

void emit_parameter(std::ostringstream& os, const Parameter& p) {
    os << "  " << quoted(p.path) << ": {";
    const auto& a = p.args;
    switch (p.kind) {
        case ParamKind::range: os << "range: [" << number_text(a[0]) << ", " << number_text(a[1]) << "]"; break;
        case ParamKind::values:
            os << "values: [";
            for (std::size_t i = 0; i < p.values.size(); ++i) {
                os << (i ? ", " : "") << p.values[i];
            }
            os << "]";
            break;
        case ParamKind::normal: os << "distribution: {normal: {mean: " << number_text(a[0]) << ", sd: " << number_text(a[1]) << "}}"; break;
        case ParamKind::lognormal: os << "distribution: {lognormal: {mu: " << number_text(a[0]) << ", sigma: " << number_text(a[1]) << "}}"; break;
        case ParamKind::triangular: os << "distribution: {triangular: {min: " << number_text(a[0]) << ", mode: " << number_text(a[1]) << ", max: " << number_text(a[2]) << "}}"; break;
        case ParamKind::uniform: os << "distribution: {uniform: {min: " << number_text(a[0]) << ", max: " << number_text(a[1]) << "}}"; break;
    }
    os << "}  # " << kind_name(p.kind) << (p.integer ? ", whole numbers" : "") << "\n";
}

}  // namespace

const char* stat_name(Stat stat) noexcept {
    switch (stat) {
        case Stat::mean: return "mean";
        case Stat::sum: return "sum";
        case Stat::min: return "min";
        case Stat::max: return "max";
        case Stat::first: return "first";
        case Stat::last: return "last";
    }
    return "mean";
}

io::LoadedScenario load_arm(const Arm& arm, const std::vector<std::string>& extra) {
    std::vector<std::string> overrides = arm.overrides;
    overrides.insert(overrides.end(), extra.begin(), extra.end());
    if (arm.scenario.embedded) {
        return io::load_embedded_scenario(arm.scenario.name, overrides);
    }
    return io::load_scenario_text(arm.scenario.text, arm.scenario.name, overrides);
}

SweepSpec load_sweep_text(const std::string& text, const std::string& display_name) {
    const Node root = io::parse_yaml(text, display_name);
    detail::reject_unknown(root, kTopKeys, "at the top level of the sweep");
    const fs::path dir = fs::path(display_name).parent_path().empty() ? fs::path(".") : fs::path(display_name).parent_path();
    SweepSpec spec;
    spec.file = display_name;
    spec.name = root.find("name") != nullptr ? detail::text_of(*root.find("name"), "name") : fs::path(display_name).stem().string();
    detail::check_name(root.find("name") != nullptr ? *root.find("name") : root, spec.name, "name");
    if (const Node* d = root.find("description"); d != nullptr && !d->is_null()) {
        spec.description = d->scalar;
    }
    const Node& base_node = detail::required(root, "base", "", "name the scenario to sweep (a file or a shipped scenario)");
    Arm base = read_arm(base_node, "base", dir, nullptr);
    base.name = "base";
    spec.arms.push_back(base);
    const auto base_default = load_at(base, {}, 0.0, base_node, "base");
    spec.parameters = detail::read_parameters(root.find("parameters"), spec.arms.front());
    spec.design = detail::read_design(root.find("design"), root.find("parameters"), spec.parameters);
    const auto base_low = load_at(base, spec.parameters, 0.0, base_node, "base");
    spec.arms.front().resolved_yaml = base_low.resolved_yaml;
    spec.base_yaml = base_default.resolved_yaml;
    spec.seeds = read_seeds(root.find("seeds"), base_default.scenario.seed);
    read_arms(root.find("arms"), spec, dir, base_low.scenario);
    spec.sectors = names_of(base_default.scenario.sectors);
    spec.regions = names_of(base_default.scenario.regions);
    spec.outputs = detail::read_outputs(root.find("outputs"), root, base_default.scenario);
    detail::read_keep(root.find("keep_series"), spec);
    return spec;
}

SweepSpec load_sweep_file(const std::string& path) { return load_sweep_text(read_text(path), path); }

std::string resolved_sweep_yaml(const SweepSpec& spec) {
    std::ostringstream os;
    os << "# resolved by ipsim: every default filled in\n";
    os << "name: " << quoted(spec.name) << "\ndescription: " << quoted(spec.description) << "\n";
    for (std::size_t a = 0; a < spec.arms.size(); ++a) {
        const Arm& arm = spec.arms[a];
        if (a == 0) {
            os << "base: ";
        }
        if (a == 1) {
            os << "arms:\n";
        }
        if (a > 0) {
            os << "  " << quoted(arm.name) << ": ";
        }
        os << "{scenario: " << quoted(arm.scenario.embedded ? arm.scenario.name : arm.scenario.written)
           << ", set: " << quoted_list(arm.overrides) << "}\n";
    }
    os << "parameters:" << (spec.parameters.empty() ? " {}\n" : "\n");
    for (const auto& p : spec.parameters) {
        emit_parameter(os, p);
    }
    const auto& d = spec.design;
    os << "design: {method: " << d.method;
    if (d.method == "grid") {
        os << ", levels: [";
        for (std::size_t i = 0; i < d.levels.size(); ++i) {
            os << (i ? ", " : "") << d.levels[i];
        }
        os << "]";
    } else {
        os << ", samples: " << d.samples << ", seed: " << d.seed;
    }
    if (d.method == "sobol") {
        os << ", second_order: " << (d.second_order ? "true" : "false");
    }
    if (d.method == "morris") {
        os << ", morris_levels: " << d.morris_levels;
    }
    os << "}\nseeds: [";
    for (std::size_t i = 0; i < spec.seeds.size(); ++i) {
        os << (i ? ", " : "") << spec.seeds[i];
    }
    os << "]\noutputs:\n";
    for (const auto& o : spec.outputs) {
        os << "  " << quoted(o.name) << ": {metric: " << o.metric;
        if (o.scope == model::Scope::sector) {
            os << ", sector: " << quoted(o.entity);
        }
        if (o.scope == model::Scope::region) {
            os << ", region: " << quoted(o.entity);
        }
        os << ", years: [" << number_text(o.year_from) << ", " << number_text(o.year_to) << "], stat: " << stat_name(o.stat) << "}\n";
    }
    os << "keep_series: " << (spec.keep_all ? std::string("all") : quoted_list(spec.keep)) << "\n";
    return os.str();
}

}  // namespace ipsim::sweep
