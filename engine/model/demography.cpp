/*!
 * @file demography.cpp
 * @brief Zombies, insolvency (bail-out or exit), localization of foreign firms, and entry.
 *
 * A firm whose operating profit has fallen short of its interest bill for `zombie_years`
 * consecutive years is a zombie. Lenders decide each quarter whether to roll over the loans
 * falling due; a solvent firm they refuse repays from cash, selling capital at a discount if it
 * must. A firm with negative net worth, or with a cash shortfall it cannot borrow or sell assets
 * to cover, is insolvent: it is bailed out with a probability that depends on its
 * ownership and state-fund backing (the soft budget constraint), its local government paying
 * part and the banks writing down the rest; otherwise it exits and the banks absorb its net
 * position. Entrants arrive per (local government, sector) at a Poisson rate rising with the
 * sector margin, local support and focus status; they are appended in a fixed order. Dead
 * firms are removed once a year by a stable compaction.
 */
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "model/detail/firm_costs.hpp"
#include "model/detail/lanes.hpp"
#include "model/phases.hpp"

// As in firms.cpp: the functions of Double4 values here are all inlined into make_room_block_avx2
// (GCC warns where it instantiates them, at the end of the file, hence no pop).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ipsim::model {
namespace {

namespace lanes = detail::lanes;

constexpr double kRescueEquity = 0.05;  // a rescue leaves the firm net worth and cash of 5% of its capital (assumption)
constexpr double kCoverageCap = 5.0;    // coverage and collateral ratios above 5 count as 5 (lenders see no extra safety)

enum DistressOutcome : std::uint8_t {
    kUntouched = 0,
    kRefinanced = 1,
    kBailedOut = 2,
    kExited = 3,
    kSoldAssets = 4
};
/*! Counterparts of a firm's distress resolution: banks in China, lenders abroad, buyers of its assets. */
enum DistressCounterpart : std::size_t {
    kBanks,
    kLendersAbroad,
    kAssetBuyers,
    kDistressCounterparts
};

/*! The quarter's lenders' and governments' draws (one stream per firm id) and the local support
 *  weights the lenders see. */
struct DistressDraws {
    core::StreamFamily refinance;
    core::StreamFamily bailout;
    std::vector<double> support_weights;
};

/*! A firm whose distress resolution is counted (any outcome but kUntouched). */
struct DistressEvent {
    std::uint32_t row;
    DistressOutcome outcome;
};

/*! Year-end zombie test of live firm i (in the fourth quarter). */
void update_zombie(State& st, std::size_t i) {
    auto& f = st.firms;
    const bool short_year = f.age[i] >= 4 && f.year_operating_profit[i] < f.year_interest[i];
    f.bad_years[i] = short_year ? count_up(f.bad_years[i], 1) : 0;
    f.year_operating_profit[i] = 0.0;
    f.year_interest[i] = 0.0;
}

double bailout_probability(const FinanceSettings& fin, const State& st, std::size_t i) {
    const auto& f = st.firms;
    switch (static_cast<Ownership>(f.ownership[i])) {
        case Ownership::soe: return fin.bailout_soe;
        case Ownership::foreign: return fin.bailout_foreign;
        case Ownership::private_firm: break;
    }
    return f.fund_stake[i] > 0.0 ? fin.bailout_fund_backed : fin.bailout_private;
}

/*! Probability that lenders refinance a firm in distress: a logit of its interest coverage and
 *  collateral, plus the soft-budget terms (state ownership, state-fund backing, and the backing of a
 *  local government that supports the firm's sector). `support_weights`: detail::support_weight_table. */
double refinance_probability(const Model& model, const FinanceSettings& fin, const State& st, std::size_t i, const std::vector<double>& support_weights) {
    const auto& f = st.firms;
    const double coverage = f.smoothed_interest[i] > 0.0 ? f.smoothed_profit[i] / f.smoothed_interest[i] : kCoverageCap;
    const double collateral = f.debt[i] > 0.0 ? f.capital[i] / f.debt[i] : kCoverageCap;
    double score = fin.refinance_base + fin.refinance_coverage_weight * std::clamp(coverage, -kCoverageCap, kCoverageCap) +
                   fin.refinance_collateral_weight * (std::min(collateral, kCoverageCap) - 1.0);
    if (f.ownership[i] == static_cast<std::uint8_t>(Ownership::soe)) {
        score += fin.refinance_soe_bonus;
    }
    if (f.fund_stake[i] > 0.0) {
        score += fin.refinance_fund_bonus;
    }
    score += fin.refinance_local_bonus * detail::local_support_weight_on(model, st, i, support_weights);
    return 1.0 / (1.0 + std::exp(-score));
}

/*! A solvent firm refused by its lenders that lacks the cash to repay sells finished capital at
 *  the distress price to raise `shortfall`, if it stays solvent after booking the discount as a
 *  loss. The capacity sold leaves the sector (it counts as scrapped). Returns true if it sold. */
bool sell_capital(const Model& model, const FinanceSettings& fin, State& st, std::size_t i, double shortfall, std::array<double, kDistressCounterparts>& to) {
    auto& f = st.firms;
    const double price = fin.distress_sale_price;
    if (price <= 0.0) {
        return false;
    }
    const double book = shortfall / price;
    const double net_worth_after = f.cash[i] + f.capital[i] - f.debt[i] - book * (1.0 - price);
    if (book > f.capital[i] - f.capital_in_progress[i] || net_worth_after < 0.0) {
        return false;
    }
    const double kappa = st.capital_per_unit(model, i);
    f.capital[i] -= book;
    f.cash[i] += shortfall;
    f.scrapped[i] += book / kappa;
    st.update_capacity(model, i);
    to[kAssetBuyers] -= shortfall;
    return true;
}

/*! Resolves one firm's solvency, given its lenders' draw (draws.refinance.first_uniform of its id).
 *  Returns its contribution to the lenders' position (banks in China; the rest of the world for
 *  foreign firms producing abroad) and to its asset buyers'. */
void resolve_firm(const Model& model, const FinanceSettings& fin, State& st, std::size_t i, const DistressDraws& draws, double refinance_draw,
                  std::array<double, kDistressCounterparts>& lenders, std::uint8_t& outcome) {
    auto& f = st.firms;
    f.bailout[i] = 0.0;
    if (f.localized[i] == 0) {
        // Foreign producers abroad stand for the rest of the world's industry: their lenders
        // abroad refinance them instead of letting the world supply vanish.
        const double shortfall = std::max(0.0, -std::min(f.cash[i] + f.capital[i] - f.debt[i], f.cash[i]));
        if (shortfall <= 0.0) {
            return;
        }
        const double write_down = std::min(f.debt[i], shortfall + kRescueEquity * f.capital[i]);
        f.debt[i] -= write_down;
        lenders[kLendersAbroad] -= write_down;
        if (f.cash[i] < 0.0) {
            f.debt[i] -= f.cash[i];
            f.cash[i] = 0.0;
        }
        return;
    }
    const double net_worth = f.cash[i] + f.capital[i] - f.debt[i];
    const bool insolvent = net_worth < 0.0 || f.cash[i] < 0.0;
    const double due = f.debt[i] / fin.loan_maturity;
    if (!insolvent && due <= 0.0) {
        return;
    }
    // Lenders decide each quarter whether to roll over the loans falling due (and, for a firm in
    // distress, its cash shortfall and negative net worth). Refused, a solvent firm repays from
    // cash, selling capital at the distress price if it must; one that cannot defaults: the
    // government may bail it out, otherwise it exits.
    if (refinance_draw < refinance_probability(model, fin, st, i, draws.support_weights)) {
        if (f.cash[i] < 0.0) {
            f.debt[i] -= f.cash[i];
            f.cash[i] = 0.0;
        }
        outcome = insolvent ? kRefinanced : kUntouched;
        return;
    }
    if (!insolvent && f.cash[i] < due && sell_capital(model, fin, st, i, due - f.cash[i], lenders)) {
        // The sale raised exactly what the cash lacked: all of it goes to the lenders (set to 0
        // rather than computed, which could leave the firm an ulp short and send it into default).
        f.debt[i] -= due;
        f.cash[i] = 0.0;
        outcome = kSoldAssets;
        return;
    }
    if (!insolvent && f.cash[i] >= due) {
        f.cash[i] -= due;
        f.debt[i] -= due;
        return;
    }
    const bool rescued = draws.bailout.first_uniform(f.id[i]) < bailout_probability(fin, st, i);
    if (!rescued) {
        f.alive[i] = 0;
        outcome = kExited;
        lenders[kBanks] += f.cash[i] - f.debt[i];
        return;
    }
    const double need = std::max(-net_worth, -f.cash[i]) + kRescueEquity * f.capital[i];
    const double government_part = fin.bailout_cost_share * need;
    const double write_down = std::min(f.debt[i], need - government_part);
    f.bailout[i] = government_part;
    outcome = kBailedOut;
    f.cash[i] += government_part;
    f.debt[i] -= write_down;
    if (f.cash[i] < 0.0) {
        f.debt[i] -= f.cash[i];  // evergreening: the rest is refinanced
        f.cash[i] = 0.0;
    }
    lenders[kBanks] -= write_down;
}

/*! The counts and payments of the quarter's distress events, in row order: the sector counts, the
 *  funds' write-offs of exits, and each local government's bail-outs (which is what summing every
 *  indexed firm's bailout column by government adds: the other firms' terms are zeros). Returns
 *  true if any firm exited. */
bool book_distress_events(State& st, const std::vector<std::vector<DistressEvent>>& events) {
    const auto& f = st.firms;
    std::vector<double> per_government(st.governments.size(), 0.0);
    bool exited = false;
    for (const auto& chunk : events) {
        for (const auto [i, outcome] : chunk) {
            const auto s = static_cast<std::size_t>(f.sector[i]);
            if (outcome == kExited) {
                st.sectors.exits[s] += 1.0;
                st.funds_write_offs += f.fund_equity[i];
                exited = true;
            } else if (outcome == kRefinanced) {
                st.sectors.refinanced[s] += 1.0;
            } else if (outcome == kSoldAssets) {
                st.sectors.distress_sales[s] += 1.0;
            } else {
                st.sectors.bailouts[s] += 1.0;
                // Bailed out means China-located and alive, so in by_government_sector if it has a government.
                if (f.government[i] >= 0) {
                    per_government[static_cast<std::size_t>(f.government[i])] += f.bailout[i];
                }
            }
        }
    }
    for (std::size_t g = 0; g < st.governments.size(); ++g) {
        st.governments.debt[g] += per_government[g];
        st.governments.bailouts[g] += per_government[g];
        st.governments.support_spent[g] += per_government[g];
    }
    return exited;
}

/*! Ages every firm (clearing last quarter's entry flags), runs the year-end zombie test if
 *  `zombie_test`, and resolves every live firm's solvency, in one pass over chunks of rows that
 *  sums the counterparts' positions as core::deterministic_sums does and lists each chunk's
 *  distress events; returns true if any firm exited. Nearly every live firm has loans falling
 *  due, so each chunk takes its lenders' draws in one batch. */
bool resolve_insolvency(const Model& model, State& st, bool zombie_test) {
    auto& f = st.firms;
    const auto step = static_cast<std::uint64_t>(st.step);
    const DistressDraws draws{{st.seed, core::Purpose::refinance, step}, {st.seed, core::Purpose::bailout, step}, detail::support_weight_table(model, st)};
    const std::size_t n = f.size();
    const std::size_t chunks = (n + core::kReduceChunk - 1) / core::kReduceChunk;
    std::vector<std::array<double, kDistressCounterparts>> partial(chunks);
    std::vector<std::vector<DistressEvent>> events(chunks);
    core::parallel_for(
        chunks,
        [&](std::size_t c) {
            // A copy of the parameters in the body: the stores to the firm columns cannot alias it,
            // so the compiler keeps the parameters in registers instead of reloading them per firm.
            const FinanceSettings fin = model.scenario.finance;
            std::array<double, kDistressCounterparts> acc{};
            const std::size_t begin = c * core::kReduceChunk;
            const std::size_t end = std::min(n, begin + core::kReduceChunk);
            // The lenders' draws of the whole chunk at once (vectorised), dead rows' unused; each
            // stream's second uniform is not used.
            std::array<std::uint64_t, core::kReduceChunk> ids;       // NOLINT(cppcoreguidelines-pro-type-member-init): filled before read
            std::array<double, core::kReduceChunk> refinance_draws;  // NOLINT(cppcoreguidelines-pro-type-member-init): filled before read
            std::array<double, core::kReduceChunk> unused;           // NOLINT(cppcoreguidelines-pro-type-member-init): written only
            std::copy(f.id.data() + begin, f.id.data() + end, ids.begin());
            draws.refinance.first_uniforms(ids.data(), end - begin, refinance_draws.data(), unused.data());
            for (std::size_t i = begin; i < end; ++i) {
                f.age[i] = count_up(f.age[i], f.alive[i]);
                if (f.alive[i] == 0) {
                    f.bailout[i] = 0.0;
                    continue;
                }
                if (zombie_test) {
                    update_zombie(st, i);
                }
                std::uint8_t outcome = kUntouched;
                resolve_firm(model, fin, st, i, draws, refinance_draws[i - begin], acc, outcome);
                if (outcome != kUntouched) {
                    events[c].push_back({static_cast<std::uint32_t>(i), static_cast<DistressOutcome>(outcome)});
                }
            }
            partial[c] = acc;
        },
        1);
    std::array<double, kDistressCounterparts> totals{};
    for (const auto& p : partial) {
        for (std::size_t k = 0; k < kDistressCounterparts; ++k) {
            totals[k] += p[k];
        }
    }
    st.ledger.banks += totals[kBanks];
    st.ledger.rest_of_world += totals[kLendersAbroad];
    st.ledger.economy += totals[kAssetBuyers];
    return book_distress_events(st, events);
}

/*! A foreign producer abroad opens a plant in China for its China sales: the plant takes the China
 *  share, the capacity, capital (construction in progress included), cash and debt in proportion, and the parent keeps its production
 *  for the rest of the world. Each keeps the parent's appeal where it sells; where it does not, its
 *  floor share is at rest. */
void open_china_plant(const Model& model, State& st, std::size_t parent, std::int32_t government) {
    auto& f = st.firms;
    const std::size_t j = f.append();
    f.for_each_column([&](auto& column) { column[j] = column[parent]; });
    f.id[j] = st.new_firm_id();
    const double china_part = f.output[parent] > 0.0 ? std::clamp(f.sales_china[parent] / f.output[parent], 0.0, 1.0) : 0.5;
    const auto split = [&](core::Column<double>& column) {
        column[j] = column[parent] * china_part;
        column[parent] -= column[j];
    };
    split(f.capacity);
    split(f.capital);
    split(f.capital_in_progress);  // part of capital: the plants under construction move in the same proportion
    split(f.cash);
    split(f.debt);
    split(f.expected_demand);
    split(f.cumulative_output);
    f.localized[j] = 1;
    f.government[j] = static_cast<GovernmentIndex>(government);
    f.alive[j] = 1;
    const double floor = model.scenario.markets.min_share;
    f.share_china[j] = f.share_china[parent];
    f.share_world[j] = floor;
    f.share_china[parent] = floor;
    const double brand_china = f.appeal_china[parent];
    const double brand_world = f.appeal_world[parent];
    f.price[j] = list_price(model, st, j, f.markup[j], output_subsidy_rate(model, st, j));
    set_appeal(model, st, j);
    f.appeal_china[j] = brand_china;
    set_appeal(model, st, parent);
    f.appeal_world[parent] = brand_world;
    f.fund_equity[j] = 0.0;
    f.fund_stake[j] = 0.0;
    // The plant produces from next quarter: this quarter's flows stay with the parent.
    for (auto* flow : {&f.output, &f.sales_china, &f.sales_world, &f.variable_cost,
                       &f.subsidy_central, &f.subsidy_local, &f.tax_local, &f.fiscal_support,
                       &f.investment, &f.operating_profit,
                       &f.bailout, &f.scrapped, &f.year_operating_profit, &f.year_interest}) {
        (*flow)[j] = 0.0;
    }
    f.usable_capacity[j] = f.capacity[j];
}

/*! Foreign exporters move their China production to China under localization requirements (yearly).
 *  A firm's decision reads only its own row and a plant opening changes only its parent and the new
 *  row, so the decisions of a sector's members are drawn in parallel and the plants opened after,
 *  in member order. */
void localize(const Model& model, State& st) {
    auto& f = st.firms;
    const double response = model.scenario.markets.localization_response;
    const double min_share = model.scenario.markets.min_share;
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const double p = response * st.now[s].localization;
        if (p <= 0.0) {
            continue;
        }
        // The government draw of each member that opens a plant (uniforms are in (0, 1)), -1 for none.
        std::vector<double> location_draw(st.by_sector.size(s), -1.0);
        core::parallel_for(location_draw.size(), [&](std::size_t k) {
            const std::size_t i = st.by_sector.member(s, k);
            if (f.localized[i] != 0 || !st.is_foreign(i) || f.share_china[i] <= min_share) {
                return;
            }
            core::Stream rng(st.seed, core::Purpose::entrant, f.id[i], static_cast<std::uint64_t>(st.step));
            if (rng.uniform() < p) {
                location_draw[k] = rng.uniform();
            }
        });
        const auto cdf = st.location_cdf(model, s);
        for (std::size_t k = 0; k < location_draw.size(); ++k) {
            if (location_draw[k] >= 0.0) {
                open_china_plant(model, st, st.by_sector.member(s, k), State::pick_government(cdf, location_draw[k]));
            }
        }
    }
}

