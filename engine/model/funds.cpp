/*!
 * @file funds.cpp
 * @brief State-backed funds: capital calls on pledges, selection of firms, equity injections.
 *
 * During its investment period a fund calls an equal share of its paid-in capital each quarter
 * (pledged times the share ever paid in: pledges overstate deployment, seed 003, CSET 2021).
 * The owner pays: the central government for national funds, the local government (adding to
 * its debt) for guidance funds. A fund screens a few random candidates from its mandate
 * (national: its sectors anywhere; local: its government's focus sectors, at home first),
 * scores them on productivity, SOE status, being local, and noise, and invests its cash in the
 * best. Candidate screening runs in parallel over funds; injections are applied in fund order
 * so that two funds picking the same firm give the same result on any thread count. Holdings
 * are marked in the outcomes (capital at the lower of book and earnings value) and written off
 * when a firm exits.
 */
#include <algorithm>
#include <cmath>

#include "core/random.hpp"
#include "model/phases.hpp"

namespace ipsim::model {
namespace {

constexpr double kLocalPickShare = 0.5;  // a local fund picks half its candidates among its own government's firms (assumption)
constexpr double kMinEquityBase = 0.1;   // stakes are priced on at least 10% of capital as equity (assumption)
constexpr double kStakeCeiling = 0.95;   // funds together never own more than 95% of a firm, whatever the mandate allows (assumption)

constexpr std::uint32_t kNoFirm = 0xffffffffU;

bool in_period(const Model& model, const State& st, std::size_t k) {
    const double year = model.year_of(st.step);
    return year + 1e-9 >= st.funds.start_year[k] && year < st.funds.start_year[k] + st.funds.investment_years[k];
}

void call_capital(const Model& model, State& st) {
    auto& fu = st.funds;
    for (std::size_t k = 0; k < fu.size(); ++k) {
        if (!in_period(model, st, k)) {
            continue;
        }
        const double call = fu.pledged[k] * fu.paid_in_share[k] / (4.0 * fu.investment_years[k]);
        fu.cash[k] += call;
        fu.paid_in[k] += call;
        if (fu.national[k] != 0) {
            st.ledger.central -= call;
        } else {
            const auto g = static_cast<std::size_t>(fu.government[k]);
            st.governments.debt[g] += call;
            st.governments.support_spent[g] += call;
        }
    }
}

/*! Sectors a fund may invest in this quarter. */
std::vector<std::size_t> mandate_sectors(const Model& model, const State& st, std::size_t k) {
    std::vector<std::size_t> out;
    const std::size_t ns = model.n_sectors;
    const auto& fu = st.funds;
    for (std::size_t s = 0; s < ns; ++s) {
        const bool allowed = fu.national[k] != 0
                                 ? (fu.mandate[k] == 0 || (s < 32 && (fu.mandate[k] >> s & 1U) != 0))
                                 : st.governments.focus[static_cast<std::size_t>(fu.government[k]) * ns + s] != 0;
        if (allowed) {
            out.push_back(s);
        }
    }
    return out;
}

std::uint32_t draw_candidate(const Model& model, const State& st, std::size_t k, std::size_t s, core::Stream& rng) {
    const auto& fu = st.funds;
    if (fu.national[k] == 0 && rng.uniform() < kLocalPickShare) {
        const auto key = static_cast<std::size_t>(fu.government[k]) * model.n_sectors + s;
        const auto n = st.by_government_sector.size(key);
        if (n > 0) {
            return st.by_government_sector.member(key, rng.below(n));
        }
    }
    const auto n = st.by_sector.size(s);
    return n > 0 ? st.by_sector.member(s, rng.below(n)) : kNoFirm;
}

double selection_score(const Model& model, const State& st, std::size_t k, std::uint32_t i, core::Stream& rng) {
    const auto& w = model.scenario.funds;
    const auto& f = st.firms;
    const bool soe = f.ownership[i] == static_cast<std::uint8_t>(Ownership::soe);
    const bool home = st.funds.national[k] == 0 && f.government[i] == st.funds.government[k];
    return w.weight_productivity * std::log(f.productivity[i]) + w.weight_soe * (soe ? 1.0 : 0.0) +
           w.weight_local * (home ? 1.0 : 0.0) + w.selection_noise * rng.normal();
}

/*! The firms fund k invests in this quarter (best scores among random candidates). */
std::vector<std::uint32_t> select_firms(const Model& model, const State& st, std::size_t k) {
    const auto& settings = model.scenario.funds;
    const auto sectors = mandate_sectors(model, st, k);
    if (sectors.empty() || st.funds.cash[k] <= 0.0) {
        return {};
    }
    core::Stream rng(st.seed, core::Purpose::fund_selection, k, static_cast<std::uint64_t>(st.step));
    std::vector<std::pair<double, std::uint32_t>> scored;
    for (std::int64_t c = 0; c < settings.candidates; ++c) {
        const auto s = sectors[rng.below(sectors.size())];
        const auto i = draw_candidate(model, st, k, s, rng);
        if (i == kNoFirm || st.firms.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign) || st.firms.alive[i] == 0) {
            continue;
        }
        scored.emplace_back(-selection_score(model, st, k, i, rng), i);
    }
    std::sort(scored.begin(), scored.end());
    scored.erase(std::unique(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.second == b.second; }), scored.end());
    std::vector<std::uint32_t> picks;
    for (const auto& [score, i] : scored) {
        if (picks.size() >= static_cast<std::size_t>(settings.picks)) {
            break;
        }
        if (std::find(picks.begin(), picks.end(), i) == picks.end()) {
            picks.push_back(i);
        }
    }
    return picks;
}

void inject(State& st, std::size_t k, std::uint32_t i, double amount) {
    auto& f = st.firms;
    const double equity_before = std::max(f.cash[i] + f.capital[i] - f.debt[i], kMinEquityBase * f.capital[i]);
    f.cash[i] += amount;
    f.fund_equity[i] += amount;
    const double held = f.fund_stake[i] * equity_before + amount;
    f.fund_stake[i] = std::min(kStakeCeiling, held / (equity_before + amount));
    st.funds.cash[k] -= amount;
    st.funds.invested[k] += amount;
    st.sectors.fund_equity_flow[static_cast<std::size_t>(f.sector[i])] += amount;
}

}  // namespace

void invest_funds(const Model& model, State& st) {
    std::fill(st.sectors.fund_equity_flow.begin(), st.sectors.fund_equity_flow.end(), 0.0);
    call_capital(model, st);
    const auto& settings = model.scenario.funds;
    std::vector<std::vector<std::uint32_t>> picks(st.funds.size());
    core::parallel_for(
        st.funds.size(), [&](std::size_t k) { picks[k] = select_firms(model, st, k); }, 1);
    for (std::size_t k = 0; k < st.funds.size(); ++k) {
        for (std::size_t j = 0; j < picks[k].size(); ++j) {
            const auto i = picks[k][j];
            const double share = st.funds.cash[k] / static_cast<double>(picks[k].size() - j);
            const double limit = settings.max_stake * std::max(st.firms.capital[i], 0.0) / (1.0 - settings.max_stake);
            const double amount = std::min(share, limit);
            if (amount > 0.0) {
                inject(st, k, i, amount);
            }
        }
    }
}

}  // namespace ipsim::model
