/*!
 * @file governments.cpp
 * @brief Central government (priorities, tournament transfers, coordination) and local
 *        governments (focus choice, affordable support, budget, fiscal reaction and debt).
 *
 * The central government raises a sector's priority while its domestic share is short of the
 * target, and each year ranks local governments by the growth of their output in priority
 * sectors: a share of its transfer pool goes to the upper half by rank, the rest by size. Local
 * governments choose their focus sectors once a year from central priority, local comparative
 * advantage, herding on what other governments chose last year, and noise. Under central
 * coordination the centre keeps every government's focus slots and decides only which sectors fill
 * them: slots are spread over priority sectors in proportion to priority, and each sector goes to
 * the governments with the strongest location quotient (a deterministic greedy with exchanges).
 * Support is paid in focus sectors at the scenario's rates times a multiplier that falls when the
 * support bill exceeds the budget share or when debt/revenue passes the debt limit. Non-industrial
 * spending follows a smoothed revenue base times one plus a structural gap, cut when debt/revenue
 * passes the limit; the debt due to support and to the gap is tracked apart (docs/model.md, 5).
 */
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/random.hpp"
#include "model/detail/firm_costs.hpp"
#include "model/phases.hpp"

namespace ipsim::model {
namespace {

void update_priorities(const Model& model, State& st) {
    const auto& sc = model.scenario;
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& p = sc.sectors[s].policy;
        const double gap = p.target_share > 0.0 && model.year_of(st.step) <= p.target_year + 5.0
                               ? std::max(0.0, p.target_share - st.sectors.domestic_share[s])
                               : 0.0;
        st.sectors.priority[s] = p.priority * (1.0 + sc.central.target_escalation * gap);
    }
}

/*! Rank-based tournament weights: the upper half shares in proportion to (half - rank). */
std::vector<double> tournament_weights(const std::vector<double>& score) {
    const std::size_t n = score.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    const std::size_t winners = std::max<std::size_t>(1, n / 2);
    std::vector<double> w(n, 0.0);
    double total = 0.0;
    for (std::size_t rank = 0; rank < winners; ++rank) {
        w[order[rank]] = static_cast<double>(winners - rank);
        total += w[order[rank]];
    }
    for (auto& x : w) {
        x /= total;
    }
    return w;
}

void allocate_transfers(const Model& model, State& st) {
    const auto& sc = model.scenario;
    auto& g = st.governments;
    const std::size_t n = g.size();
    for (std::size_t k = 0; k < n; ++k) {
        const double prev = g.priority_output_prev[k];
        g.tournament_score[k] = prev > 0.0 ? g.priority_output[k] / prev - 1.0 : 0.0;
    }
    const auto rank_weight = tournament_weights(g.tournament_score);
    double size_total = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        size_total += sc.regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k];
    }
    const double pool = sc.central.transfer_pool * sc.policy_scale.central.at(model.year_of(st.step));
    for (std::size_t k = 0; k < n; ++k) {
        const double size_share = sc.regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k] / size_total;
        g.transfers[k] = pool * ((1.0 - sc.central.tournament_share) * size_share + sc.central.tournament_share * rank_weight[k]);
        g.priority_output_prev[k] = g.priority_output[k];
        g.priority_output[k] = 0.0;
    }
}

/*! Output of each local government in each sector (capacity before the first quarter). */
std::vector<double> local_output(const State& st) {
    const auto& f = st.firms;
    std::vector<std::array<double, 1>> sums;
    core::group_sums<1>(st.by_government_sector, sums, [&](std::size_t i, std::array<double, 1>& acc) {
        acc[0] += st.step == 0 ? f.capacity[i] : f.output[i];
    });
    std::vector<double> out(sums.size());
    for (std::size_t k = 0; k < sums.size(); ++k) {
        out[k] = sums[k][0];
    }
    return out;
}