struct SectorTotals {
    double china_capacity = 0.0;
    double firms = 0.0;
    double exports_share = 0.0;
};

/*! Draws entrant row i (appended, its id given) in local government g and sector s; reads only its
 *  own row and sector- and government-wide values. Returns what its owners and banks pay in (debt
 *  minus cash). */
double draw_entrant(const Model& model, State& st, std::size_t i, std::size_t g, std::size_t s, const SectorTotals& totals) {
    const auto& sc = model.scenario;
    auto& f = st.firms;
    core::Stream rng(st.seed, core::Purpose::entrant, f.id[i], static_cast<std::uint64_t>(st.step));
    f.sector[i] = static_cast<SectorIndex>(s);
    f.government[i] = static_cast<GovernmentIndex>(g);
    f.ownership[i] = static_cast<std::uint8_t>(rng.uniform() < sc.firms.entrant_soe_share ? Ownership::soe : Ownership::private_firm);
    f.localized[i] = 1;
    f.alive[i] = 1;
    const double sigma = sc.firms.productivity_dispersion;
    const double mean = sc.firms.entrant_productivity * std::max(st.sectors.mean_productivity[s], 1e-3);
    f.productivity[i] = std::min(sc.technology.max_relative_productivity, mean * std::exp(sigma * rng.normal() - 0.5 * sigma * sigma));
    const auto& supply = sc.sectors[s].supply;
    f.capacity[i] = sc.firms.entrant_size * std::max(st.sectors.mean_capacity[s], 1e-6);
    f.capital[i] = st.capital_per_unit(model, i) * f.capacity[i];
    f.debt[i] = sc.finance.initial_leverage * f.capital[i];
    f.cash[i] = sc.finance.initial_cash * f.capital[i];
    f.markup[i] = supply.markup;
    const double weight = totals.china_capacity > 0.0 ? f.capacity[i] / totals.china_capacity : 0.0;
    f.share_china[i] = std::max(sc.markets.min_share, weight * st.sectors.domestic_share[s]);
    f.share_world[i] = std::max(sc.markets.min_share, weight * totals.exports_share);
    f.price[i] = list_price(model, st, i, f.markup[i], output_subsidy_rate(model, st, i));
    set_appeal(model, st, i);
    f.expected_demand[i] = f.capacity[i] * st.sectors.normal_utilisation[s];
    f.cumulative_output[i] = f.expected_demand[i];
    // Owners and banks finance the plant: the economy pays in equity, buys nothing back yet.
    return f.debt[i] - f.cash[i];
}

