/*!
 * @file setup.cpp
 * @brief Builds the initial agents from the scenario.
 *
 * Local governments split each region's fiscal aggregates by a random weight. Firms of each
 * sector are created in a fixed order (foreign exporters, localized foreign firms, SOEs,
 * private firms), placed in local governments with probability proportional to the region's
 * size times its strength in the sector, and sized so that the sector's initial China-located
 * output, domestic share and exports match the scenario. Every draw uses the setup stream of
 * the firm's id, so the initial population is identical across counterfactuals that share
 * the same structure.
 */
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "core/parallel.hpp"
#include "core/random.hpp"
#include "model/demand_history.hpp"
#include "model/phases.hpp"

namespace ipsim::model {
namespace {

constexpr std::uint64_t kGovernmentStreamBase = 1ULL << 40U;
constexpr double kInitialExperienceQuarters = 20.0;  // past production at the start: about five years (assumption)
constexpr double kMaxInputShare = 0.9;               // inputs from the modelled sectors never exceed 90% of variable cost
constexpr double kGovernmentWeightDispersion = 0.6;  // log-sd of the weights of a region's governments (assumption: counties differ a lot in size)
constexpr double kFundStartSpread = 5.0;             // local funds start in one of the first 5 years (guidance funds spread over 2015-2019, assumption)
constexpr double kMaxSegmentShare = 0.95;            // initial China-located output takes at most 95% of either market (assumption)
constexpr double kMinFinalDemandShare = 0.2;         // final demand is at least 20% of China's demand for a sector (assumption)

double region_strength(const Region& region, const std::string& sector) {
    for (const auto& [name, value] : region.strengths) {
        if (name == sector) {
            return value;
        }
    }
    return Region::unlisted_strength;
}

void build_governments(const Model& model, State& st) {
    const auto& sc = model.scenario;
    const std::size_t ns = model.n_sectors;
    const auto per_region = static_cast<std::size_t>(sc.local.per_region);
    auto& g = st.governments;
    for (std::size_t r = 0; r < sc.regions.size(); ++r) {
        const auto& region = sc.regions[r];
        std::vector<double> weights(per_region, 1.0);
        if (per_region > 1) {
            for (std::size_t k = 0; k < per_region; ++k) {
                core::Stream rng(st.seed, core::Purpose::setup, kGovernmentStreamBase + r * per_region + k, 0);
                weights[k] = std::exp(kGovernmentWeightDispersion * rng.normal());
            }
        }
        const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
        for (std::size_t k = 0; k < per_region; ++k) {
            const double w = weights[k] / total;
            g.region.push_back(static_cast<std::int32_t>(r));
            g.weight.push_back(w);
            g.debt.push_back(region.debt * w);
            g.tax_base.push_back(region.tax_base * w);
            g.land_revenue_base.push_back(region.land_revenue * w);
            g.revenue.push_back((region.tax_base + region.land_revenue) * w);
            core::Stream rng(st.seed, core::Purpose::setup, kGovernmentStreamBase + r * per_region + k, 1);
            for (std::size_t s = 0; s < ns; ++s) {
                const double noise = per_region > 1 ? std::exp(0.4 * rng.normal()) : 1.0;
                g.strength.push_back(region_strength(region, sc.sectors[s].name) * noise);
            }
        }
    }
    const std::size_t n = g.region.size();
    g.support_spent.assign(n, 0.0);
    g.support_multiplier.assign(n, 1.0);
    g.transfers.assign(n, 0.0);
    g.land_revenue.assign(n, 0.0);
    g.bailouts.assign(n, 0.0);
    g.tournament_score.assign(n, 0.0);
    g.priority_output.assign(n, 0.0);
    g.priority_output_prev.assign(n, 0.0);
    g.focus.assign(n * ns, 0);
}

std::uint32_t mandate_mask(const Scenario& sc, const std::vector<std::string>& sectors) {
    std::uint32_t mask = 0;
    for (const auto& name : sectors) {
        const int s = sc.sector_index(name);
        if (s >= 0 && s < 32) {
            mask |= 1U << static_cast<unsigned>(s);
        }
    }
    return mask;
}

void add_fund(Funds& f, std::int32_t government, double pledged, double start, double years, double paid_share,
              std::uint32_t mandate) {
    const std::size_t k = f.append();
    f.government[k] = government;
    f.national[k] = static_cast<std::uint8_t>(government < 0 ? 1 : 0);
    f.pledged[k] = pledged;
    f.start_year[k] = start;
    f.investment_years[k] = years;
    f.paid_in_share[k] = paid_share;
    f.mandate[k] = mandate;
}

void build_funds(const Model& model, State& st) {
    const auto& sc = model.scenario;
    for (const auto& nf : sc.funds.national) {
        add_fund(st.funds, -1, nf.pledged, nf.start_year, nf.investment_years, nf.paid_in_share,
                 mandate_mask(sc, nf.sectors));
    }
    // Local guidance funds: a deterministic count per government, started between the first
    // year and five years later (funds proliferated 2015-2020, CSET 2021).
    const auto& local = sc.local;
    const double budget_years = sc.funds.investment_years;
    double carry = 0.0;
    for (std::size_t g = 0; g < st.governments.size(); ++g) {
        carry += sc.funds.local_per_government;
        const auto count = static_cast<std::size_t>(std::floor(carry + 1e-9));
        carry -= static_cast<double>(count);
        for (std::size_t k = 0; k < count; ++k) {
            core::Stream rng(st.seed, core::Purpose::setup, kGovernmentStreamBase * 2 + g * 64 + k, 0);
            const double start = sc.time.start_year + std::floor(rng.uniform() * kFundStartSpread);
            const double pledged = local.fund_contribution * local.support_share * 4.0 * st.governments.revenue[g] *
                                   budget_years / std::max(1.0, sc.funds.local_per_government);
            add_fund(st.funds, static_cast<std::int32_t>(g), pledged, start, budget_years, local.fund_paid_in_share, 0);
        }
    }
}

struct SectorCounts {
    std::size_t exporters = 0;
    std::size_t localized = 0;
    std::size_t soe = 0;
    std::size_t privately_owned = 0;
};

SectorCounts split_sector(const Scenario& sc, const Sector& sector, std::size_t n) {
    SectorCounts c;
    const auto foreign = static_cast<std::size_t>(std::llround(static_cast<double>(n) * sector.supply.foreign_share));
    c.localized = static_cast<std::size_t>(std::llround(static_cast<double>(foreign) * sector.supply.localized_share));
    c.exporters = std::max<std::size_t>(foreign - c.localized, 1);  // the rest of the world always supplies
    const std::size_t domestic = std::max<std::size_t>(n > foreign ? n - foreign : 0, 1);
    const double soe = sector.supply.soe_share;
    const double ratio = soe >= 1.0 ? 1e9 : soe / ((1.0 - soe) * sc.firms.soe_size_premium);
    c.soe = static_cast<std::size_t>(std::llround(static_cast<double>(domestic) * ratio / (1.0 + ratio)));
    if (soe > 0.0) {
        c.soe = std::max<std::size_t>(c.soe, 1);
    }
    c.soe = std::min(c.soe, domestic);
    c.privately_owned = domestic - c.soe;
    return c;
}

/*! Appends one firm with its identity (id, sector, ownership, location flags); draw_firm does the rest. */
void append_firm(State& st, std::size_t s, Ownership own, bool localized_firm, bool central) {
    auto& f = st.firms;
    const std::size_t i = f.append();
    f.id[i] = st.new_firm_id();
    f.sector[i] = static_cast<SectorIndex>(s);
    f.ownership[i] = static_cast<std::uint8_t>(own);
    f.localized[i] = localized_firm ? 1 : 0;
    f.central[i] = central ? 1 : 0;
    f.alive[i] = 1;
}

/*! The draws of firm i from its own setup stream: location, productivity and relative size.
 *  Writes only row i, so firms can be drawn in parallel. */
void draw_firm(const Model& model, State& st, std::size_t i, const std::vector<double>& cdf) {
    const auto& sc = model.scenario;
    auto& f = st.firms;
    const auto& sector = sc.sectors[static_cast<std::size_t>(f.sector[i])];
    const auto own = static_cast<Ownership>(f.ownership[i]);
    core::Stream rng(st.seed, core::Purpose::setup, f.id[i], 0);
    f.government[i] = f.localized[i] != 0 ? State::pick_government(cdf, rng.uniform()) : GovernmentIndex{-1};
    const double sigma = sc.firms.productivity_dispersion;
    const double mean = own == Ownership::foreign ? 1.0 : sector.supply.china_productivity;
    f.productivity[i] = std::min(sc.technology.max_relative_productivity, mean * std::exp(sigma * rng.normal() - 0.5 * sigma * sigma));
    const double premium = own == Ownership::private_firm ? 1.0 : sc.firms.soe_size_premium;
    f.capacity[i] = premium * std::exp(sc.firms.size_dispersion * rng.normal());  // relative; scaled later
    f.markup[i] = sector.supply.markup;
    f.age[i] = kFirstFirmAge;
}

/*! Appends a sector's firms in the fixed order: foreign exporters, localized foreign firms, SOEs
 *  (central ones first), private firms. */
void append_sector_firms(State& st, const Sector& sector, std::size_t s, const SectorCounts& counts) {
    for (std::size_t k = 0; k < counts.exporters; ++k) {
        append_firm(st, s, Ownership::foreign, false, false);
    }
    for (std::size_t k = 0; k < counts.localized; ++k) {
        append_firm(st, s, Ownership::foreign, true, false);
    }
    const auto central = static_cast<std::size_t>(std::llround(static_cast<double>(counts.soe) * sector.supply.central_soe_share));
    for (std::size_t k = 0; k < counts.soe; ++k) {
        append_firm(st, s, Ownership::soe, true, k < central);
    }
    for (std::size_t k = 0; k < counts.privately_owned; ++k) {
        append_firm(st, s, Ownership::private_firm, true, false);
    }
}

/*! Scales capacities and sets shares so the sector's initial flows match the scenario. */
void size_sector(const Model& model, State& st, std::size_t s, std::size_t first, std::size_t last) {
    const auto& sector = model.scenario.sectors[s];
    auto& f = st.firms;
    const double dc = sector.demand.china;
    const double dw = sector.demand.world;
    const double china_output = sector.supply.china_world_share * (dc + dw);
    double domestic = std::min(sector.supply.initial_domestic_share * dc, china_output);
    double exports = china_output - domestic;
    if (exports > dw * kMaxSegmentShare) {
        exports = dw * kMaxSegmentShare;
        domestic = std::min(dc * kMaxSegmentShare, china_output - exports);
    }
    double local_weight = 0.0;
    double abroad_weight = 0.0;
    for (std::size_t i = first; i < last; ++i) {
        (f.localized[i] != 0 ? local_weight : abroad_weight) += f.capacity[i];
    }
    // Provisional capacity at the normal utilisation; firms choose their own in size_capacity.
    const double u0 = model.scenario.markets.target_utilisation;
    core::parallel_for(last - first, [&, first](std::size_t k) {
        const std::size_t i = first + k;
        const bool local = f.localized[i] != 0;
        const double w = f.capacity[i] / (local ? local_weight : abroad_weight);
        f.share_china[i] = w * (local ? domestic / dc : 1.0 - domestic / dc);
        f.share_world[i] = w * (local ? exports / dw : 1.0 - exports / dw);
        f.output[i] = f.share_china[i] * dc + f.share_world[i] * dw;
        f.sales_china[i] = f.share_china[i] * dc;
        f.sales_world[i] = f.share_world[i] * dw;
        f.expected_demand[i] = f.output[i];
        f.capacity[i] = f.output[i] / u0;
        f.cumulative_output[i] = f.output[i] * kInitialExperienceQuarters;
    });
}

void finance_firms(const Model& model, State& st) {
    const auto& sc = model.scenario;
    auto& f = st.firms;
    core::parallel_for(f.size(), [&](std::size_t i) {
        f.capital[i] = st.capital_per_unit(model, i) * f.capacity[i] + f.capital_in_progress[i];
        f.debt[i] = sc.finance.initial_leverage * f.capital[i];
        f.cash[i] = sc.finance.initial_cash * f.capital[i];
    });
}

void build_firms(const Model& model, State& st) {
    const auto& sc = model.scenario;
    double share_total = 0.0;
    for (const auto& sector : sc.sectors) {
        share_total += sector.supply.firm_share;
    }
    std::vector<std::size_t> counts(sc.sectors.size());
    for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
        const double share = share_total > 0.0 ? sc.sectors[s].supply.firm_share / share_total : 1.0 / static_cast<double>(sc.sectors.size());
        counts[s] = std::max<std::size_t>(2, static_cast<std::size_t>(std::llround(static_cast<double>(sc.firms.count) * share)));
    }
    st.firms.reserve(std::accumulate(counts.begin(), counts.end(), std::size_t{0}));
    std::vector<std::size_t> first(sc.sectors.size() + 1, 0);
    std::vector<std::vector<double>> cdf(sc.sectors.size());
    for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
        const auto& sector = sc.sectors[s];
        first[s] = st.firms.size();
        append_sector_firms(st, sector, s, split_sector(sc, sector, counts[s]));
        cdf[s] = st.location_cdf(model, s);
    }
    first.back() = st.firms.size();
    core::parallel_for(st.firms.size(), [&](std::size_t i) { draw_firm(model, st, i, cdf[static_cast<std::size_t>(st.firms.sector[i])]); });
    for (std::size_t s = 0; s < sc.sectors.size(); ++s) {
        size_sector(model, st, s, first[s], first[s + 1]);
    }
}

