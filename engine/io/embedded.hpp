/*!
 * @file embedded.hpp
 * @brief The shipped scenarios (the YAML files of scenarios/) compiled into the library.
 */
#pragma once

#include <span>
#include <string_view>

namespace ipsim::io {

/*! @brief One shipped scenario: its name (file stem) and YAML text. */
struct EmbeddedScenario {
    std::string_view name;
    std::string_view text;
};

/*! @brief All shipped scenarios, in the order of the build's list. */
[[nodiscard]] std::span<const EmbeddedScenario> embedded_scenarios() noexcept;

}  // namespace ipsim::io