/*! Per sector, what entry leaves the incumbents: their shares are multiplied by keep, their appeals
 *  raised by its log (make_room_for_entrants). */
struct RoomForEntrants {
    std::vector<double> keep_china, keep_world, log_keep_china, log_keep_world;
};

/*! The per-sector values `factor` of rows [i, i + kWidth<L>). */
template <class L>
[[gnu::always_inline]] inline L by_sector(const Firms& f, std::size_t i, const std::vector<double>& factor) noexcept {
    return lanes::gather<L>([&](std::size_t k) { return factor[static_cast<std::size_t>(f.sector[i + k])]; });
}

/*! make_room_for_entrants on rows [i, i + kWidth<L>): the live China-located ones make room, the
 *  others are written back unchanged. */
template <class L>
[[gnu::always_inline]] inline void make_room_rows(Firms& f, std::size_t i, const RoomForEntrants& room) noexcept {
    const auto moves = lanes::both(lanes::nonzero<L>(&f.localized[i]), lanes::nonzero<L>(&f.alive[i]));
    if (lanes::none(moves)) {
        return;
    }
    lanes::store_where(&f.share_china[i], moves, lanes::load<L>(&f.share_china[i]) * by_sector<L>(f, i, room.keep_china));
    lanes::store_where(&f.share_world[i], moves, lanes::load<L>(&f.share_world[i]) * by_sector<L>(f, i, room.keep_world));
    lanes::store_where(&f.appeal_china[i], moves, lanes::load<L>(&f.appeal_china[i]) + by_sector<L>(f, i, room.log_keep_china));
    lanes::store_where(&f.appeal_world[i], moves, lanes::load<L>(&f.appeal_world[i]) + by_sector<L>(f, i, room.log_keep_world));
}

