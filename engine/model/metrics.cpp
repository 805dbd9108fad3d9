#include "model/metrics.hpp"

#include <array>
#include <cstring>
#include <string>

namespace ipsim::model {
namespace {

using S = Scope;

#define IPSIM_SECTOR_ENTRY(name, units, doc) MetricInfo{S::sector, #name, units, doc},
#define IPSIM_REGION_ENTRY(name, units, doc) MetricInfo{S::region, #name, units, doc},
#define IPSIM_REGION_SECTOR_ENTRY(name, units, doc) MetricInfo{S::region_sector, #name, units, doc},
#define IPSIM_NATIONAL_ENTRY(name, units, doc) MetricInfo{S::national, #name, units, doc},
constexpr std::array kCatalog = {
    IPSIM_SECTOR_METRICS(IPSIM_SECTOR_ENTRY)
        IPSIM_REGION_METRICS(IPSIM_REGION_ENTRY)
            IPSIM_REGION_SECTOR_METRICS(IPSIM_REGION_SECTOR_ENTRY)
                IPSIM_NATIONAL_METRICS(IPSIM_NATIONAL_ENTRY)};
#undef IPSIM_SECTOR_ENTRY
#undef IPSIM_REGION_ENTRY
#undef IPSIM_REGION_SECTOR_ENTRY
#undef IPSIM_NATIONAL_ENTRY
static_assert(kCatalog.size() == static_cast<std::size_t>(SectorMetric::count) + static_cast<std::size_t>(RegionMetric::count) +
                                     static_cast<std::size_t>(RegionSectorMetric::count) + static_cast<std::size_t>(NationalMetric::count));

}  // namespace

std::span<const MetricInfo> metric_catalog() noexcept { return kCatalog; }

std::size_t metric_count(Scope scope) noexcept {
    std::size_t n = 0;
    for (const auto& m : kCatalog) {
        n += m.scope == scope ? 1 : 0;
    }
    return n;
}

int metric_index(Scope scope, const std::string& name) noexcept {
    int i = 0;
    for (const auto& m : kCatalog) {
        if (m.scope != scope) {
            continue;
        }
        if (name == m.name) {
            return i;
        }
        ++i;
    }
    return -1;
}

const char* scope_group(Scope scope) noexcept {
    switch (scope) {
        case Scope::sector: return "sector";
        case Scope::region: return "region";
        case Scope::national: return "national";
        case Scope::region_sector: return "region_sector";
    }
    return "unknown";
}

void StepRecord::resize(std::size_t sectors, std::size_t regions) {
    n_sectors = sectors;
    n_regions = regions;
    sector.assign(metric_count(Scope::sector) * sectors, 0.0);
    region.assign(metric_count(Scope::region) * regions, 0.0);
    national.assign(metric_count(Scope::national), 0.0);
    region_sector.assign(metric_count(Scope::region_sector) * regions * sectors, 0.0);
}

std::string StepRecord::bad_index(Scope scope, std::size_t metric, std::size_t first, std::size_t second) const {
    std::string where = std::string(scope_group(scope)) + " metric id " + std::to_string(metric) + " (the catalog has " +
                        std::to_string(metric_count(scope)) + ")";
    switch (scope) {
        case Scope::sector: where += ", sector " + std::to_string(first); break;
        case Scope::region: where += ", region " + std::to_string(first); break;
        case Scope::region_sector: where += ", region " + std::to_string(first) + ", sector " + std::to_string(second); break;
        case Scope::national: break;
    }
    return "StepRecord write out of range: " + where + "; the record has " + std::to_string(n_sectors) + " sectors, " +
           std::to_string(n_regions) + " regions (resized with the catalog? a metric_index of an unknown name?)";
}

}  // namespace ipsim::model