/*! Location quotient of each (government, sector): local sector share over national sector share. */
std::vector<double> location_quotients(const Model& model, const State& st, const std::vector<double>& output) {
    const std::size_t ns = model.n_sectors;
    const std::size_t ng = st.governments.size();
    std::vector<double> national(ns, 0.0);
    std::vector<double> local_total(ng, 0.0);
    double total = 0.0;
    for (std::size_t g = 0; g < ng; ++g) {
        for (std::size_t s = 0; s < ns; ++s) {
            const double x = output[g * ns + s];
            national[s] += x;
            local_total[g] += x;
            total += x;
        }
    }
    std::vector<double> lq(ng * ns, 0.0);
    for (std::size_t g = 0; g < ng; ++g) {
        for (std::size_t s = 0; s < ns; ++s) {
            const double local_share = local_total[g] > 0.0 ? output[g * ns + s] / local_total[g] : 0.0;
            const double national_share = total > 0.0 ? national[s] / total : 0.0;
            lq[g * ns + s] = national_share > 0.0 ? local_share / national_share : 0.0;
        }
    }
    return lq;
}

void free_choice(const Model& model, State& st, const std::vector<double>& lq) {
    const auto& sc = model.scenario;
    const auto& local = sc.local;
    const std::size_t ns = model.n_sectors;
    const std::size_t ng = st.governments.size();
    std::vector<double> herd(ns, 0.0);
    for (std::size_t g = 0; g < ng; ++g) {
        for (std::size_t s = 0; s < ns; ++s) {
            herd[s] += st.governments.focus[g * ns + s];
        }
    }
    for (auto& h : herd) {
        h /= static_cast<double>(ng);
    }
    const auto picks = std::min<std::size_t>(static_cast<std::size_t>(local.focus_count), ns);
    core::parallel_for(ng, [&](std::size_t g) {
        core::Stream rng(st.seed, core::Purpose::focus, g, static_cast<std::uint64_t>(st.step));
        std::vector<std::pair<double, std::size_t>> score(ns);
        for (std::size_t s = 0; s < ns; ++s) {
            const double advantage = lq[g * ns + s] / (1.0 + lq[g * ns + s]);
            const double prospects = st.sectors.demand_growth_expected[s];  // segment 0: China
            const double value = local.weight_priority * st.sectors.priority[s] + local.weight_advantage * advantage +
                                 local.weight_herding * herd[s] + local.weight_prospects * prospects + local.focus_noise * rng.normal();
            score[s] = {-value, s};
        }
        std::partial_sort(score.begin(), score.begin() + static_cast<std::ptrdiff_t>(picks), score.end());
        for (std::size_t s = 0; s < ns; ++s) {
            st.governments.focus[g * ns + s] = 0;
        }
        for (std::size_t k = 0; k < picks; ++k) {
            st.governments.focus[g * ns + score[k].second] = 1;
        }
    });
}

/*! Largest-remainder apportionment of `slots` over sectors in proportion to `weight`, each sector
 *  capped at `cap[s]`; a sector whose quota passes its cap gets the cap and the rest is shared
 *  again. Returns the slots per sector; their sum is below `slots` only if every cap binds. */
std::vector<std::size_t> apportion(std::size_t slots, const std::vector<double>& weight, const std::vector<std::size_t>& cap) {
    const std::size_t ns = weight.size();
    std::vector<std::size_t> quota(ns, 0);
    std::vector<std::uint8_t> open(ns, 0);
    for (std::size_t s = 0; s < ns; ++s) {
        open[s] = weight[s] > 0.0 && cap[s] > 0 ? 1 : 0;
    }
    std::size_t left = slots;
    while (left > 0) {
        double total = 0.0;
        for (std::size_t s = 0; s < ns; ++s) {
            total += open[s] != 0 ? weight[s] : 0.0;
        }
        if (total <= 0.0) {
            break;
        }
        bool capped = false;
        for (std::size_t s = 0; s < ns; ++s) {
            if (open[s] != 0 && static_cast<double>(left) * weight[s] / total >= static_cast<double>(cap[s])) {
                quota[s] = cap[s];
                open[s] = 0;
                left -= cap[s];
                capped = true;
            }
        }
        if (capped) {
            continue;
        }
        std::vector<std::pair<double, std::size_t>> remainder;
        std::size_t given = 0;
        for (std::size_t s = 0; s < ns; ++s) {
            if (open[s] == 0) {
                continue;
            }
            const double exact = static_cast<double>(left) * weight[s] / total;
            const auto whole = static_cast<std::size_t>(std::floor(exact));
            quota[s] = whole;
            given += whole;
            remainder.emplace_back(-(exact - static_cast<double>(whole)), s);
        }
        // Largest remainders first; ties to the higher weight, then the lower index.
        std::stable_sort(remainder.begin(), remainder.end(), [&](const auto& a, const auto& b) {
            if (a.first != b.first) {
                return a.first < b.first;
            }
            return weight[a.second] > weight[b.second];
        });
        for (std::size_t j = 0; given < left && j < remainder.size(); ++j, ++given) {
            ++quota[remainder[j].second];
        }
        left = 0;
    }
    return quota;
}