void init_sectors(const Model& model, State& st) {
    const auto& sc = model.scenario;
    const std::size_t ns = model.n_sectors;
    auto& sec = st.sectors;
    auto zeros = [ns](std::vector<double>& v, double value = 0.0) { v.assign(ns, value); };
    zeros(sec.frontier, 1.0);
    zeros(sec.base_cost);
    zeros(sec.demand_china);
    zeros(sec.demand_world);
    zeros(sec.final_china0);
    zeros(sec.world_experience);
    zeros(sec.world_experience_prev);
    zeros(sec.variable_cost_china);
    zeros(sec.price_index, 1.0);
    zeros(sec.price_index_china, 1.0);
    zeros(sec.price_index_world, 1.0);
    zeros(sec.utilisation);
    zeros(sec.normal_utilisation);
    zeros(sec.reference_capacity, 1.0);
    zeros(sec.demand_variance);
    zeros(sec.domestic_share);
    zeros(sec.world_share);
    zeros(sec.margin);
    zeros(sec.reference_cost_china);
    zeros(sec.reference_cost_abroad);
    zeros(sec.normal_margin);
    zeros(sec.subsidy_rate);
    zeros(sec.output_china);
    zeros(sec.mean_capacity);
    zeros(sec.mean_productivity);
    zeros(sec.best_productivity);
    zeros(sec.priority);
    zeros(sec.tariff);
    sec.trigger_fired.assign(ns, 0);
    zeros(sec.fund_presence);
    for (auto* v : {&sec.price_china0, &sec.price_world0, &sec.price_local0,
                    &sec.entries, &sec.exits, &sec.refinanced, &sec.distress_sales, &sec.bailouts, &sec.fund_equity_flow,
                    &sec.subsidy_sales_year, &sec.sales_year, &sec.output_year}) {
        zeros(*v);
    }
    sec.demand_growth_expected.assign(2 * ns, 0.0);
    sec.demand_year_ago.assign(std::size_t{4} * 2 * ns, 0.0);
    for (std::size_t s = 0; s < ns; ++s) {
        const auto& sector = sc.sectors[s];
        sec.base_cost[s] = 1.0 / (1.0 + sector.supply.markup);
        sec.demand_china[s] = sector.demand.china;
        sec.demand_world[s] = sector.demand.world;
        sec.priority[s] = sector.policy.priority;
        sec.utilisation[s] = sc.markets.target_utilisation;
        sec.normal_utilisation[s] = sc.markets.target_utilisation;
        sec.domestic_share[s] = sector.supply.initial_domestic_share;
        sec.world_share[s] = sector.supply.china_world_share;
        sec.output_china[s] = sector.supply.china_world_share * (sector.demand.china + sector.demand.world);
        // World experience at the start: about five years of current world output.
        sec.world_experience[s] = kInitialExperienceQuarters * (sector.demand.china + sector.demand.world);
        sec.world_experience_prev[s] = sec.world_experience[s];
    }
}

}  // namespace