/*! make_room_rows over rows [lo, hi), four at a time with lane type L, the rest one at a time. */
template <class L>
[[gnu::always_inline]] inline void make_room_block(Firms& f, std::size_t lo, std::size_t hi, const RoomForEntrants& room) noexcept {
    std::size_t i = lo;
    for (; i + lanes::kWidth<L> <= hi; i += lanes::kWidth<L>) {
        make_room_rows<L>(f, i, room);
    }
    for (; i < hi; ++i) {
        make_room_rows<double>(f, i, room);
    }
}

#if defined(__x86_64__)
// AVX2 without FMA (lanes.hpp); a multiply or add per lane is the scalar one, so the results are the same.
[[gnu::target("avx2")]] void make_room_block_avx2(Firms& f, std::size_t lo, std::size_t hi, const RoomForEntrants& room) noexcept {
    make_room_block<lanes::Double4>(f, lo, hi, room);
}
#endif

void make_room_block_scalar(Firms& f, std::size_t lo, std::size_t hi, const RoomForEntrants& room) noexcept {
    make_room_block<double>(f, lo, hi, room);
}

/*! Entrants take their market shares from China-located incumbents of their sector (business
 *  stealing), so entry changes who supplies the domestic industry's share, not the share itself.
 *  `sums` are the live China-located incumbents' shares per sector (China, world). */