/*! Slots per sector under coordination: all governments' focus slots, spread over the priority
 *  sectors (priority >= coordination_min_priority) in proportion to priority; slots left once every
 *  priority sector is full go to the other sectors evenly. */
std::vector<std::size_t> coordinated_quotas(const Model& model, const State& st, std::size_t picks) {
    const auto& sc = model.scenario;
    const std::size_t ns = model.n_sectors;
    const std::size_t ng = st.governments.size();
    const auto per_sector_cap = sc.central.coordination_regions_per_sector > 0
                                    ? std::min<std::size_t>(ng, static_cast<std::size_t>(sc.central.coordination_regions_per_sector * sc.local.per_region))
                                    : ng;
    const std::size_t slots = ng * picks;
    std::vector<std::size_t> cap(ns, per_sector_cap);
    std::vector<double> weight(ns, 0.0);
    std::vector<double> even(ns, 0.0);
    for (std::size_t s = 0; s < ns; ++s) {
        const double p = st.sectors.priority[s];
        const bool priority_sector = p > 0.0 && p >= sc.central.coordination_min_priority;
        weight[s] = priority_sector ? p : 0.0;
        even[s] = priority_sector ? 0.0 : 1.0;
    }
    auto quota = apportion(slots, weight, cap);
    std::size_t used = std::accumulate(quota.begin(), quota.end(), std::size_t{0});
    if (used < slots) {
        const auto extra = apportion(slots - used, even, cap);
        for (std::size_t s = 0; s < ns; ++s) {
            quota[s] += extra[s];
        }
    }
    return quota;
}

/*! Central coordination: the centre keeps every government's `focus_count` slots and decides only
 *  which sectors fill them. Slots go to sectors by priority (coordinated_quotas); then the pairs
 *  (government, sector) are taken in order of falling location quotient while the government has
 *  a free slot and the sector a free quota. Slots still free at the end (the government already
 *  holds every sector with quota left) are filled by the best exchange: a government h holding
 *  sector t that the stuck government g lacks, and lacking a sector s with quota left, passes t to
 *  g and takes s. Deterministic: ties go to the higher priority, then the lower index. */