void calibrate_input_output(Model& model, State& st) {
    const auto& sc = model.scenario;
    const auto& f = st.firms;
    const std::size_t ns = model.n_sectors;
    std::vector<std::array<double, 2>> sums;
    core::group_sums<2>(st.by_sector, sums, [&](std::size_t i, std::array<double, 2>& acc) {
        if (f.localized[i] != 0) {
            acc[0] += f.price[i] * f.output[i];
            acc[1] += unit_cost(model, st, i) * f.output[i];
        }
    });
    const auto n = static_cast<Eigen::Index>(ns);
    model.input_shares = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index k = 0; k < n; ++k) {
        const auto& [revenue, cost] = sums[static_cast<std::size_t>(k)];
        if (cost <= 0.0) {
            continue;
        }
        // Links are CNY of input per CNY of output: as shares of variable cost, at most 90%.
        model.input_shares.col(k) = model.io.col(k) * (revenue / cost);
        const double total = model.input_shares.col(k).sum();
        if (total > kMaxInputShare) {
            model.input_shares.col(k) *= kMaxInputShare / total;
        }
        st.sectors.variable_cost_china[static_cast<std::size_t>(k)] = cost;
    }
    const Eigen::VectorXd intermediate = input_spending(model, st);
    for (std::size_t s = 0; s < ns; ++s) {
        // Final demand in China excludes what China-located producers buy from each other.
        const double total = sc.sectors[s].demand.china;
        st.sectors.final_china0[s] = std::max(kMinFinalDemandShare * total, total - intermediate(static_cast<Eigen::Index>(s)));
    }
}