void make_room_for_entrants(const Model& model, State& st, std::size_t first_entrant, const std::vector<std::array<double, 2>>& sums) {
    auto& f = st.firms;
    const std::size_t ns = model.n_sectors;
    std::vector<double> entrant_china(ns, 0.0), entrant_world(ns, 0.0);
    for (std::size_t i = first_entrant; i < f.size(); ++i) {
        entrant_china[static_cast<std::size_t>(f.sector[i])] += f.share_china[i];
        entrant_world[static_cast<std::size_t>(f.sector[i])] += f.share_world[i];
    }
    RoomForEntrants room{std::vector<double>(ns, 1.0), std::vector<double>(ns, 1.0), std::vector<double>(ns, 0.0), std::vector<double>(ns, 0.0)};
    for (std::size_t s = 0; s < ns; ++s) {
        room.keep_china[s] = sums[s][0] > 0.0 ? std::max(0.5, 1.0 - entrant_china[s] / sums[s][0]) : 1.0;
        room.keep_world[s] = sums[s][1] > 0.0 ? std::max(0.5, 1.0 - entrant_world[s] / sums[s][1]) : 1.0;
        room.log_keep_china[s] = std::log(room.keep_china[s]);
        room.log_keep_world[s] = std::log(room.keep_world[s]);
    }
    constexpr std::size_t kBlock = 1024;
#if defined(__x86_64__)
    const auto make_room = __builtin_cpu_supports("avx2") ? make_room_block_avx2 : make_room_block_scalar;
#else
    const auto make_room = make_room_block_scalar;
#endif
    core::parallel_for(
        (first_entrant + kBlock - 1) / kBlock,
        [&](std::size_t b) { make_room(f, b * kBlock, std::min(first_entrant, (b + 1) * kBlock), room); },
        1);
}

