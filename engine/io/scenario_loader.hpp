/*!
 * @file scenario_loader.hpp
 * @brief Turns a scenario file (plus `extends` bases and `--set` overrides) into a validated,
 *        immutable model::Scenario.
 *
 * Steps: parse YAML into a located tree; if it has `extends: BASE`, load the base (a file next
 * to it, or a shipped scenario by name) and merge this file over it; apply overrides; bind the
 * tree to the Scenario structs through their visit() lists (fields the tree does not set keep
 * their member initializers, the defaults), checking types, finiteness, ranges and unknown
 * keys; finally check cross-references (link sectors, region strengths, fund mandates, unique
 * names) and that the population fits in memory.
 * Every failure is an InputError naming file, line, column and field.
 */
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/scenario.hpp"

namespace ipsim::io {

/*! @brief A scenario ready to run, with its fully resolved text (defaults included). */
struct LoadedScenario {
    model::Scenario scenario;
    std::string resolved_yaml;
    std::string origin;              //!< file path or "embedded:NAME"
    std::vector<std::string> files;  //!< every file read: the scenario, then its `extends` bases
};

/*! @brief Bytes one firm slot takes (about 50 columns of 8 bytes). */
inline constexpr double kBytesPerFirmSlot = 400.0;
/*! @brief Firm slots reserved per initial firm (entrants over a long run). */
inline constexpr double kFirmGrowthHeadroom = 4.0;

/*! @brief The memory estimate by population, in bytes. */
struct MemoryBreakdown {
    double firms = 0.0;
    double governments = 0.0;
    double funds = 0.0;
};

/*! @brief The parts of estimated_memory_bytes(). */
[[nodiscard]] MemoryBreakdown memory_breakdown(const model::Scenario& scenario) noexcept;

/*! @brief Loads a scenario file. Throws InputError. */
[[nodiscard]] LoadedScenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides = {});

/*! @brief Loads a shipped scenario by name (e.g. "mic2025"). Throws InputError. */
[[nodiscard]] LoadedScenario load_embedded_scenario(std::string_view name, const std::vector<std::string>& overrides = {});

/*! @brief Loads scenario text; `display_name` is used in messages and to resolve relative `extends`. */
[[nodiscard]] LoadedScenario load_scenario_text(std::string_view text, const std::string& display_name,
                                                const std::vector<std::string>& overrides = {});

/*! @brief Bytes of memory a run of this scenario may need at its peak (estimate). */
[[nodiscard]] double estimated_memory_bytes(const model::Scenario& scenario) noexcept;

}  // namespace ipsim::io