void coordinated_choice(const Model& model, State& st, const std::vector<double>& lq) {
    const std::size_t ns = model.n_sectors;
    const std::size_t ng = st.governments.size();
    auto& focus = st.governments.focus;
    const auto picks = std::min<std::size_t>(static_cast<std::size_t>(model.scenario.local.focus_count), ns);
    std::fill(focus.begin(), focus.end(), std::uint8_t{0});
    if (picks == 0 || ng == 0) {
        return;
    }
    auto quota = coordinated_quotas(model, st, picks);
    const auto& priority = st.sectors.priority;
    std::vector<std::size_t> pairs(ng * ns);
    std::iota(pairs.begin(), pairs.end(), 0);
    std::stable_sort(pairs.begin(), pairs.end(), [&](std::size_t a, std::size_t b) {
        if (lq[a] != lq[b]) {
            return lq[a] > lq[b];
        }
        return priority[a % ns] > priority[b % ns];
    });
    std::vector<std::size_t> free_slots(ng, picks);
    for (const std::size_t pair : pairs) {
        const std::size_t g = pair / ns;
        const std::size_t s = pair % ns;
        if (free_slots[g] > 0 && quota[s] > 0) {
            focus[pair] = 1;
            --free_slots[g];
            --quota[s];
        }
    }
    std::size_t quota_left = std::accumulate(quota.begin(), quota.end(), std::size_t{0});
    for (std::size_t g = 0; g < ng && quota_left > 0; ++g) {
        while (free_slots[g] > 0 && quota_left > 0) {
            double best = -std::numeric_limits<double>::infinity();
            std::size_t best_h = ng, best_s = ns, best_t = ns;
            for (std::size_t s = 0; s < ns; ++s) {
                if (quota[s] == 0) {
                    continue;
                }
                for (std::size_t h = 0; h < ng; ++h) {
                    if (h == g || focus[h * ns + s] != 0) {
                        continue;
                    }
                    for (std::size_t t = 0; t < ns; ++t) {
                        if (focus[h * ns + t] == 0 || focus[g * ns + t] != 0) {
                            continue;
                        }
                        const double gain = lq[g * ns + t] + lq[h * ns + s] - lq[h * ns + t];
                        if (gain > best) {
                            best = gain;
                            best_h = h;
                            best_s = s;
                            best_t = t;
                        }
                    }
                }
            }
            if (best_h == ng) {
                break;  // only with a cap: no sector with quota left can take this government
            }
            focus[best_h * ns + best_t] = 0;
            focus[best_h * ns + best_s] = 1;
            focus[g * ns + best_t] = 1;
            --quota[best_s];
            --quota_left;
            --free_slots[g];
        }
    }
}

}  // namespace

void central_government(const Model& model, State& st) {
    update_priorities(model, st);
    if (st.step > 0) {
        allocate_transfers(model, st);
    } else {
        // Before any tournament result, the pool is shared by size.
        auto& g = st.governments;
        const auto& sc = model.scenario;
        double size_total = 0.0;
        for (std::size_t k = 0; k < g.size(); ++k) {
            size_total += sc.regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k];
        }
        for (std::size_t k = 0; k < g.size(); ++k) {
            g.transfers[k] = sc.central.transfer_pool * sc.policy_scale.central.at(model.year_of(st.step)) *
                             sc.regions[static_cast<std::size_t>(g.region[k])].size * g.weight[k] / size_total;
        }
    }
}

void choose_focus(const Model& model, State& st) {
    const auto output = local_output(st);
    const auto lq = location_quotients(model, st, output);
    if (model.scenario.central.coordination) {
        coordinated_choice(model, st, lq);
    } else {
        free_choice(model, st, lq);
    }
}

void plan_local_support(const Model& model, State& st) {
    const auto& local = model.scenario.local;
    auto& g = st.governments;
    for (std::size_t k = 0; k < g.size(); ++k) {
        const double budget = local.support_share * g.revenue[k];
        const double desired = g.support_spent[k] / std::max(g.support_multiplier[k], 0.05);
        const double affordable = desired > 0.0 ? std::min(1.0, budget / desired) : 1.0;
        const double ratio = g.revenue[k] > 0.0 ? g.debt[k] / (4.0 * g.revenue[k]) : 0.0;
        const double excess = std::max(0.0, ratio - local.debt_limit) / local.debt_limit;
        const double squeeze = std::clamp(1.0 - local.debt_squeeze_speed * excess, 0.0, 1.0);
        g.support_multiplier[k] = affordable * squeeze;
        g.support_spent[k] = 0.0;
        g.bailouts[k] = 0.0;
    }
}