namespace {

/*! A segment's history per sector: [segment * sectors + sector], segment 0 China, 1 world. */
using SegmentHistories = std::vector<DemandHistory>;

SegmentHistories replay_histories(const Model& model) {
    const auto& sc = model.scenario;
    SegmentHistories h(2 * model.n_sectors);
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        const auto& rule = model.sectors[s].ordering_rule;
        h[s] = replay_demand_history(sc, sc.sectors[s].demand.china_growth, rule);
        h[model.n_sectors + s] = replay_demand_history(sc, sc.sectors[s].demand.world_growth, rule);
    }
    return h;
}

/*! Each firm starts with the capacity it would choose under the policy in force, financed by
 *  debt and cash in fixed proportions of its capital. */
void size_capacity(const Model& model, State& st, const SegmentHistories& history) {
    auto& f = st.firms;
    const std::size_t ns = model.n_sectors;
    core::parallel_for(f.size(), [&](std::size_t i) {
        // At rest capacity in place is the target and the steady path's orders are under
        // construction; a demand history scales both, segment by segment in proportion to the
        // firm's sales in each.
        const auto s = static_cast<std::size_t>(f.sector[i]);
        const double at_rest = target_capacity(model, st, i);
        const double sales = f.sales_china[i] + f.sales_world[i];
        const double china = sales > 0.0 ? f.sales_china[i] / sales : 1.0;
        const auto& hc = history[s];
        const auto& hw = history[ns + s];
        f.capacity[i] = std::max(f.output[i], at_rest * (china * hc.capacity_factor + (1.0 - china) * hw.capacity_factor));
        const double pipeline = at_rest * (china * hc.pipeline_factor + (1.0 - china) * hw.pipeline_factor);
        f.capital_in_progress[i] = st.capital_per_unit(model, i) * pipeline;
        f.expected_demand[i] = f.sales_china[i] * hc.expectation_factor + f.sales_world[i] * hw.expectation_factor;
        f.usable_capacity[i] = f.capacity[i];
    });
    finance_firms(model, st);
}

