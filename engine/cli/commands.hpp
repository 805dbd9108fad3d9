/*!
 * @file commands.hpp
 * @brief The commands of the `ipsim` program, each a function of a plain options struct.
 *
 * Parsing (main.cpp, CLI11) fills the structs; the functions here do the work and return the
 * exit code. They throw io::InputError for bad input (exit 2) and other exceptions for
 * failures while running (exit 1).
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ipsim::cli {

/*! @brief Exit codes of the program (the contract scripts rely on). */
enum ExitCode : int {
    kSuccess = 0,
    kRunFailure = 1,
    kBadInput = 2,
    kSignalBase = 128,
    kInterrupted = 130,
    kTerminated = 143
};

/*! @brief Options of `ipsim run`. */
struct RunOptions {
    std::string scenario;                //!< file path or shipped scenario name; empty: mic2025
    std::optional<std::string> output;   //!< absent: <scenario name>.h5 (sanitised)
    std::optional<std::string> seed;     //!< decimal text, checked by run_command
    unsigned threads = 0;                //!< 0: all cores
    std::vector<std::string> overrides;  //!< --set PATH=VALUE
    bool quiet = false;
    bool profile = false;  //!< --profile: time per phase, printed after the run (even with --quiet)
};

/*! @brief Options of `ipsim validate`. */
struct ValidateOptions {
    std::string scenario;
    std::vector<std::string> overrides;
    bool print = false;
};

/*! @brief The seed given as text: a whole number 0 .. 9e15 (the scenario's seed range). Throws InputError. */
[[nodiscard]] std::int64_t parse_seed(const std::string& text);

/*! @brief A scenario name made safe as a file name in the working folder: only letters, digits,
 *  '-', '_' and inner '.', at most 100 characters, never empty, '.' or '..'. */
[[nodiscard]] std::string safe_file_stem(const std::string& scenario_name);

/*! @brief Runs a scenario into an HDF5 file; prints progress and a summary. Refuses (InputError)
 *  an output path that is a directory, device, FIFO, socket or symbolic link, one of the
 *  scenario files read, or an existing file that is not an ipsim result. SIGINT, SIGTERM and
 *  SIGHUP stop the run without output; the exit code is 128 + the signal number. */
[[nodiscard]] int run_command(const RunOptions& options);
/*! @brief Loads and checks a scenario without running it. */
[[nodiscard]] int validate_command(const ValidateOptions& options);
/*! @brief Lists the shipped scenarios, or prints one (`show` non-empty). */
[[nodiscard]] int scenarios_command(const std::string& show);
/*! @brief Describes a result file. */
[[nodiscard]] int info_command(const std::string& path);
/*! @brief Prints the scenario reference (every field). */
[[nodiscard]] int schema_command();

}  // namespace ipsim::cli