namespace {

/*! Per government, in one pass over its China-located firms: [0] the local corporate tax paid this
 *  quarter by firms that received local support (focus sectors with support in force), what the
 *  supported firms give back; [1] this quarter's output in priority sectors (Chinese-owned firms),
 *  for next year's tournament. */
std::vector<std::array<double, 2>> government_firm_sums(const Model& model, const State& st) {
    const auto& f = st.firms;
    const auto weights = detail::support_weight_table(model, st);
    std::vector<std::array<double, 2>> sums;
    st.government_sums<2>(sums, [&](std::size_t i, std::array<double, 2>& acc) {
        if (detail::local_support_weight_on(model, st, i, weights) > 0.0) {
            acc[0] += f.tax_local[i];
        }
        if (f.ownership[i] != static_cast<std::uint8_t>(Ownership::foreign)) {
            acc[1] += st.sectors.priority[static_cast<std::size_t>(f.sector[i])] * f.output[i];
        }
    });
    return sums;
}

/*! Sizes the columns of the fiscal reaction rule (setup leaves them empty). */
void size_fiscal_columns(State& st) {
    auto& g = st.governments;
    if (g.revenue_index.size() == g.size()) {
        return;
    }
    g.revenue_index.assign(g.size(), 1.0);
    g.spending.assign(g.size(), 0.0);
    g.support_debt.assign(g.size(), 0.0);
    g.support_gross_debt.assign(g.size(), 0.0);
    g.gap_debt.assign(g.size(), 0.0);
}

}  // namespace

void settle_governments(const Model& model, State& st) {
    const auto& sc = model.scenario;
    const auto& local = sc.local;
    auto& g = st.governments;
    size_fiscal_columns(st);
    const double year = model.year_of(st.step);
    const double t = static_cast<double>(st.step) / 4.0;
    const double land_trend = std::pow(1.0 + local.land_revenue_growth, t);
    const double land_factor = land_trend * local.land_revenue_multiplier.at(year);
    const double base_factor = std::pow(1.0 + local.tax_base_growth, t);
    const double quarter_rate = local.debt_rate / 4.0;
    // Neither sum reads what the loop below writes (government columns and the ledger).
    const auto firm_sums = government_firm_sums(model, st);
    for (std::size_t k = 0; k < g.size(); ++k) {
        const double tax_base = g.tax_base[k] * base_factor;
        g.land_revenue[k] = g.land_revenue_base[k] * land_factor;
        const double own = tax_base + g.land_revenue[k];
        const double trend = tax_base + g.land_revenue_base[k] * land_trend;
        // Spending adapts gradually to revenue shocks: a fall in land sales is borrowed at first.
        const double index = trend > 0.0 ? own / trend : 1.0;
        g.revenue_index[k] += local.revenue_adaptation * (index - g.revenue_index[k]);
        const double base = trend * g.revenue_index[k];
        // Consolidation: spending is cut in proportion to the debt ratio above the limit.
        const double revenue = g.revenue[k] + own + g.transfers[k];  // g.revenue holds local corporate tax
        const double ratio = revenue > 0.0 ? g.debt[k] / (4.0 * revenue) : 0.0;
        const double cut = local.consolidation_speed * std::max(0.0, ratio - local.debt_limit);
        const double share = std::max(std::min(local.spending_floor, local.other_spending_share), local.other_spending_share - cut);
        g.spending[k] = share * base;
        const double interest = quarter_rate * g.debt[k];
        g.debt[k] += g.spending[k] + interest - own - g.transfers[k];
        g.revenue[k] = revenue;
        // Attribution (not part of the books): support outlays and the structural gap, each with interest.
        g.support_gross_debt[k] += quarter_rate * g.support_gross_debt[k] + g.support_spent[k];
        g.support_debt[k] += quarter_rate * g.support_debt[k] + g.support_spent[k] - firm_sums[k][0];
        g.gap_debt[k] += quarter_rate * g.gap_debt[k] + (local.other_spending_share - 1.0) * base;
        st.ledger.economy += g.spending[k] - own;
        st.ledger.banks += interest;
        st.ledger.central -= g.transfers[k];
    }
    // Output in priority sectors, accumulated for next year's tournament.
    for (std::size_t k = 0; k < g.size(); ++k) {
        g.priority_output[k] += firm_sums[k][1];
    }
}

}  // namespace ipsim::model
