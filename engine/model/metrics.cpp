#include "model/metrics.hpp"

#include <array>
#include <cstring>
#include <string>

namespace ipsim::model {
namespace {

using S = Scope;
constexpr const char* kFlow = "bn CNY per quarter";
constexpr const char* kReal = "bn CNY (initial prices) per quarter";

constexpr std::array kCatalog = {
    MetricInfo{S::sector, "capacity", kReal, "usable production capacity of China-located firms"},
    MetricInfo{S::sector, "output", kReal, "output of China-located firms"},
    MetricInfo{S::sector, "utilization", "1", "output / capacity of China-located firms"},
    MetricInfo{S::sector, "price", "index (start = 1)", "sales-weighted price index of China-located firms, world market included"},
    MetricInfo{S::sector, "domestic_share", "1", "share of China's market supplied by China-located firms (self-sufficiency)"},
    MetricInfo{S::sector, "import_share", "1", "share of China's market supplied by imports (1 - domestic_share)"},
    MetricInfo{S::sector, "chinese_firm_share", "1", "share of China's market supplied by Chinese-owned firms (excludes localized foreign firms)"},
    MetricInfo{S::sector, "world_share", "1", "China-located output / world output"},
    MetricInfo{S::sector, "exports", kFlow, "sales of China-located firms in the rest of the world"},
    MetricInfo{S::sector, "subsidies", kFlow, "output and investment subsidies paid, central and local"},
    MetricInfo{S::sector, "subsidies_central", kFlow, "subsidies paid by the central government"},
    MetricInfo{S::sector, "subsidies_local", kFlow, "subsidies paid by local governments"},
    MetricInfo{S::sector, "firms", "firms", "China-located firms alive (Chinese-owned and localized foreign)"},
    MetricInfo{S::sector, "entries", "firms per quarter", "firms that entered this quarter"},
    MetricInfo{S::sector, "exits", "firms per quarter", "firms that exited this quarter"},
    MetricInfo{S::sector, "zombies", "firms", "zombie firms (operating profit below interest for zombie_years years)"},
    MetricInfo{S::sector, "productivity", "share of frontier", "output-weighted productivity of China-located firms relative to the world frontier"},
    MetricInfo{S::sector, "frontier_gap", "1", "1 - productivity"},
    MetricInfo{S::sector, "chinese_productivity", "share of frontier", "output-weighted productivity of Chinese-owned firms relative to the world frontier"},
    MetricInfo{S::sector, "hhi", "1", "Herfindahl index of China-located firms' output shares"},
    MetricInfo{S::sector, "margin", "1", "operating profit / revenue of China-located firms"},
    MetricInfo{S::sector, "price_cost_margin", "1", "output-weighted price (net of R&D) over full unit cost, minus 1, of China-located firms (falls in price wars and overcapacity)"},
    MetricInfo{S::sector, "normal_utilization", "1", "expected utilisation of a firm without policy that sizes capacity for the demand uncertainty the sector's firms have seen (the price-war benchmark)"},
    MetricInfo{S::sector, "scrapped", kReal, "capacity scrapped, or sold off in distress, by China-located firms this quarter"},
    MetricInfo{S::sector, "capacity_under_construction", kReal, "capacity ordered by China-located firms and not yet finished (at their current capital per unit)"},
    MetricInfo{S::sector, "refinanced", "firms per quarter", "firms in distress whose lenders rolled their loans over this quarter"},
    MetricInfo{S::sector, "distress_sales", "firms per quarter", "firms refused by their lenders that sold capital at the distress price to repay the loans due (instead of defaulting)"},
    MetricInfo{S::sector, "bailouts", "firms per quarter", "firms bailed out by their local government this quarter"},
    MetricInfo{S::sector, "inputs", kFlow, "purchases of China-located firms from the modelled sectors (input-output links, current prices)"},
    MetricInfo{S::sector, "investment", kFlow, "gross fixed investment of China-located firms"},
    MetricInfo{S::sector, "rd", kFlow, "R&D spending of China-located firms"},
    MetricInfo{S::sector, "fund_equity", kFlow, "state-fund equity invested in the sector this quarter"},
    MetricInfo{S::sector, "china_demand", kReal, "quantity demanded in China (final plus intermediate)"},
    MetricInfo{S::sector, "world_demand", kReal, "quantity demanded in the rest of the world"},
    MetricInfo{S::sector, "tariff", "ad valorem", "foreign tariff on Chinese exports in force"},
    MetricInfo{S::sector, "export_control", "1", "share of foreign core components cut off"},
    MetricInfo{S::sector, "focus_governments", "local governments", "local governments with the sector among their focus sectors"},
    MetricInfo{S::sector, "priority", "1", "central priority weight in force (raised by target shortfall)"},

    MetricInfo{S::region, "subsidies", kFlow, "industrial support paid by the region's local governments (subsidies, fund contributions, bail-outs)"},
    MetricInfo{S::region, "revenue", kFlow, "local revenue: taxes, land sales, central transfers"},
    MetricInfo{S::region, "debt", "bn CNY", "local government debt"},
    MetricInfo{S::region, "debt_ratio", "debt per annual revenue", "debt / (4 x quarterly revenue)"},
    MetricInfo{S::region, "value_added", kFlow, "value added of China-located firms in the region: revenue less purchases from the modelled sectors, both at current prices"},
    MetricInfo{S::region, "transfers", kFlow, "central transfers received (tournament and size shares)"},
    MetricInfo{S::region, "land_revenue", kFlow, "land-sale revenue"},
    MetricInfo{S::region, "bailouts", kFlow, "bail-out payments to insolvent firms"},
    MetricInfo{S::region, "support_multiplier", "1", "share of desired support a local government can afford under its debt limit"},
    MetricInfo{S::region, "focus_sectors", "sectors", "mean number of focus sectors of the region's local governments"},
    MetricInfo{S::region, "spending", kFlow, "non-industrial spending of the region's local governments (fiscal reaction rule)"},
    MetricInfo{S::region, "support_debt", "bn CNY", "debt attributable to industrial support: cumulative local support outlays (subsidies, fund capital calls, bail-outs) net of local corporate tax from supported firms, with interest"},

    MetricInfo{S::region_sector, "focus", "1", "share of the region's local governments focusing on the sector"},

    MetricInfo{S::national, "fiscal_cost", kFlow, "subsidies, tax expenditures, interest subsidies, fund paid-in capital and bail-outs, central and local"},
    MetricInfo{S::national, "self_sufficiency", "1", "domestic share of China's market over all sectors: chained index, each quarter's change of sector domestic shares at last quarter's market values"},
    MetricInfo{S::national, "self_sufficiency_fixed_weights", "1", "sector domestic shares weighted by the value of China's market at the start"},
    MetricInfo{S::national, "self_sufficiency_quantity", "1", "China-located sales in China over all sales in China, summed as quantities at initial prices (weights drift to fast-growing sectors)"},
    MetricInfo{S::national, "zombie_share", "1", "share of China-located firms that are zombies"},
    MetricInfo{S::national, "zombie_capital_share", "1", "share of China-located capital held by zombies"},
    MetricInfo{S::national, "soe_revenue_share_key", "1", "SOE share of Chinese-owned firms' revenue in key industries (sectors with key_industry: true)"},
    MetricInfo{S::national, "misallocation_tfp_gain", "1", "TFP gain from equalising marginal revenue products (Hsieh-Klenow 2009)"},
    MetricInfo{S::national, "local_debt", "bn CNY", "debt of all local governments"},
    MetricInfo{S::national, "support_debt", "bn CNY", "local debt attributable to industrial support (sum of region/support_debt)"},
    MetricInfo{S::national, "support_outlays_debt", "bn CNY", "cumulative local support outlays with interest, before the tax supported firms pay back"},
    MetricInfo{S::national, "structural_gap_debt", "bn CNY", "local debt attributable to the assumed structural gap (other_spending_share - 1) x revenue base, with interest"},
    MetricInfo{S::national, "local_spending", kFlow, "non-industrial spending of all local governments"},
    MetricInfo{S::national, "focus_slots", "government-sectors", "focus sectors summed over local governments"},
    MetricInfo{S::national, "focus_concentration", "1", "Herfindahl index of focus slots over sectors (1/sectors when spread evenly, 1 when all on one sector)"},
    MetricInfo{S::national, "funds_pledged", "bn CNY", "cumulative capital pledged to state funds"},
    MetricInfo{S::national, "funds_paid_in", "bn CNY", "cumulative capital paid in"},
    MetricInfo{S::national, "funds_invested", "bn CNY", "cumulative equity invested"},
    MetricInfo{S::national, "funds_portfolio_value", "bn CNY", "holdings marked to the firms' book equity"},
    MetricInfo{S::national, "funds_write_offs", "bn CNY", "cumulative holdings written off on exit"},
    MetricInfo{S::national, "firms", "firms", "all firms alive, foreign exporters included"},
    MetricInfo{S::national, "accounting_residual", "bn CNY", "sum of all money stocks minus its initial value (must be 0 up to rounding)"},
};

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
