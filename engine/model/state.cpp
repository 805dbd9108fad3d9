#include "model/state.hpp"

#include <algorithm>

namespace ipsim::model {

std::size_t Firms::append() {
    return arena_.append([this](const auto& visit) { for_each_column(visit); });
}

std::size_t Funds::append() {
    return arena_.append([this](const auto& visit) { for_each_column(visit); });
}

void Firms::compact() {
    const std::size_t n = size();
    std::vector<std::uint32_t> keep;
    keep.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (alive[i] != 0) {
            keep.push_back(static_cast<std::uint32_t>(i));
        }
    }
    if (keep.size() == n) {
        return;
    }
    arena_.keep(keep, [this](const auto& visit) { for_each_column(visit); });
}

void State::rebuild_indexes() {
    const std::size_t n = firms.size();
    const auto sectors_n = n_sectors();
    by_sector.build(n, sectors_n, [&](std::size_t i) {
        return firms.alive[i] != 0 ? firms.sector[i] : -1;
    });
    by_government.build(n, governments.size(), [&](std::size_t i) {
        return firms.alive[i] != 0 && firms.localized[i] != 0 ? firms.government[i] : -1;
    });
    by_government_sector.build(n, governments.size() * sectors_n, [&](std::size_t i) {
        if (firms.alive[i] == 0 || firms.localized[i] == 0) {
            return std::int64_t{-1};
        }
        return static_cast<std::int64_t>(firms.government[i]) * static_cast<std::int64_t>(sectors_n) + firms.sector[i];
    });
}

double State::leverage_limit(std::size_t i) const noexcept {
    const auto& fin = scenario->finance;
    switch (static_cast<Ownership>(firms.ownership[i])) {
        case Ownership::soe: return fin.max_leverage_soe;
        case Ownership::foreign: return fin.max_leverage_foreign;
        case Ownership::private_firm: break;
    }
    return fin.max_leverage_private * (firms.fund_stake[i] > 0.0 ? 1.5 : 1.0);
}

std::vector<double> State::location_cdf(std::size_t s) const {
    const auto& g = governments;
    std::vector<double> cdf(g.size());
    double acc = 0.0;
    for (std::size_t k = 0; k < g.size(); ++k) {
        acc += scenario->regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k] * g.strength[k * n_sectors() + s];
        cdf[k] = acc;
    }
    return cdf;
}

std::int32_t State::pick_government(const std::vector<double>& cdf, double u) noexcept {
    const auto it = std::upper_bound(cdf.begin(), cdf.end(), u * cdf.back());
    return static_cast<std::int32_t>(std::min<std::ptrdiff_t>(it - cdf.begin(), static_cast<std::ptrdiff_t>(cdf.size()) - 1));
}

double State::money_total() const {
    const auto firm_sum = core::deterministic_sum(firms.size(), [&](std::size_t i) {
        return firms.alive[i] != 0 ? firms.cash[i] - firms.debt[i] : 0.0;
    });
    double total = firm_sum;
    for (const double d : governments.debt) {
        total -= d;
    }
    for (const double c : funds.cash) {
        total += c;
    }
    return total + ledger.central + ledger.banks + ledger.economy + ledger.rest_of_world;
}

}  // namespace ipsim::model
