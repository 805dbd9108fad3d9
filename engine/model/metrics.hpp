/*!
 * @file metrics.hpp
 * @brief The declared outcomes of a run: which series exist, their units, and one step's values.
 *
 * The catalog is the single list of recorded series. The simulation fills a StepRecord per
 * quarter, laid out in catalog order, and hands it to a ResultSink: the HDF5 writer
 * (io/hdf5_writer.hpp, for single runs and a sweep's runs) creates one dataset per entry, and
 * the sweep store, `ipsim compare` and the end-of-run summary find series by catalog name.
 * Adding a metric means adding a catalog row and computing it in outcomes.cpp; no writer
 * changes. With IPSIM_SEATBELTS the StepRecord writers check their indices (core/seatbelts.hpp).
 */
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/seatbelts.hpp"

namespace ipsim::model {

/*! @brief Which axis a series has besides time. */
enum class Scope { sector, region, national, region_sector };

/*! @brief One recorded series. */
struct MetricInfo {
    Scope scope;
    const char* name;
    const char* units;
    const char* doc;
};

/*! @brief Every recorded series, grouped by scope, in output order. */
[[nodiscard]] std::span<const MetricInfo> metric_catalog() noexcept;

/*! @brief Number of catalog entries of a scope. */
[[nodiscard]] std::size_t metric_count(Scope scope) noexcept;

/*! @brief Position of a metric within its scope, or -1 if unknown. */
[[nodiscard]] int metric_index(Scope scope, const std::string& name) noexcept;

/*! @brief HDF5 group name of a scope: "sector", "region", "national", "region_sector". */
[[nodiscard]] const char* scope_group(Scope scope) noexcept;

/*! @brief Values of all series for one quarter.
 *
 *  Layout is metric-major: sector[m * n_sectors + s], region[m * n_regions + r],
 *  region_sector[(m * n_regions + r) * n_sectors + s], national[m].
 */
struct StepRecord {
    double year = 0.0;
    std::size_t n_sectors = 0;
    std::size_t n_regions = 0;
    std::vector<double> sector;
    std::vector<double> region;
    std::vector<double> national;
    std::vector<double> region_sector;

    void resize(std::size_t sectors, std::size_t regions);
    // The writers. With IPSIM_SEATBELTS each checks that the metric id is in its scope's catalog
    // (an unknown name's metric_index of -1 is a huge id) and the entity and position within the record.
    [[nodiscard]] double& at_sector(std::size_t metric, std::size_t s) {
        IPSIM_SEATBELT(metric < metric_count(Scope::sector) && s < n_sectors && metric * n_sectors + s < sector.size(),
                       bad_index(Scope::sector, metric, s, 0));
        return sector[metric * n_sectors + s];
    }
    [[nodiscard]] double& at_region(std::size_t metric, std::size_t r) {
        IPSIM_SEATBELT(metric < metric_count(Scope::region) && r < n_regions && metric * n_regions + r < region.size(),
                       bad_index(Scope::region, metric, r, 0));
        return region[metric * n_regions + r];
    }
    [[nodiscard]] double& at_national(std::size_t metric) {
        IPSIM_SEATBELT(metric < metric_count(Scope::national) && metric < national.size(),
                       bad_index(Scope::national, metric, 0, 0));
        return national[metric];
    }
    [[nodiscard]] double& at_region_sector(std::size_t metric, std::size_t r, std::size_t s) {
        IPSIM_SEATBELT(metric < metric_count(Scope::region_sector) && r < n_regions && s < n_sectors &&
                           (metric * n_regions + r) * n_sectors + s < region_sector.size(),
                       bad_index(Scope::region_sector, metric, r, s));
        return region_sector[(metric * n_regions + r) * n_sectors + s];
    }
    [[nodiscard]] double sector_value(std::size_t metric, std::size_t s) const { return sector[metric * n_sectors + s]; }
    [[nodiscard]] double region_value(std::size_t metric, std::size_t r) const { return region[metric * n_regions + r]; }
    [[nodiscard]] double national_value(std::size_t metric) const { return national[metric]; }

private:
    /*! Seatbelt message: the scope, metric id and entity indices of a write out of range, and the record's sizes. */
    [[nodiscard]] std::string bad_index(Scope scope, std::size_t metric, std::size_t first, std::size_t second) const;
};

/*! @brief Everything a writer needs before the first step. */
struct RunInfo {
    std::string ipsim_version;
    std::string scenario_name;
    std::string scenario_yaml;  //!< fully resolved scenario text
    unsigned long long seed = 0;
    std::size_t n_steps = 0;
    std::vector<std::string> sectors;
    std::vector<std::string> regions;
};

/*! @brief Receives a run's series step by step (HDF5 file, memory buffer, ...). */
class ResultSink {
public:
    virtual ~ResultSink() = default;
    /*! @brief Called once before the first step. */
    virtual void begin(const RunInfo& info) = 0;
    /*! @brief Called once per quarter, in order. */
    virtual void write_step(const StepRecord& record) = 0;
    /*! @brief Called after the last step: make the result visible. */
    virtual void finish() = 0;
};

}  // namespace ipsim::model
