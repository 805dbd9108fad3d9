#include "model/state.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/parallel.hpp"

namespace ipsim::model {

std::size_t Firms::append() {
    return arena_.append([this](const auto& visit) { for_each_column(visit); });
}

void Firms::reserve(std::size_t rows) {
    arena_.reserve(rows, [this](const auto& visit) { for_each_column(visit); });
}

std::size_t Funds::append() {
    return arena_.append([this](const auto& visit) { for_each_column(visit); });
}

void Firms::compact() {
    arena_.keep_if([this](std::size_t i) { return alive[i] != 0; }, [this](const auto& visit) { for_each_column(visit); });
}

namespace {

/*! Key of firm i in by_sector: its sector if alive, else none. */
std::int64_t sector_key(const Firms& firms, std::size_t i) noexcept {
    return firms.alive[i] != 0 ? std::int64_t{firms.sector[i]} : -1;
}

/*! Key of firm i in by_government_sector: government * ns + sector if alive and China-located
 *  with a government, else none. */
std::int64_t government_sector_key(const Firms& firms, std::int64_t ns, std::size_t i) noexcept {
    const std::int64_t g = firms.alive[i] != 0 && firms.localized[i] != 0 ? firms.government[i] : -1;
    return g >= 0 ? g * ns + firms.sector[i] : -1;
}

}  // namespace

void State::rebuild_indexes(const Model& model) {
    const std::size_t n = firms.size();
    const auto ns = static_cast<std::int64_t>(model.n_sectors);
    // Each build only reads the firms and writes its own index: the two run at once.
    core::parallel_invoke([&] { by_sector.build(n, model.n_sectors, [&](std::size_t i) { return sector_key(firms, i); }); },
                          [&] {
                              by_government_sector.build(n, governments.size() * model.n_sectors,
                                                         [&](std::size_t i) { return government_sector_key(firms, ns, i); });
                          });
}

void State::update_indexes(const Model& model, std::size_t first_new) {
    const std::size_t n = firms.size();
    const auto ns = static_cast<std::int64_t>(model.n_sectors);
    const auto alive = [&](std::size_t i) { return firms.alive[i] != 0; };
    // Each update only reads the firms and writes its own index: the two run at once.
    core::parallel_invoke([&] { by_sector.update(first_new, n, alive, [&](std::size_t i) { return sector_key(firms, i); }); },
                          [&] {
                              by_government_sector.update(first_new, n, alive,
                                                          [&](std::size_t i) { return government_sector_key(firms, ns, i); });
                          });
}

double State::leverage_limit(const Model& model, std::size_t i) const noexcept {
    const auto& fin = model.scenario.finance;
    switch (static_cast<Ownership>(firms.ownership[i])) {
        case Ownership::soe: return fin.max_leverage_soe;
        case Ownership::foreign: return fin.max_leverage_foreign;
        case Ownership::private_firm: break;
    }
    return fin.max_leverage_private * (firms.fund_stake[i] > 0.0 ? 1.5 : 1.0);
}

std::vector<double> State::location_cdf(const Model& model, std::size_t s) const {
    const auto& g = governments;
    std::vector<double> cdf(g.size());
    double acc = 0.0;
    for (std::size_t k = 0; k < g.size(); ++k) {
        acc += model.scenario.regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k] * g.strength[k * model.n_sectors + s];
        cdf[k] = acc;
    }
    return cdf;
}

GovernmentIndex State::pick_government(const std::vector<double>& cdf, double u) noexcept {
    const auto it = std::upper_bound(cdf.begin(), cdf.end(), u * cdf.back());
    return static_cast<GovernmentIndex>(std::min<std::ptrdiff_t>(it - cdf.begin(), static_cast<std::ptrdiff_t>(cdf.size()) - 1));
}

FirmId State::new_firm_id() {
    if (next_firm_id > std::numeric_limits<FirmId>::max()) {
        // Entry decides how many firms a run creates, so no scenario check can see this coming.
        throw std::overflow_error("more than " + std::to_string(std::numeric_limits<FirmId>::max()) +
                                  " firms (initial firms and entrants) created over the run; firm ids are 32-bit "
                                  "(lower firms.count, firms.entry_rate or time.quarters)");
    }
    return static_cast<FirmId>(next_firm_id++);
}

// The loader refuses the same scenarios naming the field (io/scenario_loader.cpp, or the range of
// finance.zombie_years); this guards scenarios built in code.
void check_firm_column_ranges(const Scenario& scenario, std::size_t governments) {
    const auto too_many = [](const std::string& what, std::int64_t count, std::int64_t limit) {
        throw std::invalid_argument(what + " (" + std::to_string(count) + ") exceeds " + std::to_string(limit) +
                                    ", the most the firm columns hold");
    };
    const auto sectors = static_cast<std::int64_t>(scenario.sectors.size());
    if (sectors > std::int64_t{std::numeric_limits<SectorIndex>::max()} + 1) {
        too_many("the number of sectors", sectors, std::int64_t{std::numeric_limits<SectorIndex>::max()} + 1);
    }
    if (static_cast<std::int64_t>(governments) > std::numeric_limits<GovernmentIndex>::max()) {
        too_many("the number of local governments", static_cast<std::int64_t>(governments), std::numeric_limits<GovernmentIndex>::max());
    }
    // Ages and bad_years stop at 255 (count_up), whatever the run's length; bad_years starts at
    // zombie_years for a firm that is a zombie at the start, and must be able to reach it.
    if (scenario.finance.zombie_years > std::numeric_limits<QuarterCount>::max()) {
        too_many("finance.zombie_years", scenario.finance.zombie_years, std::numeric_limits<QuarterCount>::max());
    }
    if (scenario.finance.zombie_years < 1) {
        // Firms::is_zombie: with 0 every firm, entrants included, would count as one.
        throw std::invalid_argument("finance.zombie_years (" + std::to_string(scenario.finance.zombie_years) + ") must be at least 1");
    }
}

double State::money_total() const {
    return money_total(core::deterministic_sum(firms.size(), [&](std::size_t i) {
        return firms.alive[i] != 0 ? firms.cash[i] - firms.debt[i] : 0.0;
    }));
}

double State::money_total(double firm_balance) const {
    double total = firm_balance;
    for (const double d : governments.debt) {
        total -= d;
    }
    for (const double c : funds.cash) {
        total += c;
    }
    return total + ledger.central + ledger.banks + ledger.economy + ledger.rest_of_world;
}

}  // namespace ipsim::model
