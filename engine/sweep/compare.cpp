/*!
 * @file compare.cpp
 * @brief The three cases of compare_files() and the fairness checks they share.
 *
 * Scale and horizon are read from the resolved scenario every result carries, loaded back
 * with the scenario loader; the seed is taken out before grouping single runs into sides.
 */
#include "sweep/compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "io/input_error.hpp"
#include "io/result_reader.hpp"
#include "io/scenario_loader.hpp"
#include "model/metrics.hpp"
#include "sweep/sweep_store.hpp"

namespace ipsim::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string without_seed(const std::string& yaml) {
    std::istringstream in(yaml);
    std::string line;
    std::string out;
    while (std::getline(in, line)) {
        if (!line.starts_with("seed:")) {
            out += line + "\n";
        }
    }
    return out;
}

template <class Items>
std::string joined_names(const Items& items) {
    std::string s;
    for (const auto& x : items) {
        s += x.name + ",";
    }
    return s;
}

/*! "" if the two scenarios may be paired, else what differs. */
std::string scale_difference(const model::Scenario& a, const model::Scenario& b) {
    auto pair = [](auto x, auto y) { std::ostringstream os; os << x << " vs " << y; return os.str(); };
    if (a.firms.count != b.firms.count) {
        return "firms.count " + pair(a.firms.count, b.firms.count);
    }
    if (a.local.per_region != b.local.per_region) {
        return "local.per_region " + pair(a.local.per_region, b.local.per_region);
    }
    if (joined_names(a.sectors) != joined_names(b.sectors)) {
        return "the sectors";
    }
    if (joined_names(a.regions) != joined_names(b.regions)) {
        return "the regions";
    }
    if (a.time.quarters != b.time.quarters || a.time.start_year != b.time.start_year) {
        return "the horizon (" + pair(a.time.start_year, b.time.start_year) + " start, " + pair(a.time.quarters, b.time.quarters) + " quarters)";
    }
    return {};
}

void check_scale(const std::string& yaml_a, const std::string& file_a, const std::string& yaml_b, const std::string& file_b) {
    if (yaml_a.empty() || yaml_b.empty()) {
        return;
    }
    const auto a = io::load_scenario_text(yaml_a, file_a);
    const auto b = io::load_scenario_text(yaml_b, file_b);
    const std::string diff = scale_difference(a.scenario, b.scenario);
    if (!diff.empty()) {
        throw io::InputError("compare: " + file_a + " and " + file_b + " differ in more than policy (" + diff +
                             "); only runs of the same scale, sectors, regions, horizon and seeds can be paired");
    }
}

CompareRow make_row(const std::string& arm, const std::string& output, const std::string& units,
                    const std::vector<double>& base, const std::vector<double>& other) {
    CompareRow row{arm, output, units, 0.0, 0.0, {}};
    const auto diff = paired_differences(base, other);
    row.stats = paired_stats(diff);
    double sb = 0.0;
    double so = 0.0;
    for (std::size_t i = 0; i < diff.size(); ++i) {
        if (std::isfinite(diff[i])) {
            sb += base[i];
            so += other[i];
        }
    }
    const double n = static_cast<double>(row.stats.n);
    row.base_mean = row.stats.n > 0 ? sb / n : kNaN;
    row.arm_mean = row.stats.n > 0 ? so / n : kNaN;
    return row;
}

std::vector<std::string> seed_texts(const std::vector<double>& seeds) {
    std::set<double> unique(seeds.begin(), seeds.end());
    std::vector<std::string> out;
    out.reserve(unique.size());
    for (const double s : unique) {
        out.push_back(std::to_string(static_cast<long long>(s)));
    }
    return out;
}

CompareTable one_sweep(const SweepData& d) {
    CompareTable t{"sweep", d.name + ": base", seed_texts(d.seeds), "paired by design row (same parameters and seed)", {}};
    for (std::size_t a = 1; a < d.arms.size(); ++a) {
        for (std::size_t o = 0; o < d.outputs.size(); ++o) {
            t.rows.push_back(make_row(d.arms[a], d.outputs[o], d.output_units[o], d.summary[0][o], d.summary[a][o]));
        }
    }
    return t;
}