/*! Growth expectations and the demand history they are formed from, as each segment's replayed
 *  history leaves them (slot q is read in quarter q and holds demand four quarters earlier). Set
 *  before capacities are sized, and again after the initial summary, which overwrites the first
 *  quarter's slots. */
void initialise_demand_history(const Model& model, State& st, const SegmentHistories& history) {
    auto& sec = st.sectors;
    const std::size_t ns = model.n_sectors;
    for (std::size_t m = 0; m < 2; ++m) {
        for (std::size_t s = 0; s < ns; ++s) {
            const double demand = m == 0 ? sec.demand_china[s] : sec.demand_world[s];
            const auto& h = history[m * ns + s];
            sec.demand_growth_expected[m * ns + s] = h.expected_growth;
            for (std::size_t q = 0; q < 4; ++q) {
                sec.demand_year_ago[(q * 2 + m) * ns + s] = demand * h.year_ago[q];
            }
        }
    }
}

}  // namespace

void setup_state(Model& model, State& st) {
    // The model is still being built: model.input_shares stays empty (set_instruments then leaves
    // the input-cost terms at rest) until calibrate_input_output sets it from the initial firms.
    st.now.assign(model.n_sectors, SectorConditions{});
    build_governments(model, st);
    check_firm_column_ranges(model.scenario, st.governments.size());
    st.firms.zombie_years = static_cast<QuarterCount>(model.scenario.finance.zombie_years);
    init_sectors(model, st);
    const auto history = replay_histories(model);
    initialise_demand_history(model, st, history);
    build_funds(model, st);
    build_firms(model, st);
    finance_firms(model, st);
    st.rebuild_indexes(model);
    // The state starts at rest under the central policy in force before the first quarter.
    set_instruments(model, st, model.scenario.time.start_year - 0.25);
    calibrate_appeal(model, st);
    calibrate_input_output(model, st);
    set_instruments(model, st, model.scenario.time.start_year - 0.25);
    size_capacity(model, st, history);
    initialise_histories(model, st);
    summarize_initial_state(model, st);
    initialise_demand_history(model, st, history);
    st.ledger.initial_total = st.money_total();
}

}  // namespace ipsim::model
