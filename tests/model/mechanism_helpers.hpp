/*!
 * @file mechanism_helpers.hpp
 * @brief Shared helpers of the mechanism tests: small scenarios, runs over several seeds with
 *        common random numbers, probes of the firm population, and effect assertions that print
 *        both numbers ("[ effect ]" lines).
 */
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "model/state.hpp"

using namespace ipsim;
using model::Ownership;
using model::Scope;
using model::TimePath;

// Each test file uses a subset of these helpers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
namespace {

constexpr int kSeeds = 4;
constexpr int kFirstSeed = 1;  // seeds kFirstSeed.. (all tests also pass from 5, 9 and 13)
constexpr std::size_t kChips = 0;
constexpr std::size_t kCars = 1;
constexpr std::size_t kSteel = 2;
constexpr std::size_t kSectors = 3;
constexpr std::size_t kWindow = 8;  // quarters averaged at the end of a run

// ---------------------------------------------------------------------------------------------
// Scenarios

/*! An instrument switched on from the first quarter: absent before the start, so the initial state
 *  (calibrated at rest under the policy in force before the start) is the baseline's. */
TimePath introduced(double value) {
    TimePath path;
    path.points = {{2014.0, 0.0}, {2015.0, value}};
    return path;
}

/*! No policy anywhere: no local focus (so no local support), no state funds. */
model::Scenario quiet_baseline(std::int64_t firms = 1000, std::int64_t quarters = 48) {
    auto sc = test::small_scenario(firms, quarters);
    sc.funds.national.clear();
    sc.funds.local_per_government = 0.0;
    sc.local.focus_count = 0;
    return sc;
}

/*! Quiet baseline where every local government focuses on every sector (local support on). */
model::Scenario all_focus_baseline(std::int64_t firms = 1000, std::int64_t quarters = 48) {
    auto sc = quiet_baseline(firms, quarters);
    sc.local.focus_count = static_cast<std::int64_t>(kSectors);
    return sc;
}

// ---------------------------------------------------------------------------------------------
// Firm predicates and probes on the agents

bool alive(const model::Firms& f, std::size_t i) { return f.alive[i] != 0; }
bool foreign(const model::Firms& f, std::size_t i) { return f.ownership[i] == static_cast<std::uint8_t>(Ownership::foreign); }
/*! Chinese-owned and producing in China (every Chinese-owned firm is localized). */
bool chinese(const model::Firms& f, std::size_t i) { return alive(f, i) && f.localized[i] != 0 && !foreign(f, i); }
bool in_sector(const model::Firms& f, std::size_t i, std::size_t s) { return static_cast<std::size_t>(f.sector[i]) == s; }

/*! A number read from the agents after a quarter. */
using Probe = std::function<double(const model::State&)>;

/*! Sum of value(i) over firms that pass keep(i). */
Probe firm_sum(std::function<bool(const model::Firms&, std::size_t)> keep, std::function<double(const model::Firms&, std::size_t)> value) {
    return [keep = std::move(keep), value = std::move(value)](const model::State& st) {
        const auto& f = st.firms;
        double sum = 0.0;
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (alive(f, i) && keep(f, i)) {
                sum += value(f, i);
            }
        }
        return sum;
    };
}

/*! Output-weighted mean of value(i) over firms that pass keep(i). */
Probe firm_weighted_mean(std::function<bool(const model::Firms&, std::size_t)> keep, std::function<double(const model::Firms&, std::size_t)> value) {
    return [keep = std::move(keep), value = std::move(value)](const model::State& st) {
        const auto& f = st.firms;
        double sum = 0.0;
        double weight = 0.0;
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (alive(f, i) && keep(f, i)) {
                sum += f.output[i] * value(f, i);
                weight += f.output[i];
            }
        }
        return weight > 0.0 ? sum / weight : 0.0;
    };
}

/*! Quantile q of the productivity of Chinese-owned firms in sector s. */
Probe chinese_productivity_quantile(std::size_t s, double q) {
    return [s, q](const model::State& st) {
        const auto& f = st.firms;
        std::vector<double> values;
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (chinese(f, i) && in_sector(f, i, s)) {
                values.push_back(f.productivity[i]);
            }
        }
        if (values.empty()) {
            return 0.0;
        }
        const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(values.size() - 1));
        std::nth_element(values.begin(), values.begin() + k, values.end());
        return values[static_cast<std::size_t>(k)];
    };
}

Probe chinese_mean_productivity(std::size_t s) {
    return firm_weighted_mean([s](const auto& f, std::size_t i) { return chinese(f, i) && in_sector(f, i, s); },
                              [](const auto& f, std::size_t i) { return f.productivity[i]; });
}

bool localized_foreign(const model::Firms& f, std::size_t i) { return f.localized[i] != 0 && foreign(f, i); }

// ---------------------------------------------------------------------------------------------
// Running and reading

/*! Records of every seed, and each probe averaged over the last `window` quarters and the seeds. */
struct Runs {
    std::vector<std::vector<model::StepRecord>> records;
    std::vector<double> probes;
};

