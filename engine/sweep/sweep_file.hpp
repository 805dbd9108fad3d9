/*!
 * @file sweep_file.hpp
 * @brief A sweep file (YAML) read into a validated, immutable SweepSpec.
 *
 * A sweep names a base scenario, the parameters to vary (scenario paths as for `--set`), a
 * design, the seeds, optional policy arms run with the same seeds and parameter values, the
 * scalar outputs kept per run and which series to keep. Reading it resolves every scenario
 * reference (a file next to the sweep file, else a shipped scenario), loads the base and each
 * arm with the parameters at their extremes (so a path or value that `--set` would refuse is
 * reported before anything runs), and checks outputs against the metric catalog and the
 * base's sectors and regions. Every problem is an io::InputError naming `file:line:col` and the
 * key, in the loader's wording. See docs/sweeps.md for the format.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/scenario_loader.hpp"
#include "model/metrics.hpp"
#include "sweep/parameters.hpp"

namespace ipsim::sweep {

/*! @brief A scenario named in a sweep: a file (text read once) or a shipped scenario. */
struct ScenarioRef {
    std::string written;    //!< as written in the sweep file
    bool embedded = false;  //!< a shipped scenario: `name` is its name
    std::string name;       //!< file path (resolved against the sweep file) or shipped name
    std::string text;       //!< file contents (empty for shipped scenarios)
};

/*! @brief The design block. */
struct DesignSettings {
    std::string method = "grid";      //!< grid, random, lhs, sobol, morris
    std::size_t samples = 0;          //!< points (random, lhs), base samples (sobol), trajectories (morris)
    std::vector<std::size_t> levels;  //!< grid: levels per parameter
    std::uint64_t seed = 1;           //!< seed of the design's random numbers
    bool second_order = false;        //!< sobol: also second-order indices
    std::size_t morris_levels = 4;    //!< morris: levels of the grid
};

/*! @brief One arm: the base ("base") or an alternative scenario run on the same rows. */
struct Arm {
    std::string name;
    ScenarioRef scenario;                //!< the base's for arms given only as overrides
    std::vector<std::string> overrides;  //!< common `base.set`, then the arm's own
    std::string resolved_yaml;           //!< the arm's scenario with parameters at their lowest
};

/*! @brief How an output reduces a series over its years. */
enum class Stat {
    mean,
    sum,
    min,
    max,
    first,
    last
};

/*! @brief One scalar output per run. */
struct Output {
    std::string name;
    std::string metric;
    model::Scope scope = model::Scope::national;
    std::string entity;      //!< sector or region name; "" for national
    std::size_t column = 0;  //!< index of the entity in the run's sectors or regions
    double year_from = 0.0;  //!< first calendar year included (whole years)
    double year_to = 0.0;    //!< last calendar year included
    Stat stat = Stat::mean;
};

/*! @brief A validated sweep. */
struct SweepSpec {
    std::string name;
    std::string description;
    std::string file;  //!< the sweep file as given
    std::vector<Parameter> parameters;
    DesignSettings design;
    std::vector<std::uint64_t> seeds;
    std::vector<Arm> arms;  //!< arms[0] is the base
    std::vector<Output> outputs;
    bool keep_all = true;              //!< keep_series: all
    std::vector<std::string> keep;     //!< kept datasets, e.g. "sector/output" (when !keep_all)
    std::vector<std::string> sectors;  //!< of the base scenario
    std::vector<std::string> regions;
    std::string base_yaml;  //!< resolved base scenario (parameters at their defaults)
};

/*! @brief Reads and validates a sweep file. Throws io::InputError. */
[[nodiscard]] SweepSpec load_sweep_file(const std::string& path);

/*! @brief Reads and validates sweep text; `display_name` is used in messages and to resolve
 *  relative scenario files. Throws io::InputError. */
[[nodiscard]] SweepSpec load_sweep_text(const std::string& text, const std::string& display_name);

/*! @brief The sweep written back as YAML with every default filled in (stored in /sweep_yaml). */
[[nodiscard]] std::string resolved_sweep_yaml(const SweepSpec& spec);

/*! @brief Loads the scenario of one arm with extra overrides (parameter values). */
[[nodiscard]] io::LoadedScenario load_arm(const Arm& arm, const std::vector<std::string>& extra);

/*! @brief "mean", "sum", ... */
[[nodiscard]] const char* stat_name(Stat stat) noexcept;

}  // namespace ipsim::sweep