CompareTable two_sweeps(const SweepData& a, const SweepData& b) {
    if (a.parameters != b.parameters || a.design != b.design || a.seeds != b.seeds) {
        throw io::InputError("compare: " + a.path + " and " + b.path + " have different design rows or seeds, so their runs cannot be paired");
    }
    check_scale(a.base_scenario_yaml, a.path, b.base_scenario_yaml, b.path);
    CompareTable t{"sweeps", a.path, seed_texts(a.seeds), "second file minus first, paired by design row", {}};
    for (std::size_t arm = 0; arm < b.arms.size(); ++arm) {
        const auto ia = std::find(a.arms.begin(), a.arms.end(), b.arms[arm]);
        if (ia == a.arms.end()) {
            continue;
        }
        const auto ka = static_cast<std::size_t>(ia - a.arms.begin());
        for (std::size_t o = 0; o < b.outputs.size(); ++o) {
            const auto oa = std::find(a.outputs.begin(), a.outputs.end(), b.outputs[o]);
            if (oa == a.outputs.end()) {
                continue;
            }
            const auto& base = a.summary[ka][static_cast<std::size_t>(oa - a.outputs.begin())];
            t.rows.push_back(make_row(b.arms[arm], b.outputs[o], b.output_units[o], base, b.summary[arm][o]));
        }
    }
    return t;
}

struct RunFile {
    std::string path;
    std::string yaml;
    std::string scenario;
    std::uint64_t seed = 0;
};

/*! One compared series of a run: its name, units and late mean. */
struct LateMean {
    std::string output;
    std::string units;
    double value;
};

double late_mean(const std::vector<double>& time, const std::vector<double>& v, std::size_t columns, std::size_t column,
                 double from, double to) {
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t t = 0; t < time.size() && (t + 1) * columns <= v.size(); ++t) {
        if (time[t] > from && time[t] < to) {
            sum += v[t * columns + column];
            ++n;
        }
    }
    return n > 0 ? sum / static_cast<double>(n) : kNaN;
}

/*! Late means of every national (and optionally sector) series, in catalog order. */
std::vector<LateMean> late_means(const std::string& path, const CompareSettings& settings, std::string& window) {
    const auto summary = io::read_result_summary(path);
    if (summary.time.empty()) {
        throw io::InputError("compare: " + path + " has no quarters");
    }
    double from = summary.time.back() - settings.last_years + 1e-9;
    double to = summary.time.back() + 1.0;
    std::ostringstream w;
    if (settings.year > 0.0) {
        from = settings.year - 1e-9;
        to = settings.year + 1.0 - 1e-9;
        if (summary.time.front() >= to || summary.time.back() <= from) {
            throw io::InputError("compare: --year " + std::to_string(static_cast<long long>(settings.year)) + " is outside the run of " + path);
        }
        w << "mean over the quarters of " << settings.year;
    } else {
        const auto first = std::find_if(summary.time.begin(), summary.time.end(), [from](double t) { return t > from; });
        w << "mean over the last " << settings.last_years << " year(s): " << *first << " to " << summary.time.back();
    }
    window = w.str();
    std::vector<LateMean> out;
    for (const auto scope : {model::Scope::national, model::Scope::sector}) {
        if (scope == model::Scope::sector && !settings.sectors) {
            continue;
        }
        const std::string group = model::scope_group(scope);
        for (const auto& m : model::metric_catalog()) {
            if (m.scope != scope) {
                continue;
            }
            const auto v = io::read_series(path, "/" + group + "/" + m.name);
            if (scope == model::Scope::national) {
                out.push_back({group + "/" + m.name, m.units, late_mean(summary.time, v, 1, 0, from, to)});
                continue;
            }
            for (std::size_t s = 0; s < summary.sectors.size(); ++s) {
                out.push_back({group + "/" + m.name + "/" + summary.sectors[s], m.units, late_mean(summary.time, v, summary.sectors.size(), s, from, to)});
            }
        }
    }
    return out;
}

