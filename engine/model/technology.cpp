/*!
 * @file technology.cpp
 * @brief Productivity of Chinese firms relative to the world frontier.
 *
 * Five forces, applied per firm in parallel: R&D gives a random innovation (hazard rising with
 * R&D intensity, falling with the sector's difficulty); imitation closes part of the gap to
 * the domestic best practice, faster in large clusters and with cluster support; technology
 * transfer closes part of the gap to the frontier in proportion to the output share of
 * localized foreign firms in the same local-government sector; absorption closes part of the
 * gap to the frontier in proportion to the firm's R&D intensity; learning by doing raises
 * productivity with cumulative output. The frontier itself grows, which erodes every
 * Chinese firm's relative productivity unless these forces outpace it. Foreign firms stay at
 * their position relative to the frontier.
 */
#include <algorithm>
#include <cmath>

#include "core/random.hpp"
#include "model/detail/firm_costs.hpp"
#include "model/phases.hpp"

#if IPSIM_VECTOR_MATH
#include <array>

#include "model/detail/vector_math.hpp"
#endif

namespace ipsim::model {
namespace {

/*! R&D intensity, relative to the sector's normal, beyond which absorptive capacity stops growing. */
constexpr double kMaxAbsorptiveIntensity = 2.0;

/*! Share of innovation, imitation, transfer and absorption left to Chinese firms of sector s under export
 *  controls: 1 - setback x component intensity x share of foreign technology cut off. */
double technology_access(const Model& model, const State& st, std::size_t s) {
    const auto& sector = model.scenario.sectors[s];
    const double cut = model.scenario.technology.export_control_setback * sector.technology.component_intensity * st.now[s].export_control;
    return std::clamp(1.0 - cut, 0.0, 1.0);
}

/*! Best practice per sector: the 90th percentile of Chinese-owned firms' productivity. O(n). */
std::vector<double> best_practice(const Model& model, const State& st) {
    const auto& f = st.firms;
    std::vector<double> best(model.n_sectors, 0.0);
    core::parallel_for(
        model.n_sectors,
        [&](std::size_t s) {
            std::vector<double> values;
            values.reserve(st.by_sector.size(s));
            for (const auto* it = st.by_sector.begin(s); it != st.by_sector.end(s); ++it) {
                if (f.ownership[*it] != static_cast<std::uint8_t>(Ownership::foreign)) {
                    values.push_back(f.productivity[*it]);
                }
            }
            if (values.empty()) {
                return;
            }
            const auto k = static_cast<std::ptrdiff_t>(0.9 * static_cast<double>(values.size() - 1));
            std::nth_element(values.begin(), values.begin() + k, values.end());
            best[s] = values[static_cast<std::size_t>(k)];
        },
        1);
    return best;
}

struct ClusterInfo {
    double firms = 0.0;
    double foreign_share = 0.0;  // output share of localized foreign firms
    double relative_size = 0.0;  // log of (1 + firms) over (1 + the sector's average cluster)
};

/*! What every Chinese firm of a sector shares this quarter: the factors of advance_firm's products
 *  that come first in their evaluation order, so taking them once per sector gives the same values. */
struct SectorTerms {
    double access = 1.0;  // technology_access
    double log_frontier_step = 0.0;
    double normal_intensity = 1e-6;  // the sector's normal R&D intensity (at least 1e-6)
    double difficulty = 1.0;
    double innovation = 0.0;  // access x innovation rate
    double imitation = 0.0;   // access x imitation rate
    double absorption = 0.0;  // access x frontier absorption
    double transfer = 0.0;    // imitation rate x transfer boost
    double cluster_support = 0.0;
};

SectorTerms sector_terms(const Model& model, const State& st, std::size_t s) {
    const auto& tech = model.scenario.technology;
    const auto& sector = model.scenario.sectors[s].technology;
    SectorTerms t;
    t.access = technology_access(model, st, s);
    t.log_frontier_step = std::log(st.now[s].frontier_step);
    t.normal_intensity = std::max(sector.rd_intensity, 1e-6);
    t.difficulty = sector.difficulty;
    t.innovation = t.access * tech.innovation_rate;
    t.imitation = t.access * tech.imitation_rate;
    t.absorption = t.access * tech.frontier_absorption;
    t.transfer = tech.imitation_rate * tech.transfer_boost;
    t.cluster_support = st.now[s].cluster_support;
    return t;
}

std::vector<ClusterInfo> clusters(const State& st) {
    const auto& f = st.firms;
    std::vector<std::array<double, 3>> sums;
    core::group_sums<3>(st.by_government_sector, sums, [&](std::size_t i, std::array<double, 3>& acc) {
        acc[0] += 1.0;
        acc[1] += f.output[i];
        acc[2] += f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign) ? f.output[i] : 0.0;
    });
    std::vector<ClusterInfo> out(sums.size());
    for (std::size_t k = 0; k < sums.size(); ++k) {
        out[k].firms = sums[k][0];
        out[k].foreign_share = sums[k][1] > 0.0 ? sums[k][2] / sums[k][1] : 0.0;
    }
    return out;
}

/*! The arguments of advance_firm's transcendental calls for firm i: the exponent of an innovation
 *  (if it innovates this quarter) and the growth of its cumulative output (if it learns). */
struct ProductivityShocks {
    double intensity;  // R&D over revenue
    bool innovates;
    double jump_exponent;  // 0 unless it innovates
    bool learns;
    double output_growth;  // 1 unless it learns
};

[[gnu::always_inline]] inline ProductivityShocks productivity_shocks(const State& st, std::size_t i, const SectorTerms& t) {
    const auto& f = st.firms;
    ProductivityShocks shocks;  // no initializers: a block's array of them is not cleared first
    core::Stream rng(st.seed, core::Purpose::innovation, f.id[i], static_cast<std::uint64_t>(st.step));
    // Innovation: a firm at the sector's normal R&D intensity and difficulty 1 keeps pace with
    // the frontier on average; success comes in jumps of twice the expected quarterly gain.
    const double revenue = detail::firm_revenue(f, i);
    shocks.intensity = revenue > 0.0 ? detail::firm_rd(st, i, revenue) / revenue : 0.0;
    // Export controls cut firms off from foreign tools, design software and know-how (t.access).
    const double pace = t.innovation * (shocks.intensity / t.normal_intensity) / t.difficulty;
    const double hazard = std::min(0.9, 0.5 * pace);
    shocks.innovates = hazard > 0.0 && rng.uniform() < hazard;
    const double expected_gain = t.log_frontier_step * pace;
    shocks.jump_exponent = shocks.innovates ? expected_gain / hazard * (0.5 + rng.uniform()) : 0.0;
    const double before = f.cumulative_output[i] - f.output[i];
    shocks.learns = before > 0.0 && f.output[i] > 0.0;
    shocks.output_growth = shocks.learns ? f.cumulative_output[i] / before : 1.0;
    return shocks;
}

/*! Advances firm i's productivity, given its shocks, exp(shocks.jump_exponent) and
 *  pow(shocks.output_growth, learning_rate). */
[[gnu::always_inline]] inline void advance_firm(const Model& model, State& st, std::size_t i, const std::vector<double>& best,
                                                const std::vector<ClusterInfo>& cluster, const SectorTerms& t, const ProductivityShocks& shocks,
                                                double jump, double learning) {
    const auto& tech = model.scenario.technology;
    auto& f = st.firms;
    const auto s = static_cast<std::size_t>(f.sector[i]);
    const auto g = static_cast<std::size_t>(f.government[i]);
    double a = f.productivity[i];
    if (shocks.innovates) {
        a *= jump;
    }
    const auto& c = cluster[g * model.n_sectors + s];
    const bool focus = st.governments.focus[g * model.n_sectors + s] != 0;
    // Larger local clusters imitate faster; cluster programmes add to imitation in focus sectors.
    const double cluster_effect = std::max(-0.5, tech.cluster_boost * c.relative_size) + (focus ? t.cluster_support : 0.0);
    a += t.imitation * (1.0 + cluster_effect) * std::max(0.0, best[s] - a);
    a += t.access * std::min(1.0, t.transfer * c.foreign_share) * std::max(0.0, 1.0 - a);
    // R&D's second face: it also buys the capacity to absorb what the world frontier knows, so a
    // firm behind the frontier catches up faster the more it spends (Griffith et al. 2004).
    a += t.absorption * std::min(kMaxAbsorptiveIntensity, shocks.intensity / t.normal_intensity) * std::max(0.0, 1.0 - a);
    if (shocks.learns) {
        a *= learning;
    }
    a /= st.now[s].frontier_step;
    f.productivity[i] = std::clamp(a, 1e-3, tech.max_relative_productivity);
}

#if !IPSIM_VECTOR_MATH
/*! Advances firm i's productivity, with its exp and pow from scalar libm. */
void advance_firm(const Model& model, State& st, std::size_t i, const std::vector<double>& best, const std::vector<ClusterInfo>& cluster,
                  const SectorTerms& t) {
    const auto shocks = productivity_shocks(st, i, t);
    const double jump = shocks.innovates ? std::exp(shocks.jump_exponent) : 1.0;
    const double learning = shocks.learns ? std::pow(shocks.output_growth, model.scenario.technology.learning_rate) : 1.0;
    advance_firm(model, st, i, best, cluster, t, shocks, jump, learning);
}
#endif

/*! Mean number of China-located firms per local government with at least one, per sector. */
std::vector<double> average_cluster_size(const Model& model, const std::vector<ClusterInfo>& cluster) {
    const std::size_t ns = model.n_sectors;
    std::vector<double> firms(ns, 0.0);
    std::vector<double> places(ns, 0.0);
    for (std::size_t k = 0; k < cluster.size(); ++k) {
        if (cluster[k].firms > 0.0) {
            firms[k % ns] += cluster[k].firms;
            places[k % ns] += 1.0;
        }
    }
    for (std::size_t s = 0; s < ns; ++s) {
        firms[s] = places[s] > 0.0 ? firms[s] / places[s] : 0.0;
    }
    return firms;
}

}  // namespace

