/*!
 * @file sweep_commands.hpp
 * @brief `ipsim sweep` and `ipsim compare`: options, registration with CLI11, and the commands.
 *
 * Kept apart from commands.cpp so the experiment layer adds one file and two lines to
 * main.cpp. Exit codes follow the program's contract: 0 success, 2 bad input (nothing
 * written), 1 a run failed (the sweep file is still written, failures recorded), 130
 * interrupted (finished runs kept for --resume).
 */
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ipsim::cli {

/*! @brief Options of `ipsim sweep`. */
struct SweepOptions {
    std::string file;
    std::string output;  //!< empty: <sweep name>.h5
    unsigned threads = 0;
    bool resume = false;
    bool quiet = false;
};

/*! @brief Options of `ipsim compare`. */
struct CompareOptions {
    std::vector<std::string> files;
    bool csv = false;
    bool json = false;
    double last_years = 1.0;  //!< single runs: mean over the last N years
    bool sectors = false;     //!< single runs: every sector series too
    double year = 0.0;        //!< single runs: one calendar year instead of the last years
};

/*! @brief Adds the `sweep` and `compare` subcommands. */
void add_sweep_commands(CLI::App& app, SweepOptions& sweep, CompareOptions& compare);

/*! @brief Runs a sweep file; prints progress and the paired comparisons. */
[[nodiscard]] int sweep_command(const SweepOptions& options);

/*! @brief Compares result or sweep files; a table, CSV or JSON on stdout. */
[[nodiscard]] int compare_command(const CompareOptions& options);

}  // namespace ipsim::cli