/*! How strongly entry responds in sector s to profits above the sector's normal margin (its margin
 *  at the start) and to support, for a (government, sector) with local support weight
 *  `local_weight`: the exponent of entry_rate. */
double entry_drive(const Model& model, const State& st, std::size_t s, double local_weight) {
    const auto& sc = model.scenario;
    const auto& c = st.now[s];
    const double support = c.output_subsidy + c.investment_subsidy + local_weight * (sc.local.output_subsidy + sc.local.investment_subsidy);
    const double excess_margin = st.sectors.margin[s] - st.sectors.normal_margin[s];
    return std::clamp(sc.firms.entry_profit_sensitivity * excess_margin + sc.firms.entry_subsidy_sensitivity * support, -3.0, 2.5);
}

/*! Poisson rate of entrants in (government g, sector s). `unfocused_response[s]` is
 *  exp(entry_drive(s, 0)), the response where g does not focus on s (most pairs), taken once per
 *  sector. */
double entry_rate(const Model& model, const State& st, std::size_t g, std::size_t s, double incumbents, double sector_firms,
                  const std::vector<double>& unfocused_response) {
    const auto& sc = model.scenario;
    const auto& firms = sc.firms;
    if (st.now[s].capacity_cut > 0.0) {
        return 0.0;  // a capacity-removal programme approves no new plants
    }
    const std::size_t ns = model.n_sectors;
    const bool focus = st.governments.focus[g * ns + s] != 0;
    const double seed = sector_firms * st.governments.weight[g] * st.governments.strength[g * ns + s] /
                        static_cast<double>(std::max<std::size_t>(1, model.n_regions));
    if (!focus) {
        return firms.entry_rate * (0.5 * incumbents + 0.5 * seed) * unfocused_response[s];
    }
    const double response = std::exp(entry_drive(model, st, s, st.local_scale * st.governments.support_multiplier[g]));
    // Focus status attracts entrants only where local governments actually support industry.
    const double focus_effect = 1.0 + (firms.entry_focus_multiplier - 1.0) * std::min(1.0, st.local_scale);
    return firms.entry_rate * (0.5 * incumbents + 0.5 * seed) * response * focus_effect;
}