Runs simulate(const model::Scenario& sc, const std::vector<Probe>& probes = {}, std::size_t window = kWindow) {
    Runs out;
    out.probes.assign(probes.size(), 0.0);
    for (int seed = kFirstSeed; seed < kFirstSeed + kSeeds; ++seed) {
        model::Simulation sim(sc, static_cast<std::uint64_t>(seed));
        std::vector<model::StepRecord> records;
        const auto total = sim.steps_total();
        while (sim.steps_done() < total) {
            sim.step();
            records.push_back(sim.record());
            if (sim.steps_done() > total - static_cast<std::int64_t>(window)) {
                for (std::size_t p = 0; p < probes.size(); ++p) {
                    out.probes[p] += probes[p](sim.state()) / static_cast<double>(window * kSeeds);
                }
            }
        }
        out.records.push_back(std::move(records));
    }
    return out;
}

std::size_t metric(Scope scope, const char* name) {
    const int m = model::metric_index(scope, name);
    EXPECT_GE(m, 0) << "unknown metric " << name;
    return static_cast<std::size_t>(std::max(m, 0));
}

/*! Seed mean of f(records of one seed). */
double over_seeds(const Runs& r, const std::function<double(const std::vector<model::StepRecord>&)>& f) {
    double sum = 0.0;
    for (const auto& records : r.records) {
        sum += f(records);
    }
    return sum / static_cast<double>(r.records.size());
}

/*! Sector metric, mean of the last `window` quarters. */
double sector_late(const Runs& r, const char* name, std::size_t s, std::size_t window = kWindow) {
    return over_seeds(r, [&](const auto& records) { return test::late_mean(records, name, s, window); });
}

/*! Sector metric, mean of the first `window` quarters. */
double sector_early(const Runs& r, const char* name, std::size_t s, std::size_t window = 4) {
    const auto m = metric(Scope::sector, name);
    return over_seeds(r, [&](const auto& records) {
        double sum = 0.0;
        for (std::size_t t = 0; t < window; ++t) {
            sum += records[t].sector_value(m, s);
        }
        return sum / static_cast<double>(window);
    });
}

/*! Sector metric summed over the whole run. */
double sector_total(const Runs& r, const char* name, std::size_t s) {
    return over_seeds(r, [&](const auto& records) { return test::late_mean(records, name, s, records.size()) * static_cast<double>(records.size()); });
}

double national_late(const Runs& r, const char* name, std::size_t window = kWindow) {
    return over_seeds(r, [&](const auto& records) { return test::late_national(records, name, window); });
}

/*! Region metric, mean over regions and the last `window` quarters. */
double region_late(const Runs& r, const char* name, std::size_t window = kWindow) {
    const auto m = metric(Scope::region, name);
    return over_seeds(r, [&](const auto& records) {
        double sum = 0.0;
        for (std::size_t t = records.size() - window; t < records.size(); ++t) {
            for (std::size_t g = 0; g < records[t].n_regions; ++g) {
                sum += records[t].region_value(m, g);
            }
        }
        return sum / static_cast<double>(window * records.back().n_regions);
    });
}

// ---------------------------------------------------------------------------------------------
// Comparisons

void report(const std::string& what, double base, double variant) {
    if (std::abs(base) > 1e-9) {
        std::printf("[ effect   ] %-58s %12.5g -> %12.5g (%+.1f%%)\n", what.c_str(), base, variant, 100.0 * (variant - base) / std::abs(base));
    } else {
        std::printf("[ effect   ] %-58s %12.5g -> %12.5g\n", what.c_str(), base, variant);
    }
}

/*! Channel control: two scenarios give bit-identical series of a sector metric (seed 2). */
void expect_same_sector_series(const model::Scenario& a, const model::Scenario& b, const char* name, std::size_t s) {
    const auto ra = test::run_records(a, 2);
    const auto rb = test::run_records(b, 2);
    const auto m = metric(Scope::sector, name);
    ASSERT_EQ(ra.size(), rb.size());
    for (std::size_t t = 0; t < ra.size(); ++t) {
        ASSERT_EQ(ra[t].sector_value(m, s), rb[t].sector_value(m, s)) << name << ", quarter " << t;
    }
}

/*! Prints one measured value. */
void note(const std::string& what, double value) { std::printf("[ effect   ] %-58s %12.5g\n", what.c_str(), value); }

/*! The variant exceeds the baseline by more than `min_rel` of |baseline|. */
void expect_increase(const std::string& what, double base, double variant, double min_rel = 0.0) {
    report(what, base, variant);
    EXPECT_GT(variant, base + min_rel * std::abs(base)) << what << ": baseline " << base << ", variant " << variant
                                                        << " (required relative increase " << min_rel << ")";
}

/*! The variant is below the baseline by more than `min_rel` of |baseline|. */
void expect_decrease(const std::string& what, double base, double variant, double min_rel = 0.0) {
    report(what, base, variant);
    EXPECT_LT(variant, base - min_rel * std::abs(base)) << what << ": baseline " << base << ", variant " << variant
                                                        << " (required relative decrease " << min_rel << ")";
}

}  // namespace
#pragma GCC diagnostic pop
