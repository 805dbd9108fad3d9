/*!
 * @file result_reader.hpp
 * @brief Reads back a result file written by Hdf5Writer, for `ipsim info`, analysis and tests.
 *
 * The reader discovers datasets from the file itself rather than from the compiled-in metric
 * catalog, so it also lists files written by other ipsim versions. Everything is returned as
 * plain standard-library values; HDF5 headers stay out of this interface. Any failure (missing
 * file, not HDF5, missing dataset) is a std::runtime_error naming the path.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ipsim::io {

/*! @brief What a result file contains: run identity, axes, and the list of series. */
struct ResultSummary {
    /*! @brief One time-indexed dataset of a metric group. */
    struct Series {
        std::string path;                //!< e.g. "/sector/output"
        std::string units;               //!< the `units` attribute ("" if absent)
        std::string description;         //!< the `description` attribute ("" if absent)
        std::vector<std::size_t> shape;  //!< time first, then region and/or sector
    };

    std::string ipsim_version;
    std::string scenario;
    std::uint64_t seed = 0;
    bool complete = false;  //!< the `complete` attribute set by Hdf5Writer::finish()
    std::vector<double> time;
    std::vector<std::string> sectors;
    std::vector<std::string> regions;
    std::vector<Series> series;  //!< the metric groups' datasets, in the order they were written
};

/*! @brief Reads attributes, axes and the dataset list of a result file. */
[[nodiscard]] ResultSummary read_result_summary(const std::string& path);

/*! @brief Reads one dataset (e.g. "/sector/output") as float64, flattened row-major. */
[[nodiscard]] std::vector<double> read_series(const std::string& path, const std::string& dataset);

/*! @brief Reads the resolved scenario text stored in `/scenario_yaml`. */
[[nodiscard]] std::string read_scenario_yaml(const std::string& path);

/*! @brief True if `path` is an HDF5 file with ipsim's root attributes (one ipsim may replace). */
[[nodiscard]] bool is_ipsim_result(const std::string& path) noexcept;

/*! @brief A readable multi-line listing of a summary, as printed by `ipsim info`. */
[[nodiscard]] std::string format_summary(const ResultSummary& summary);

}  // namespace ipsim::io
