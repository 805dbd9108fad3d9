/*!
 * @file design_commands.hpp
 * @brief `ipsim design` and `ipsim analyze`: experiment designs and sensitivity indices as
 *        standalone tools on CSV files, with SALib's conventions.
 *
 * register_design_commands() adds both subcommands to the CLI11 app and binds their options
 * to the structs here; design_command() and analyze_command() do the work, throwing
 * io::InputError for bad input (exit 2) like the other commands.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ipsim::cli {

/*! @brief Options of `ipsim design`. */
struct DesignOptions {
    std::string method;
    std::vector<std::string> params;  //!< NAME=MIN:MAX
    std::size_t samples = 0;
    std::uint64_t seed = 0;
    bool second_order = false;
    std::optional<std::size_t> levels;  //!< Morris levels (default 4)
    std::string output;                 //!< empty: standard output
};

/*! @brief Options of `ipsim analyze`. */
struct AnalyzeOptions {
    std::string method;
    std::string design;
    std::string outputs;
    std::string json;
    bool second_order = false;
    std::size_t resamples = 1000;
};

/*! @brief Adds the `design` and `analyze` subcommands, bound to `design` and `analyze`. */
void register_design_commands(CLI::App& app, DesignOptions& design, AnalyzeOptions& analyze);
/*! @brief Writes a design as CSV. */
[[nodiscard]] int design_command(const DesignOptions& options);
/*! @brief Computes Sobol or Morris indices of every output column; prints them, optionally writes JSON. */
[[nodiscard]] int analyze_command(const AnalyzeOptions& options);

}  // namespace ipsim::cli
