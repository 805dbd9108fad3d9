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
#include <array>
#include <cmath>
#include <cstdint>

#include "core/random.hpp"
#include "model/detail/firm_costs.hpp"
#include "model/detail/lanes.hpp"
#include "model/phases.hpp"

#if IPSIM_VECTOR_MATH
#include "model/detail/vector_math.hpp"
#endif

// As in lanes.hpp: the functions of Double4 values here are all inlined into the block kernels
// (the warning comes at the end of the file, where GCC instantiates them, hence no pop).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ipsim::model {
namespace {

namespace lanes = detail::lanes;

/*! R&D intensity, relative to the sector's normal, beyond which absorptive capacity stops growing. */
constexpr double kMaxAbsorptiveIntensity = 2.0;

/*! Rows of one block of the firm rule: its arrays stay in the L1 cache. */
#if IPSIM_VECTOR_MATH
constexpr std::size_t kRowsPerBlock = detail::vector_math::kBlock;
constexpr std::size_t padded(std::size_t n) noexcept { return detail::vector_math::padded(n); }
#else
constexpr std::size_t kRowsPerBlock = 256;
constexpr std::size_t padded(std::size_t n) noexcept { return n; }
#endif

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

/*! What every Chinese firm of a sector shares this quarter: the factors of the firm rule's
 *  products that come first in their evaluation order, so taking them once per sector gives the
 *  same values. */
struct SectorTerms {
    double access = 1.0;  // technology_access
    double log_frontier_step = 0.0;
    double frontier_step = 1.0;
    double normal_intensity = 1e-6;  // the sector's normal R&D intensity (at least 1e-6)
    double difficulty = 1.0;
    double innovation = 0.0;  // access x innovation rate
    double imitation = 0.0;   // access x imitation rate
    double absorption = 0.0;  // access x frontier absorption
    double transfer = 0.0;    // imitation rate x transfer boost
    double cluster_support = 0.0;
    double rd_share = 0.0;            // R&D over revenue of China-located firms (detail::rd_share)
    double capital_per_output = 0.0;  // for capacity: capital per unit at the frontier
    double frontier = 1.0;            // the frontier after this quarter's step
};

SectorTerms sector_terms(const Model& model, const State& st, std::size_t s) {
    const auto& tech = model.scenario.technology;
    const auto& sector = model.scenario.sectors[s].technology;
    SectorTerms t;
    t.access = technology_access(model, st, s);
    t.frontier_step = st.now[s].frontier_step;
    t.log_frontier_step = std::log(t.frontier_step);
    t.normal_intensity = std::max(sector.rd_intensity, 1e-6);
    t.difficulty = sector.difficulty;
    t.innovation = t.access * tech.innovation_rate;
    t.imitation = t.access * tech.imitation_rate;
    t.absorption = t.access * tech.frontier_absorption;
    t.transfer = tech.imitation_rate * tech.transfer_boost;
    t.cluster_support = st.now[s].cluster_support;
    t.rd_share = st.factors[s].rd_share_local;
    t.capital_per_output = model.scenario.sectors[s].supply.capital_per_output;
    t.frontier = st.sectors.frontier[s];
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

/*! What every Chinese firm of a local-government sector shares: the leading factors of its
 *  imitation and transfer terms (products evaluated left to right) and the best practice it imitates. */
struct ClusterTerms {
    double imitation = 0.0;  // access x imitation rate x (1 + cluster effect)
    double transfer = 0.0;   // access x min(1, transfer x foreign share)
    double best = 0.0;       // the sector's best practice
};

/*! The exponent of the jump of a firm that innovates, from its second draw. */
[[nodiscard]] inline double jump_exponent(double expected_gain, double hazard, double draw) noexcept {
    return expected_gain / hazard * (0.5 + draw);
}

/*! Per row of a block: what the firm rule computes before its draws, exps and pows, and their results. */
struct BlockRows {
    alignas(32) std::array<double, kRowsPerBlock> relative_intensity;  // R&D intensity over the sector's normal
    alignas(32) std::array<double, kRowsPerBlock> hazard;              // of an innovation this quarter
    alignas(32) std::array<double, kRowsPerBlock> expected_gain;       // log of the expected productivity gain
    alignas(32) std::array<double, kRowsPerBlock> output_growth;       // of cumulative output, when it learns
    alignas(32) std::array<double, kRowsPerBlock> jump;                // exp of the innovation jump, 1 without
    alignas(32) std::array<double, kRowsPerBlock> learning;            // pow of the output growth, 1 without
    std::array<std::uint8_t, kRowsPerBlock> advancing;                 // 1 for live Chinese firms
    std::array<std::uint8_t, kRowsPerBlock> learns;                    // 1 if it learns by doing
};

/*! Per lane, the terms of row k's sector: one value for all lanes when they share a sector (rows
 *  of a sector are mostly together). */
template <class L, class T>
[[gnu::always_inline]] inline L sector_lanes(const std::array<const T*, lanes::kWidth<L>>& t, bool uniform, double T::*term) noexcept {
    return uniform ? lanes::splat<L>(t[0]->*term) : lanes::gather<L>([&](std::size_t k) { return t[k]->*term; });
}

/*! The shocks of rows lo + j .. lo + j + kWidth<L> - 1 into b, before their draws, exps and pows
 *  (the values of rows that do not advance are not read). */
template <class L>
[[gnu::always_inline]] inline void shock_rows(const State& st, std::size_t lo, std::size_t j, const std::vector<SectorTerms>& terms, BlockRows& b) noexcept {
    using lanes::select;
    constexpr std::size_t width = lanes::kWidth<L>;
    const auto& f = st.firms;
    const std::size_t i = lo + j;
    const auto advancing = lanes::both(lanes::both(lanes::nonzero<L>(f.alive.data() + i), lanes::nonzero<L>(f.localized.data() + i)),
                                       lanes::negate(lanes::equal<L>(f.ownership.data() + i, static_cast<std::uint8_t>(Ownership::foreign))));
    std::array<const SectorTerms*, width> t{};
    bool uniform = true;
    for (std::size_t k = 0; k < width; ++k) {
        t[k] = &terms[static_cast<std::size_t>(f.sector[i + k])];
        uniform = uniform && t[k] == t[0];
    }
    const auto sector = [&](double SectorTerms::*term) __attribute__((always_inline)) { return sector_lanes<L>(t, uniform, term); };
    const auto column = [&](const core::Column<double>& c) __attribute__((always_inline)) { return lanes::load<L>(c.data() + i); };
    const L zero = lanes::splat<L>(0.0);
    // Innovation: a firm at the sector's normal R&D intensity and difficulty 1 keeps pace with
    // the frontier on average; success comes in jumps of twice the expected quarterly gain.
    const L price = column(f.price);
    const L revenue = price * column(f.sales_china) + price * column(f.sales_world);                       // detail::firm_revenue
    const L intensity = select(zero < revenue, sector(&SectorTerms::rd_share) * revenue / revenue, zero);  // R&D over revenue, as booked
    const L relative_intensity = intensity / sector(&SectorTerms::normal_intensity);
    // Export controls cut firms off from foreign tools, design software and know-how (t.access).
    const L pace = sector(&SectorTerms::innovation) * relative_intensity / sector(&SectorTerms::difficulty);
    lanes::store(b.relative_intensity.data() + j, relative_intensity);
    lanes::store(b.hazard.data() + j, lanes::min_of(lanes::splat<L>(0.9), 0.5 * pace));
    lanes::store(b.expected_gain.data() + j, sector(&SectorTerms::log_frontier_step) * pace);
    const L output = column(f.output);
    const L cumulative = column(f.cumulative_output);
    const L before = cumulative - output;
    const auto learns = lanes::both(zero < before, zero < output);
    lanes::store(b.output_growth.data() + j, select(learns, cumulative / before, lanes::splat<L>(1.0)));
    for (std::size_t k = 0; k < width; ++k) {
        b.advancing[j + k] = lanes::holds(advancing, k) ? 1 : 0;
        b.learns[j + k] = lanes::holds(learns, k) ? 1 : 0;
    }
}

/*! The ClusterTerms read for rows that do not advance (their results are not kept). */
inline constexpr ClusterTerms kNoCluster{};

/*! The rows lo + j .. lo + j + kWidth<L> - 1: Chinese firms' productivity advances, given their
 *  jump and learning factors, and every live row's capacity follows its productivity (as
 *  State::update_capacity). Every branch is a select, every expression in its scalar order. */
template <class L>
[[gnu::always_inline]] inline void advance_rows(const Model& model, State& st, std::size_t lo, std::size_t j, const BlockRows& b,
                                                const std::vector<SectorTerms>& terms, const std::vector<ClusterTerms>& cluster) noexcept {
    using lanes::max_of;
    using lanes::min_of;
    constexpr std::size_t width = lanes::kWidth<L>;
    auto& f = st.firms;
    const std::size_t i = lo + j;
    const auto alive = lanes::nonzero<L>(f.alive.data() + i);
    if (lanes::none(alive)) {
        return;
    }
    std::array<const SectorTerms*, width> t{};
    std::array<const ClusterTerms*, width> c{};
    for (std::size_t k = 0; k < width; ++k) {
        const auto s = static_cast<std::size_t>(f.sector[i + k]);
        t[k] = &terms[s];
        c[k] = b.advancing[j + k] != 0 ? &cluster[static_cast<std::size_t>(f.government[i + k]) * model.n_sectors + s] : &kNoCluster;
    }
    const auto of_sector = [&](double SectorTerms::*term) __attribute__((always_inline)) {
        return lanes::gather<L>([&](std::size_t k) { return t[k]->*term; });
    };
    const auto of_cluster = [&](double ClusterTerms::*term) __attribute__((always_inline)) {
        return lanes::gather<L>([&](std::size_t k) { return c[k]->*term; });
    };
    const L zero = lanes::splat<L>(0.0);
    const L one = lanes::splat<L>(1.0);
    const L before = lanes::load<L>(f.productivity.data() + i);
    L a = before * lanes::load<L>(b.jump.data() + j);
    a += of_cluster(&ClusterTerms::imitation) * max_of(zero, of_cluster(&ClusterTerms::best) - a);
    a += of_cluster(&ClusterTerms::transfer) * max_of(zero, one - a);
    // R&D's second face: it also buys the capacity to absorb what the world frontier knows, so a
    // firm behind the frontier catches up faster the more it spends (Griffith et al. 2004).
    a += of_sector(&SectorTerms::absorption) * min_of(lanes::splat<L>(kMaxAbsorptiveIntensity), lanes::load<L>(b.relative_intensity.data() + j)) * max_of(zero, one - a);
    a *= lanes::load<L>(b.learning.data() + j);
    a /= of_sector(&SectorTerms::frontier_step);
    const L clamped = min_of(max_of(a, lanes::splat<L>(1e-3)), lanes::splat<L>(model.scenario.technology.max_relative_productivity));  // std::clamp
    const L productivity = lanes::select(lanes::nonzero<L>(b.advancing.data() + j), clamped, before);
    lanes::store(f.productivity.data() + i, productivity);
    const L capacity = (lanes::load<L>(f.capital.data() + i) - lanes::load<L>(f.capital_in_progress.data() + i)) /
                       (of_sector(&SectorTerms::capital_per_output) / (productivity * of_sector(&SectorTerms::frontier)));
    lanes::store_where(f.capacity.data() + i, alive, capacity);
}

/*! advance_rows over the rows [lo, lo + rows) of a block: four at a time where the build has vector
 *  math, the last rows one at a time. */
[[gnu::always_inline]] inline void advance_block_rows(const Model& model, State& st, std::size_t lo, std::size_t rows, const BlockRows& b,
                                                      const std::vector<SectorTerms>& terms, const std::vector<ClusterTerms>& cluster) noexcept {
    std::size_t j = 0;
#if IPSIM_VECTOR_MATH
    constexpr std::size_t width = lanes::kWidth<lanes::Double4>;
    for (; j + width <= rows; j += width) {
        advance_rows<lanes::Double4>(model, st, lo, j, b, terms, cluster);
    }
#endif
    for (; j < rows; ++j) {
        advance_rows<double>(model, st, lo, j, b, terms, cluster);
    }
}

/*! x[k] = exp(x[k]) for k < n, from vector math where the build uses it. */
void exp_of(double* x, std::size_t n) {
#if IPSIM_VECTOR_MATH
    detail::vector_math::exp(x, padded(n));
#else
    for (std::size_t k = 0; k < n; ++k) {
        x[k] = std::exp(x[k]);
    }
#endif
}

/*! x[k] = pow(x[k], y[k]) for k < n, from vector math where the build uses it. */
void pow_of(double* x, const double* y, std::size_t n) {
#if IPSIM_VECTOR_MATH
    detail::vector_math::pow(x, y, padded(n));
#else
    for (std::size_t k = 0; k < n; ++k) {
        x[k] = std::pow(x[k], y[k]);
    }
#endif
}

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

/*! ClusterTerms of every cluster with a firm, by government * n_sectors + sector. */
std::vector<ClusterTerms> cluster_terms(const Model& model, const State& st, const std::vector<ClusterInfo>& cluster, const std::vector<SectorTerms>& terms,
                                        const std::vector<double>& best) {
    const std::size_t ns = model.n_sectors;
    const double boost = model.scenario.technology.cluster_boost;
    std::vector<ClusterTerms> out(cluster.size());
    for (std::size_t k = 0; k < cluster.size(); ++k) {
        if (cluster[k].firms <= 0.0) {
            continue;  // no firm reads it
        }
        const auto& t = terms[k % ns];
        // Larger local clusters imitate faster; cluster programmes add to imitation in focus sectors.
        const bool focus = st.governments.focus[k] != 0;
        const double cluster_effect = std::max(-0.5, boost * cluster[k].relative_size) + (focus ? t.cluster_support : 0.0);
        out[k].imitation = t.imitation * (1.0 + cluster_effect);
        out[k].transfer = t.access * std::min(1.0, t.transfer * cluster[k].foreign_share);
        out[k].best = best[k % ns];
    }
    return out;
}

/*! Advances the Chinese firms of rows [lo, lo + rows) (rows <= kBlock) and updates every live
 *  row's capacity: the shocks of the block first, then the exps of the jumps and the powers of
 *  the learners over packed arrays (a value depends only on its argument), then the rule. */
[[gnu::always_inline]] inline void advance_block(const Model& model, State& st, std::size_t lo, std::size_t rows, const std::vector<SectorTerms>& terms,
                                                 const std::vector<ClusterTerms>& cluster, const core::StreamFamily& innovation, const double* learning_rate) {
    auto& f = st.firms;
    BlockRows b;
    // Packed: the rows that draw (hazard > 0), that innovate, that learn.
    std::array<std::uint64_t, kRowsPerBlock> agent;
    std::array<std::uint16_t, kRowsPerBlock> drawer;
    std::array<double, kRowsPerBlock> hazard;
    std::array<double, kRowsPerBlock> expected_gain;
    std::array<double, kRowsPerBlock> first_draw;
    std::array<double, kRowsPerBlock> second_draw;
    alignas(32) std::array<double, kRowsPerBlock> exponents;
    alignas(32) std::array<double, kRowsPerBlock> growths;
    std::array<std::uint16_t, kRowsPerBlock> jumper;
    std::array<std::uint16_t, kRowsPerBlock> learner;
    std::size_t drawers = 0;
    std::size_t jumpers = 0;
    std::size_t learners = 0;
    std::size_t j = 0;
#if IPSIM_VECTOR_MATH
    for (; j + lanes::kWidth<lanes::Double4> <= rows; j += lanes::kWidth<lanes::Double4>) {
        shock_rows<lanes::Double4>(st, lo, j, terms, b);
    }
#endif
    for (; j < rows; ++j) {
        shock_rows<double>(st, lo, j, terms, b);
    }
    for (j = 0; j < rows; ++j) {
        b.jump[j] = 1.0;
        b.learning[j] = 1.0;
        if (b.advancing[j] == 0) {
            b.relative_intensity[j] = 0.0;  // read by advance_rows, result not kept
            continue;
        }
        if (b.hazard[j] > 0.0) {
            agent[drawers] = f.id[lo + j];
            hazard[drawers] = b.hazard[j];
            expected_gain[drawers] = b.expected_gain[j];
            drawer[drawers++] = static_cast<std::uint16_t>(j);
        }
        if (b.learns[j] != 0) {
            growths[learners] = b.output_growth[j];
            learner[learners++] = static_cast<std::uint16_t>(j);
        }
    }
    // Each stream's first two draws: whether the firm innovates and the size of its jump.
    innovation.first_uniforms(agent.data(), drawers, first_draw.data(), second_draw.data());
    for (std::size_t k = 0; k < drawers; ++k) {
        if (first_draw[k] < hazard[k]) {
            exponents[jumpers] = jump_exponent(expected_gain[k], hazard[k], second_draw[k]);
            jumper[jumpers++] = drawer[k];
        }
    }
    // Padding for vector math: values whose results are not read.
    std::fill(exponents.begin() + static_cast<std::ptrdiff_t>(jumpers), exponents.begin() + static_cast<std::ptrdiff_t>(padded(jumpers)), 0.0);
    std::fill(growths.begin() + static_cast<std::ptrdiff_t>(learners), growths.begin() + static_cast<std::ptrdiff_t>(padded(learners)), 1.0);
    exp_of(exponents.data(), jumpers);
    pow_of(growths.data(), learning_rate, learners);
    for (std::size_t k = 0; k < jumpers; ++k) {
        b.jump[jumper[k]] = exponents[k];
    }
    for (std::size_t k = 0; k < learners; ++k) {
        b.learning[learner[k]] = growths[k];
    }
    advance_block_rows(model, st, lo, rows, b, terms, cluster);
}

using AdvanceBlock = void (*)(const Model&, State&, std::size_t, std::size_t, const std::vector<SectorTerms>&, const std::vector<ClusterTerms>&,
                              const core::StreamFamily&, const double*);

#if IPSIM_VECTOR_MATH
// AVX2 without FMA: a * b + c must stay two roundings.
[[gnu::target("avx2")]] void advance_block_avx2(const Model& model, State& st, std::size_t lo, std::size_t rows, const std::vector<SectorTerms>& terms,
                                                const std::vector<ClusterTerms>& cluster, const core::StreamFamily& innovation, const double* learning_rate) {
    advance_block(model, st, lo, rows, terms, cluster, innovation, learning_rate);
}
#endif

void advance_block_sse2(const Model& model, State& st, std::size_t lo, std::size_t rows, const std::vector<SectorTerms>& terms,
                        const std::vector<ClusterTerms>& cluster, const core::StreamFamily& innovation, const double* learning_rate) {
    advance_block(model, st, lo, rows, terms, cluster, innovation, learning_rate);
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
    // The firm rule does not read the frontier, so it moves first and each firm's capacity follows
    // its new productivity in the same pass.
    for (std::size_t s = 0; s < ns; ++s) {
        st.sectors.frontier[s] *= st.now[s].frontier_step;
        st.sectors.best_productivity[s] = best[s];
    }
    std::vector<SectorTerms> terms(ns);
    for (std::size_t s = 0; s < ns; ++s) {
        terms[s] = sector_terms(model, st, s);
    }
    const auto per_cluster = cluster_terms(model, st, cluster, terms, best);
    const core::StreamFamily innovation(st.seed, core::Purpose::innovation, static_cast<std::uint64_t>(st.step));
    alignas(32) std::array<double, kRowsPerBlock> learning_rate;
    learning_rate.fill(model.scenario.technology.learning_rate);
    // Chinese firms (China-located, Chinese-owned) advance; every live firm's capacity follows its productivity.
    const std::size_t n = st.firms.size();
#if IPSIM_VECTOR_MATH
    const AdvanceBlock advance_rows = detail::vector_math::uses_avx2() ? advance_block_avx2 : advance_block_sse2;
#else
    const AdvanceBlock advance_rows = advance_block_sse2;
#endif
    core::parallel_for(
        (n + kRowsPerBlock - 1) / kRowsPerBlock,
        [&](std::size_t b) {
            const std::size_t lo = b * kRowsPerBlock;
            advance_rows(model, st, lo, std::min(kRowsPerBlock, n - lo), terms, per_cluster, innovation, learning_rate.data());
        },
        1);
}

}  // namespace ipsim::model