void enter(const Model& model, State& st) {
    const std::size_t ns = model.n_sectors;
    const std::size_t ng = st.governments.size();
    const auto& f = st.firms;
    // One pass over the incumbents for the entrants' size and shares (all China-located firms in
    // the index) and for the shares entrants take (live ones; entrants only write their own rows).
    std::vector<std::array<double, 5>> sums;
    core::group_sums<5>(st.by_sector, sums, [&](std::size_t i, std::array<double, 5>& acc) {
        if (f.localized[i] != 0) {
            acc[0] += f.capacity[i];
            acc[1] += 1.0;
            acc[2] += f.share_world[i];
            if (f.alive[i] != 0) {
                acc[3] += f.share_china[i];
                acc[4] += f.share_world[i];
            }
        }
    });
    std::vector<SectorTotals> totals(ns);
    std::vector<std::array<double, 2>> incumbents(ns);
    for (std::size_t s = 0; s < ns; ++s) {
        totals[s] = {sums[s][0], sums[s][1], sums[s][2]};
        incumbents[s] = {sums[s][3], sums[s][4]};
    }
    std::vector<double> unfocused_response(ns);
    for (std::size_t s = 0; s < ns; ++s) {
        unfocused_response[s] = std::exp(entry_drive(model, st, s, 0.0));
    }
    std::vector<std::uint32_t> arrivals(ng * ns, 0);
    core::parallel_for(ng * ns, [&](std::size_t key) {
        const std::size_t g = key / ns;
        const std::size_t s = key % ns;
        const double lambda = entry_rate(model, st, g, s, static_cast<double>(st.by_government_sector.size(key)), totals[s].firms, unfocused_response);
        core::Stream rng(st.seed, core::Purpose::entry, key, static_cast<std::uint64_t>(st.step));
        arrivals[key] = static_cast<std::uint32_t>(std::min<std::uint64_t>(rng.poisson(lambda), 1000));
    });
    // Entrants get their rows and ids in (government, sector) order; each then draws from its own
    // stream and reads only its row and sector-wide values, so the rows are filled in parallel and
    // the payments booked in entrant order afterwards.
    const std::size_t first_entrant = st.firms.size();
    std::vector<std::uint32_t> entrant_key;
    for (std::size_t key = 0; key < ng * ns; ++key) {
        for (std::uint32_t k = 0; k < arrivals[key]; ++k) {
            const std::size_t i = st.firms.append();
            st.firms.id[i] = st.new_firm_id();
            entrant_key.push_back(static_cast<std::uint32_t>(key));
        }
    }
    std::vector<double> paid_in(entrant_key.size());
    core::parallel_for(
        entrant_key.size(),
        [&](std::size_t j) {
            const std::size_t key = entrant_key[j];
            paid_in[j] = draw_entrant(model, st, first_entrant + j, key / ns, key % ns, totals[key % ns]);
        },
        64);
    for (std::size_t j = 0; j < entrant_key.size(); ++j) {
        st.ledger.economy += paid_in[j];
        st.sectors.entries[entrant_key[j] % ns] += 1.0;
    }
    make_room_for_entrants(model, st, first_entrant, incumbents);
}

}  // namespace

