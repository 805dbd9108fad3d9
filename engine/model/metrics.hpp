/*!
 * @file metrics.hpp
 * @brief The declared outcomes of a run: which series exist, their units, and one step's values.
 *
 * The series are declared once, per scope, in the IPSIM_*_METRICS lists below; the catalog
 * (names, units, meanings, in output order) and the typed ids (SectorMetric::utilization, ...)
 * are generated from them, so outcomes.cpp writes through ids the compiler checks instead of
 * looking names up. The simulation fills a StepRecord per quarter, laid out in catalog order,
 * and hands it to a ResultSink: the HDF5 writer (io/hdf5_writer.hpp, for single runs and a
 * sweep's runs) creates one dataset per entry, and the sweep store, `ipsim compare` and the
 * end-of-run summary find series by catalog name. Adding a metric means adding a line to its
 * scope's list and computing it in outcomes.cpp through its id; no writer changes. With
 * IPSIM_SEATBELTS the StepRecord writers check their indices (core/seatbelts.hpp).
 */
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/seatbelts.hpp"

namespace ipsim::model {

/*! @brief Which axis a series has besides time. */
enum class Scope {
    sector,
    region,
    national,
    region_sector
};

/*! @brief One recorded series. */
struct MetricInfo {
    Scope scope;
    const char* name;
    const char* units;
    const char* doc;
};

inline constexpr const char* kUnitFlow = "bn CNY per quarter";
inline constexpr const char* kUnitReal = "bn CNY (initial prices) per quarter";

// The recorded series, declared once per scope: the catalog, the typed metric ids below and the
// writers all come from these lists. Adding a series means adding a line here and computing it
// in outcomes.cpp (written through its typed id); no writer changes.
/*! @brief The sector series, X(name, units, meaning), in output order. */
#define IPSIM_SECTOR_METRICS(X) \
    X(capacity, kUnitReal, "usable production capacity of China-located firms") \
    X(output, kUnitReal, "output of China-located firms") \
    X(utilization, "1", "output / capacity of China-located firms") \
    X(price, "index (start = 1)", "sales-weighted price index of China-located firms, world market included") \
    X(domestic_share, "1", "share of China's market supplied by China-located firms (self-sufficiency)") \
    X(import_share, "1", "share of China's market supplied by imports (1 - domestic_share)") \
    X(chinese_firm_share, "1", "share of China's market supplied by Chinese-owned firms (excludes localized foreign firms)") \
    X(world_share, "1", "China-located output / world output") \
    X(exports, kUnitFlow, "sales of China-located firms in the rest of the world") \
    X(subsidies, kUnitFlow, "output and investment subsidies paid, central and local") \
    X(subsidies_central, kUnitFlow, "subsidies paid by the central government") \
    X(subsidies_local, kUnitFlow, "subsidies paid by local governments") \
    X(firms, "firms", "China-located firms alive (Chinese-owned and localized foreign)") \
    X(entries, "firms per quarter", "firms that entered this quarter") \
    X(exits, "firms per quarter", "firms that exited this quarter") \
    X(zombies, "firms", "zombie firms (operating profit below interest for zombie_years years)") \
    X(productivity, "share of frontier", "output-weighted productivity of China-located firms relative to the world frontier") \
    X(frontier_gap, "1", "1 - productivity") \
    X(chinese_productivity, "share of frontier", "output-weighted productivity of Chinese-owned firms relative to the world frontier") \
    X(hhi, "1", "Herfindahl index of China-located firms' output shares") \
    X(margin, "1", "operating profit / revenue of China-located firms") \
    X(price_cost_margin, "1", "output-weighted price (net of R&D) over full unit cost, minus 1, of China-located firms (falls in price wars and overcapacity)") \
    X(normal_utilization, "1", "expected utilisation of a firm without policy that sizes capacity for the demand uncertainty the sector's firms have seen (the price-war benchmark)") \
    X(scrapped, kUnitReal, "capacity scrapped, or sold off in distress, by China-located firms this quarter") \
    X(capacity_under_construction, kUnitReal, "capacity ordered by China-located firms and not yet finished (at their current capital per unit)") \
    X(refinanced, "firms per quarter", "firms in distress whose lenders rolled their loans over this quarter") \
    X(distress_sales, "firms per quarter", "firms refused by their lenders that sold capital at the distress price to repay the loans due (instead of defaulting)") \
    X(bailouts, "firms per quarter", "firms bailed out by their local government this quarter") \
    X(inputs, kUnitFlow, "purchases of China-located firms from the modelled sectors (input-output links, current prices)") \
    X(investment, kUnitFlow, "gross fixed investment of China-located firms") \
    X(rd, kUnitFlow, "R&D spending of China-located firms") \
    X(fund_equity, kUnitFlow, "state-fund equity invested in the sector this quarter") \
    X(china_demand, kUnitReal, "quantity demanded in China (final plus intermediate)") \
    X(world_demand, kUnitReal, "quantity demanded in the rest of the world") \
    X(tariff, "ad valorem", "foreign tariff on Chinese exports in force") \
    X(export_control, "1", "share of foreign core components cut off") \
    X(focus_governments, "local governments", "local governments with the sector among their focus sectors") \
    X(priority, "1", "central priority weight in force (raised by target shortfall)")

/*! @brief The region series, X(name, units, meaning), in output order. */
#define IPSIM_REGION_METRICS(X) \
    X(subsidies, kUnitFlow, "industrial support paid by the region's local governments (subsidies, fund contributions, bail-outs)") \
    X(revenue, kUnitFlow, "local revenue: taxes, land sales, central transfers") \
    X(debt, "bn CNY", "local government debt") \
    X(debt_ratio, "debt per annual revenue", "debt / (4 x quarterly revenue)") \
    X(value_added, kUnitFlow, "value added of China-located firms in the region: revenue less purchases from the modelled sectors, both at current prices") \
    X(transfers, kUnitFlow, "central transfers received (tournament and size shares)") \
    X(land_revenue, kUnitFlow, "land-sale revenue") \
    X(bailouts, kUnitFlow, "bail-out payments to insolvent firms") \
    X(support_multiplier, "1", "share of desired support a local government can afford under its debt limit") \
    X(focus_sectors, "sectors", "mean number of focus sectors of the region's local governments") \
    X(spending, kUnitFlow, "non-industrial spending of the region's local governments (fiscal reaction rule)") \
    X(support_debt, "bn CNY", "debt attributable to industrial support: cumulative local support outlays (subsidies, fund capital calls, bail-outs) net of local corporate tax from supported firms, with interest")

/*! @brief The region x sector series, X(name, units, meaning), in output order. */
#define IPSIM_REGION_SECTOR_METRICS(X) \
    X(focus, "1", "share of the region's local governments focusing on the sector")

/*! @brief The national series, X(name, units, meaning), in output order. */
#define IPSIM_NATIONAL_METRICS(X) \
    X(fiscal_cost, kUnitFlow, "subsidies, tax expenditures, interest subsidies, fund paid-in capital and bail-outs, central and local") \
    X(self_sufficiency, "1", "domestic share of China's market over all sectors: chained index, each quarter's change of sector domestic shares at last quarter's market values") \
    X(self_sufficiency_fixed_weights, "1", "sector domestic shares weighted by the value of China's market at the start") \
    X(self_sufficiency_quantity, "1", "China-located sales in China over all sales in China, summed as quantities at initial prices (weights drift to fast-growing sectors)") \
    X(zombie_share, "1", "share of China-located firms that are zombies") \
    X(zombie_capital_share, "1", "share of China-located capital held by zombies") \
    X(soe_revenue_share_key, "1", "SOE share of Chinese-owned firms' revenue in key industries (sectors with key_industry: true)") \
    X(misallocation_tfp_gain, "1", "TFP gain from equalising marginal revenue products (Hsieh-Klenow 2009)") \
    X(local_debt, "bn CNY", "debt of all local governments") \
    X(support_debt, "bn CNY", "local debt attributable to industrial support (sum of region/support_debt)") \
    X(support_outlays_debt, "bn CNY", "cumulative local support outlays with interest, before the tax supported firms pay back") \
    X(structural_gap_debt, "bn CNY", "local debt attributable to the assumed structural gap (other_spending_share - 1) x revenue base, with interest") \
    X(local_spending, kUnitFlow, "non-industrial spending of all local governments") \
    X(focus_slots, "government-sectors", "focus sectors summed over local governments") \
    X(focus_concentration, "1", "Herfindahl index of focus slots over sectors (1/sectors when spread evenly, 1 when all on one sector)") \
    X(funds_pledged, "bn CNY", "cumulative capital pledged to state funds") \
    X(funds_paid_in, "bn CNY", "cumulative capital paid in") \
    X(funds_invested, "bn CNY", "cumulative equity invested") \
    X(funds_portfolio_value, "bn CNY", "holdings marked to the firms' equity, capital carried at the lower of book and earnings value") \
    X(funds_write_offs, "bn CNY", "cumulative holdings written off on exit") \
    X(firms, "firms", "all firms alive, foreign exporters included") \
    X(accounting_residual, "bn CNY", "sum of all money stocks minus its initial value (must be 0 up to rounding)")

#define IPSIM_METRIC_ID(name, units, doc) name,
/*! @brief Typed ids of the series of each scope: the position within the scope's catalog. */
enum class SectorMetric : std::size_t {
    IPSIM_SECTOR_METRICS(IPSIM_METRIC_ID) count
};
enum class RegionMetric : std::size_t {
    IPSIM_REGION_METRICS(IPSIM_METRIC_ID) count
};
enum class RegionSectorMetric : std::size_t {
    IPSIM_REGION_SECTOR_METRICS(IPSIM_METRIC_ID) count
};
enum class NationalMetric : std::size_t {
    IPSIM_NATIONAL_METRICS(IPSIM_METRIC_ID) count
};
#undef IPSIM_METRIC_ID

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
    // Typed writers: what outcomes.cpp uses.
    [[nodiscard]] double& at(SectorMetric m, std::size_t s) { return at_sector(static_cast<std::size_t>(m), s); }
    [[nodiscard]] double& at(RegionMetric m, std::size_t r) { return at_region(static_cast<std::size_t>(m), r); }
    [[nodiscard]] double& at(NationalMetric m) { return at_national(static_cast<std::size_t>(m)); }
    [[nodiscard]] double& at(RegionSectorMetric m, std::size_t r, std::size_t s) {
        return at_region_sector(static_cast<std::size_t>(m), r, s);
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