void advance_technology(const Model& model, State& st) {
    const auto best = best_practice(model, st);
    auto cluster = clusters(st);
    const auto average_cluster = average_cluster_size(model, cluster);
    const std::size_t ns = model.n_sectors;
    for (std::size_t k = 0; k < cluster.size(); ++k) {
        if (cluster[k].firms <= 0.0) {
            continue;  // no firm of this cluster reads it
        }
        cluster[k].relative_size = std::log((1.0 + cluster[k].firms) / (1.0 + average_cluster[k % ns]));
    }
    std::vector<SectorTerms> terms(ns);
    for (std::size_t s = 0; s < ns; ++s) {
        terms[s] = sector_terms(model, st, s);
    }
    // advance_firm does not read the frontier, so it moves first and each firm's capacity follows
    // its new productivity in the same pass.
    for (std::size_t s = 0; s < model.n_sectors; ++s) {
        st.sectors.frontier[s] *= st.now[s].frontier_step;
        st.sectors.best_productivity[s] = best[s];
    }
    auto& f = st.firms;
    // Chinese firms (China-located, Chinese-owned) advance; every live firm's capacity follows its productivity.
    auto chinese = [&](std::size_t i) { return f.localized[i] != 0 && f.ownership[i] != static_cast<std::uint8_t>(Ownership::foreign); };
    auto sector_terms_of = [&](std::size_t i) -> const SectorTerms& { return terms[static_cast<std::size_t>(f.sector[i])]; };
#if !IPSIM_VECTOR_MATH
    core::parallel_for(f.size(), [&](std::size_t i) {
        if (f.alive[i] == 0) {
            return;
        }
        if (chinese(i)) {
            advance_firm(model, st, i, best, cluster, sector_terms_of(i));
        }
        st.update_capacity(model, i);
    });
#else
    // The jumps' exps and the learning powers are taken over blocks of kBlock rows (vector_math).
    namespace vm = detail::vector_math;
    const double learning_rate = model.scenario.technology.learning_rate;
    const std::size_t n = f.size();
    core::parallel_for(
        (n + vm::kBlock - 1) / vm::kBlock,
        [&](std::size_t b) {
            const std::size_t lo = b * vm::kBlock;
            const std::size_t rows = std::min(vm::kBlock, n - lo);
            const std::size_t width = vm::padded(rows);
            std::array<ProductivityShocks, vm::kBlock> shocks;
            alignas(32) std::array<double, vm::kBlock> jump;
            alignas(32) std::array<double, vm::kBlock> learning;
            alignas(32) std::array<double, vm::kBlock> rate;
            for (std::size_t j = 0; j < width; ++j) {
                const bool advancing = j < rows && f.alive[lo + j] != 0 && chinese(lo + j);
                if (advancing) {
                    shocks[j] = productivity_shocks(st, lo + j, sector_terms_of(lo + j));
                }
                jump[j] = advancing ? shocks[j].jump_exponent : 0.0;
                learning[j] = advancing ? shocks[j].output_growth : 1.0;
                rate[j] = learning_rate;
            }
            vm::exp(jump.data(), width);
            vm::pow(learning.data(), rate.data(), width);
            for (std::size_t i = lo; i < lo + rows; ++i) {
                if (f.alive[i] == 0) {
                    continue;
                }
                if (chinese(i)) {
                    advance_firm(model, st, i, best, cluster, sector_terms_of(i), shocks[i - lo], jump[i - lo], learning[i - lo]);
                }
                st.update_capacity(model, i);
            }
        },
        1);
#endif
}

}  // namespace ipsim::model
