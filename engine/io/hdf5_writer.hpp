/*!
 * @file hdf5_writer.hpp
 * @brief Writes a run's series to one HDF5 file, one quarter at a time, appearing atomically.
 *
 * The file layout (see docs/output.md) follows the metric catalog: root attributes with the
 * version, seed and scenario name; `/scenario_yaml`; the axes `/time`, `/sectors`, `/regions`;
 * and one float64 dataset per catalog entry in `/sector`, `/region`, `/national` and
 * `/region_sector`, with time as the first axis. Every time-indexed dataset is chunked along
 * time with an unlimited time axis, shuffled and deflated, and grows by one row per
 * write_step(), so memory stays flat however long the run.
 *
 * The writer works on a hidden temporary file in the destination directory
 * (`.<name>.tmp-<pid>-<n>`) and renames it onto the requested path only in finish(), after
 * everything is flushed, closed and synced. A writer destroyed before finish() (an exception,
 * a cancelled run) deletes its temporary file, so a failed run never leaves a partial file under
 * the requested name nor replaces an existing one. HDF5 failures become std::runtime_error
 * naming the path. HDF5 headers stay out of this interface.
 */
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/metrics.hpp"

namespace ipsim::io {

/*! @brief A ResultSink that streams a run into an HDF5 file. */
class Hdf5Writer final : public model::ResultSink {
public:
    /*! @brief Creates the temporary file next to `path`; throws std::runtime_error if it cannot. */
    explicit Hdf5Writer(std::string path);
    /*! @brief Without a successful finish(), closes and deletes the temporary file. */
    ~Hdf5Writer() override;
    Hdf5Writer(const Hdf5Writer&) = delete;
    Hdf5Writer& operator=(const Hdf5Writer&) = delete;

    /*! @brief Writes attributes, scenario text and axes; creates one empty dataset per metric. */
    void begin(const model::RunInfo& info) override;
    /*! @brief Appends one row to every time-indexed dataset. */
    void write_step(const model::StepRecord& record) override;
    /*! @brief Marks the file complete, flushes, closes, syncs and renames it onto the path. */
    void finish() override;

    /*! @brief Before begin(): write only these series ("sector/output", "national/fiscal_cost", ...);
     *  empty (the default) writes every catalog metric. Sweeps use it for keep_series. */
    void keep_only(std::vector<std::string> series) { only_ = std::move(series); }

    /*! @brief The requested output path. */
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    /*! @brief The temporary file written until finish(). */
    [[nodiscard]] const std::filesystem::path& temp_path() const noexcept { return temp_path_; }
    /*! @brief Rows written so far. */
    [[nodiscard]] std::size_t steps_written() const noexcept { return steps_; }

private:
    struct Impl;

    void discard() noexcept;
    void close_all();

    std::string path_;
    std::filesystem::path temp_path_;
    std::unique_ptr<Impl> impl_;
    std::vector<std::string> only_;
    std::size_t steps_ = 0;
    bool begun_ = false;
    bool finished_ = false;
};

}  // namespace ipsim::io