CompareTable single_runs(const std::vector<std::string>& files, const CompareSettings& settings) {
    std::vector<RunFile> runs;
    for (const auto& f : files) {
        const auto s = io::read_result_summary(f);
        runs.push_back({f, io::read_scenario_yaml(f), s.scenario, s.seed});
    }
    std::vector<std::string> sides;
    for (const auto& r : runs) {
        const std::string key = without_seed(r.yaml);
        if (std::find(sides.begin(), sides.end(), key) == sides.end()) {
            sides.push_back(key);
        }
    }
    if (sides.size() != 2) {
        throw io::InputError("compare: the runs make " + std::to_string(sides.size()) +
                             " distinct scenarios; give runs of exactly two (a base and a counterfactual), any number of seeds each");
    }
    std::map<std::uint64_t, const RunFile*> side[2];
    for (const auto& r : runs) {
        auto& m = side[without_seed(r.yaml) == sides[0] ? 0 : 1];
        if (!m.emplace(r.seed, &r).second) {
            throw io::InputError("compare: two runs of " + r.scenario + " have seed " + std::to_string(r.seed));
        }
    }
    std::vector<std::uint64_t> seeds[2];
    for (int k = 0; k < 2; ++k) {
        for (const auto& [s, r] : side[k]) {
            seeds[k].push_back(s);
        }
    }
    if (seeds[0] != seeds[1]) {
        auto list = [](const std::vector<std::uint64_t>& v) { std::string s;
            for (auto x : v) {
                s += (s.empty() ? "" : ",") + std::to_string(x);
            }
            return s; };
        throw io::InputError("compare: the seeds differ (" + side[0].begin()->second->scenario + ": " + list(seeds[0]) + "; " +
                             side[1].begin()->second->scenario + ": " + list(seeds[1]) + "); runs are paired by seed, so both sides need the same seeds");
    }
    const RunFile& a0 = *side[0].begin()->second;
    const RunFile& b0 = *side[1].begin()->second;
    check_scale(a0.yaml, a0.path, b0.yaml, b0.path);
    std::vector<std::vector<LateMean>> values[2];
    std::string window;
    for (int k = 0; k < 2; ++k) {
        for (const auto& [s, r] : side[k]) {
            values[k].push_back(late_means(r->path, settings, window));
        }
    }
    const bool same_name = a0.scenario == b0.scenario;
    CompareTable t{"runs", same_name ? a0.path : a0.scenario, {}, window, {}};
    for (auto s : seeds[0]) {
        t.seeds.push_back(std::to_string(s));
    }
    for (std::size_t k = 0; k < values[0].front().size(); ++k) {
        std::vector<double> base;
        std::vector<double> other;
        for (std::size_t i = 0; i < values[0].size(); ++i) {
            base.push_back(values[0][i][k].value);
            other.push_back(values[1][i][k].value);
        }
        t.rows.push_back(make_row(same_name ? b0.path : b0.scenario, values[0].front()[k].output, values[0].front()[k].units, base, other));
    }
    return t;
}

}  // namespace

CompareTable compare_files(const std::vector<std::string>& files, const CompareSettings& settings) {
    if (!(settings.last_years > 0.0)) {
        throw io::InputError("compare: --last-years must be positive");
    }
    if (files.empty()) {
        throw io::InputError("compare: give result files (two single runs or more, or one or two sweep files)");
    }
    std::vector<bool> sweep;
    for (const auto& f : files) {
        try {
            sweep.push_back(is_sweep_file(f));
        } catch (const std::runtime_error& e) {
            throw io::InputError(std::string("compare: ") + e.what());
        }
    }
    const auto n_sweeps = static_cast<std::size_t>(std::count(sweep.begin(), sweep.end(), true));
    try {
        if (n_sweeps == 1 && files.size() == 1) {
            return one_sweep(read_sweep(files[0]));
        }
        if (n_sweeps == 2 && files.size() == 2) {
            return two_sweeps(read_sweep(files[0]), read_sweep(files[1]));
        }
        if (n_sweeps == 0 && files.size() >= 2) {
            return single_runs(files, settings);
        }
    } catch (const io::InputError&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw io::InputError(std::string("compare: ") + e.what());
    }
    throw io::InputError("compare: give one sweep file, two sweep files, or two or more single-run files (not a mix)");
}

}  // namespace ipsim::sweep
