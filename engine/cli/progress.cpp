#include "cli/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace ipsim::cli {

std::string duration_text(double seconds) {
    if (!(seconds >= 0.0) || !std::isfinite(seconds)) {
        return "--";
    }
    const auto s = static_cast<long long>(std::llround(seconds));
    if (s < 60) {
        return std::to_string(s) + "s";
    }
    const long long m = s / 60;
    const long long r = s % 60;
    return std::to_string(m) + "m" + (r < 10 ? "0" : "") + std::to_string(r) + "s";
}

std::string progress_line(std::int64_t done, std::int64_t total, double year, double elapsed_seconds, int width) {
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int filled = static_cast<int>(std::lround(fraction * width));
    std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-') + "]";
    const double eta = done > 0 ? elapsed_seconds * static_cast<double>(total - done) / static_cast<double>(done) : -1.0;
    return bar + " " + std::to_string(done) + "/" + std::to_string(total) + " " + quarter_label(year) + " elapsed " +
           duration_text(elapsed_seconds) + " eta " + duration_text(eta);
}

std::string sweep_progress_line(std::size_t done, std::size_t failed, std::size_t total, std::size_t fresh,
                                double elapsed_seconds, int width) {
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int filled = static_cast<int>(std::lround(fraction * width));
    const std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-') + "]";
    const double eta = fresh > 0 ? elapsed_seconds * static_cast<double>(total - done) / static_cast<double>(fresh) : -1.0;
    return bar + " " + std::to_string(done) + "/" + std::to_string(total) + " runs, " + std::to_string(failed) + " failed, elapsed " +
           duration_text(elapsed_seconds) + " eta " + duration_text(done == total ? 0.0 : eta);
}

ProgressReporter::ProgressReporter(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

bool ProgressReporter::stderr_is_terminal() noexcept { return isatty(STDERR_FILENO) == 1; }

void ProgressReporter::update(std::int64_t done, std::int64_t total, double year) {
    if (!enabled_) {
        return;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "\r\033[K%s", progress_line(done, total, year, elapsed).c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressReporter::update_runs(std::size_t done, std::size_t failed, std::size_t total, std::size_t fresh) {
    if (!enabled_) {
        return;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "\r\033[K%s", sweep_progress_line(done, failed, total, fresh, elapsed).c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressReporter::finish() const {
    if (enabled_ && drawn_) {
        std::fprintf(stderr, "\n");
    }
}

}  // namespace ipsim::cli
