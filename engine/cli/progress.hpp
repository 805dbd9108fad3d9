/*!
 * @file progress.hpp
 * @brief The progress bar of long runs: pure formatting, plus a reporter that draws on a
 *        terminal and stays silent when output is piped.
 */
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/run_checks.hpp"

namespace ipsim::cli {

using model::quarter_label;  // "2019Q3" for 2019.5; in the model for the run checks' messages

/*! @brief "1m05s", "12s", "--" for a duration in seconds (negative: unknown). */
[[nodiscard]] std::string duration_text(double seconds);

/*! @brief One progress line: "[#####-----] 42/84 2025Q2 elapsed 3s eta 4s". */
[[nodiscard]] std::string progress_line(std::int64_t done, std::int64_t total, double year, double elapsed_seconds,
                                        int width = 30);

/*! @brief One sweep line: "[#####-----] 12/40 runs, 1 failed, elapsed 3s eta 9s"; the time left is
 *  extrapolated from the `fresh` runs finished since the start (runs resumed from disk do not count). */
[[nodiscard]] std::string sweep_progress_line(std::size_t done, std::size_t failed, std::size_t total, std::size_t fresh,
                                              double elapsed_seconds, int width = 30);

/*! @brief Draws progress on stderr when it is a terminal; does nothing otherwise. */
class ProgressReporter {
public:
    /*! @brief enabled = false (quiet, or not a terminal) makes every call a no-op. */
    explicit ProgressReporter(bool enabled);
    void update(std::int64_t done, std::int64_t total, double year);
    /*! @brief Draws a sweep's line (see sweep_progress_line). */
    void update_runs(std::size_t done, std::size_t failed, std::size_t total, std::size_t fresh);
    void finish() const;
    /*! @brief True if stderr is a terminal. */
    [[nodiscard]] static bool stderr_is_terminal() noexcept;

private:
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace ipsim::cli
