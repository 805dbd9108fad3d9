/*!
 * @file sweep_store.cpp
 * @brief Assembling the sweep file from its parts, and reading it back.
 *
 * One pass over the runs in run order: a part that finished is opened once, its outputs are
 * evaluated from its series and its kept objects are copied under /runs/<run id> with
 * H5Ocopy (byte-exact datasets, attributes included); root attributes of the part become
 * attributes of the run's group. Summaries, comparisons and failures, which need every run,
 * are written after the runs. The file is written as a hidden temporary next to the output,
 * synced and renamed, so a sweep file is either complete or absent.
 */
#include "sweep/sweep_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "model/version.hpp"
#include "sweep/detail/h5_store.hpp"
#include "sweep/sensitivity_store.hpp"

namespace ipsim::sweep {
namespace {

namespace fs = std::filesystem;
using detail::H5Handle;
using io::detail::Hdf5Guard;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<std::string> kGroups = {"sector", "region", "region_sector", "national"};

std::string read_text_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string series_path(const Output& o) { return std::string(model::scope_group(o.scope)) + "/" + o.metric; }

std::size_t columns_of(const Output& o, const SweepSpec& spec) {
    switch (o.scope) {
        case model::Scope::sector: return spec.sectors.size();
        case model::Scope::region: return spec.regions.size();
        default: return 1;
    }
}

bool kept(const SweepSpec& spec, const std::string& group, const std::string& name) {
    if (spec.keep_all) {
        return true;
    }
    const std::string path = group + "/" + name;
    return std::find(spec.keep.begin(), spec.keep.end(), path) != spec.keep.end();
}

void copy_run_attributes(hid_t part, hid_t group, const std::string& shown) {
    detail::write_attr(group, "ipsim_version", detail::read_attr_text(part, "ipsim_version", shown), shown);
    detail::write_attr_u64(group, "seed", static_cast<std::uint64_t>(detail::read_attr_number(part, "seed", shown)), shown);
    detail::write_attr(group, "scenario", detail::read_attr_text(part, "scenario", shown), shown);
    detail::write_attr_u64(group, "layout_version", static_cast<std::uint64_t>(detail::read_attr_number(part, "layout_version", shown)), shown);
    detail::write_attr_u64(group, "n_steps", static_cast<std::uint64_t>(detail::read_attr_number(part, "n_steps", shown)), shown);
    detail::write_attr_u64(group, "complete", static_cast<std::uint64_t>(detail::read_attr_number(part, "complete", shown)), shown);
}

/*! The run's scenario text and axes. The text and name lists are rewritten rather than copied,
 *  since the single-run writer lets HDF5 stamp them with a modification time; /time is copied. */
void copy_identity(hid_t part, const std::string& part_path, hid_t group, const std::string& shown) {
    detail::write_text(group, "scenario_yaml", detail::read_strings(part, "scenario_yaml", part_path).front(), shown);
    detail::copy_object(part, "time", group, "time", shown);
    for (const char* axis : {"sectors", "regions"}) {
        detail::write_strings(group, axis, detail::read_strings(part, axis, part_path), shown);
        H5Handle src = io::detail::make_handle(H5Dopen2(part, axis, H5P_DEFAULT), H5Dclose, "cannot open", part_path);
        H5Handle dst = io::detail::make_handle(H5Dopen2(group, axis, H5P_DEFAULT), H5Dclose, "cannot open", shown);
        detail::write_attr(dst.get(), "description", detail::read_attr_text(src.get(), "description", part_path), shown);
    }
}

/*! Copies one finished run and returns its outputs. */
std::vector<double> take_run(const SweepSpec& spec, const std::string& part_path, hid_t runs, const std::string& id,
                             const std::string& shown) {
    H5Handle part = detail::open_file(part_path);
    H5Handle group = detail::create_group(runs, id, shown);
    copy_run_attributes(part.get(), group.get(), shown);
    copy_identity(part.get(), part_path, group.get(), shown);
    for (const auto& g : kGroups) {
        if (!detail::exists(part.get(), g)) {
            continue;
        }
        std::vector<std::string> names;
        for (const auto& name : detail::list_group(part.get(), g, part_path)) {
            if (kept(spec, g, name)) {
                names.push_back(name);
            }
        }
        if (names.empty()) {
            continue;
        }
        H5Handle sub = detail::create_group(group.get(), g, shown);
        for (const auto& name : names) {
            detail::copy_object(part.get(), g + "/" + name, sub.get(), name, shown);
        }
    }
    const auto time = detail::read_doubles(part.get(), "time", part_path);
    std::vector<double> values;
    for (const auto& o : spec.outputs) {
        const auto series = detail::read_doubles(part.get(), series_path(o), part_path);
        values.push_back(evaluate_output(o, time, series, columns_of(o, spec)));
    }
    return values;
}

void write_design(hid_t file, const SweepSpec& spec, const SweepPlan& plan, const std::string& shown) {
    H5Handle design = detail::create_group(file, "design", shown);
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
        detail::write_doubles(design.get(), spec.parameters[p].path, design_column(spec, plan, p), shown);
    }
    std::vector<std::uint64_t> seeds(plan.rows());
    std::vector<std::uint64_t> points(plan.rows());
    for (std::size_t row = 0; row < plan.rows(); ++row) {
        seeds[row] = spec.seeds[plan.seed_index(row)];
        points[row] = plan.point_of(row);
    }
    detail::write_u64s(design.get(), "seed", seeds, shown);
    detail::write_u64s(design.get(), "point", points, shown);
}

void write_output_attrs(hid_t ds_parent, const std::string& name, const Output& o, const std::string& shown) {
    H5Handle ds = io::detail::make_handle(H5Dopen2(ds_parent, name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open", shown);
    detail::write_attr(ds.get(), "metric", series_path(o), shown);
    detail::write_attr(ds.get(), "entity", o.entity.empty() ? std::string("national") : o.entity, shown);
    detail::write_attr(ds.get(), "stat", stat_name(o.stat), shown);
    detail::write_attr(ds.get(), "year_from", o.year_from, shown);
    detail::write_attr(ds.get(), "year_to", o.year_to, shown);
    const int m = model::metric_index(o.scope, o.metric);
    std::size_t k = 0;
    for (const auto& info : model::metric_catalog()) {
        if (info.scope == o.scope && static_cast<int>(k++) == m) {
            detail::write_attr(ds.get(), "units", std::string(info.units) + (o.stat == Stat::sum ? " (summed over quarters)" : ""), shown);
        }
    }
}

using Summary = std::vector<std::vector<std::vector<double>>>;  // [arm][output][row]

void write_summary(hid_t file, const SweepSpec& spec, const Summary& summary, const std::string& shown) {
    H5Handle group = detail::create_group(file, "summary", shown);
    for (std::size_t a = 0; a < spec.arms.size(); ++a) {
        H5Handle arm = detail::create_group(group.get(), spec.arms[a].name, shown);
        for (std::size_t o = 0; o < spec.outputs.size(); ++o) {
            detail::write_doubles(arm.get(), spec.outputs[o].name, summary[a][o], shown);
            write_output_attrs(arm.get(), spec.outputs[o].name, spec.outputs[o], shown);
        }
    }
}

std::vector<Comparison> write_compare(hid_t file, const SweepSpec& spec, const Summary& summary, const std::string& shown) {
    std::vector<Comparison> out;
    H5Handle group = detail::create_group(file, "compare", shown);
    for (std::size_t a = 1; a < spec.arms.size(); ++a) {
        H5Handle arm = detail::create_group(group.get(), spec.arms[a].name, shown);
        for (std::size_t o = 0; o < spec.outputs.size(); ++o) {
            const auto diff = paired_differences(summary[0][o], summary[a][o]);
            const PairedStats s = paired_stats(diff);
            const std::string& name = spec.outputs[o].name;
            detail::write_doubles(arm.get(), name, diff, shown);
            write_output_attrs(arm.get(), name, spec.outputs[o], shown);
            H5Handle ds = io::detail::make_handle(H5Dopen2(arm.get(), name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open", shown);
            detail::write_attr_u64(ds.get(), "n", s.n, shown);
            detail::write_attr(ds.get(), "mean", s.mean, shown);
            detail::write_attr(ds.get(), "sd", s.sd, shown);
            detail::write_attr(ds.get(), "se", s.se, shown);
            detail::write_attr(ds.get(), "ci_low", s.ci_low, shown);
            detail::write_attr(ds.get(), "ci_high", s.ci_high, shown);
            detail::write_attr(ds.get(), "t_crit", s.t_crit, shown);
            out.push_back({spec.arms[a].name, name, s});
        }
    }
    return out;
}

void write_failed(hid_t file, const std::vector<FailedRun>& failed, const std::string& shown) {
    H5Handle group = detail::create_group(file, "failed", shown);
    std::vector<std::string> ids;
    std::vector<std::string> messages;
    for (const auto& f : failed) {
        ids.push_back(f.run_id);
        messages.push_back(f.message);
    }
    detail::write_strings(group.get(), "run_id", ids, shown);
    detail::write_strings(group.get(), "message", messages, shown);
}

void fsync_path(const fs::path& p, const std::string& shown) {
    const int fd = ::open(p.c_str(), O_RDONLY);
    const bool ok = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) {
        ::close(fd);
    }
    if (!ok) {
        throw std::runtime_error("cannot sync sweep file '" + shown + "'");
    }
}

AssembleResult write_all(hid_t file, const SweepSpec& spec, const SweepPlan& plan, const fs::path& parts,
                         const std::string& sweep_hash, const std::string& shown) {
    detail::write_attr(file, "ipsim_version", model::engine_version(), shown);
    detail::write_attr(file, "sweep", spec.name, shown);
    detail::write_attr(file, "layout", "sweep", shown);
    detail::write_attr(file, "sweep_hash", sweep_hash, shown);
    detail::write_attr_u64(file, "n_rows", plan.rows(), shown);
    detail::write_attr_u64(file, "n_runs", plan.runs(), shown);
    detail::write_text(file, "sweep_yaml", resolved_sweep_yaml(spec), shown);
    write_design(file, spec, plan, shown);
    Summary summary(spec.arms.size(), std::vector<std::vector<double>>(spec.outputs.size(), std::vector<double>(plan.rows(), kNaN)));
    AssembleResult result;
    {
        H5Handle runs = detail::create_group(file, "runs", shown);
        for (std::size_t run = 0; run < plan.runs(); ++run) {
            const std::string id = run_id(spec, plan, run);
            if (fs::exists(parts / (id + ".failed"))) {
                result.failed.push_back({id, read_text_file(parts / (id + ".failed"))});
                continue;
            }
            const auto values = take_run(spec, (parts / (id + ".h5")).string(), runs.get(), id, shown);
            for (std::size_t o = 0; o < values.size(); ++o) {
                summary[plan.arm_of_run(run)][o][plan.row_of_run(run)] = values[o];
            }
        }
    }
    write_summary(file, spec, summary, shown);
    result.comparisons = write_compare(file, spec, summary, shown);
    write_sensitivity(file, spec, plan, summary[0], shown);
    write_failed(file, result.failed, shown);
    detail::write_attr_u64(file, "n_failed", result.failed.size(), shown);
    return result;
}

}  // namespace

AssembleResult assemble_sweep(const SweepSpec& spec, const SweepPlan& plan, const fs::path& parts, const std::string& output,
                              const std::string& sweep_hash) {
    const fs::path final_path(output);
    const fs::path temp = final_path.parent_path() / ("." + final_path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    AssembleResult result;
    try {
        const Hdf5Guard guard;
        H5Handle file = detail::create_file(temp.string(), output);
        result = write_all(file.get(), spec, plan, parts, sweep_hash, output);
        io::detail::check(file.close(), "cannot close sweep file", output);
    } catch (...) {
        std::error_code ec;
        fs::remove(temp, ec);
        throw;
    }
    fsync_path(temp, output);
    std::error_code ec;
    fs::rename(temp, final_path, ec);
    if (ec) {
        throw std::runtime_error("cannot move the finished sweep file onto '" + output + "': " + ec.message());
    }
    return result;
}

bool is_sweep_file(const std::string& path) {
    const Hdf5Guard guard;
    H5Handle file = detail::open_file(path);
    return detail::exists(file.get(), "sweep_yaml");
}

SweepData read_sweep(const std::string& path) {
    const Hdf5Guard guard;
    H5Handle file = detail::open_file(path);
    const hid_t f = file.get();
    if (!detail::exists(f, "sweep_yaml")) {
        throw std::runtime_error("'" + path + "' is not an ipsim sweep file (no /sweep_yaml)");
    }
    SweepData d;
    d.path = path;
    d.name = detail::read_attr_text(f, "sweep", path);
    d.sweep_yaml = detail::read_strings(f, "sweep_yaml", path).front();
    d.arms = detail::list_group(f, "summary", path);
    d.outputs = detail::list_group(f, "summary/base", path);
    for (const auto& name : detail::list_group(f, "design", path)) {
        if (name == "seed") {
            d.seeds = detail::read_doubles(f, "design/seed", path);
        } else if (name != "point") {
            d.parameters.push_back(name);
            d.design.push_back(detail::read_doubles(f, "design/" + name, path));
        }
    }
    for (const auto& arm : d.arms) {
        auto& per_arm = d.summary.emplace_back();
        for (const auto& o : d.outputs) {
            per_arm.push_back(detail::read_doubles(f, "summary/" + arm + "/" + o, path));
        }
    }
    for (const auto& o : d.outputs) {
        H5Handle ds = io::detail::make_handle(H5Dopen2(f, ("summary/base/" + o).c_str(), H5P_DEFAULT), H5Dclose, "cannot open", path);
        d.output_units.push_back(detail::read_attr_text(ds.get(), "units", path));
    }
    const auto runs = detail::list_group(f, "runs", path);
    if (!runs.empty()) {
        d.base_scenario_yaml = detail::read_strings(f, "runs/" + runs.front() + "/scenario_yaml", path).front();
    }
    return d;
}

}  // namespace ipsim::sweep