void update_population(const Model& model, State& st) {
    auto& f = st.firms;
    std::fill(st.sectors.entries.begin(), st.sectors.entries.end(), 0.0);
    std::fill(st.sectors.exits.begin(), st.sectors.exits.end(), 0.0);
    std::fill(st.sectors.refinanced.begin(), st.sectors.refinanced.end(), 0.0);
    std::fill(st.sectors.distress_sales.begin(), st.sectors.distress_sales.end(), 0.0);
    std::fill(st.sectors.bailouts.begin(), st.sectors.bailouts.end(), 0.0);
    // The group indexes change only with the population: exits, new plants, entrants, compaction.
    // Without a compaction that removed rows they are updated (the dead dropped, the new appended).
    const bool exited = resolve_insolvency(model, st, st.is_last_quarter());
    const std::size_t before = f.size();
    if (st.is_first_quarter()) {
        localize(model, st);
    }
    enter(model, st);
    const bool appended = f.size() != before;
    bool compacted = false;
    if (st.is_last_quarter()) {
        const std::size_t before_compaction = f.size();
        f.compact();
        compacted = f.size() != before_compaction;
    }
    if (compacted) {
        st.rebuild_indexes(model);
    } else if (exited || appended) {
        st.update_indexes(model, before);
    }
}

}  // namespace ipsim::model
