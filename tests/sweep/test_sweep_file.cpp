/*!
 * @file test_sweep_file.cpp
 * @brief Sweep files: what a valid one reads into, and every error path with its exact
 *        file:line:col message.
 */
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "io/input_error.hpp"
#include "sweep/parameters.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep_fixtures.hpp"

using namespace ipsim::sweep;

namespace {

class SweepFile : public sweep_test::SweepDir {
protected:
    /*! The message of the InputError loading `text` as s.yaml throws ("" if none). */
    std::string error_of(const std::string& text) {
        write("s.yaml", text);
        try {
            static_cast<void>(load_sweep_file(path("s.yaml")));
        } catch (const ipsim::io::InputError& e) {
            std::string m = e.what();
            const std::string prefix = dir_.string() + "/";
            for (auto at = m.find(prefix); at != std::string::npos; at = m.find(prefix)) {
                m.erase(at, prefix.size());
            }
            return m;
        }
        return "";
    }
    const std::string head_ = "base: tiny\noutputs: {cost: {metric: fiscal_cost}}\n";
};

TEST_F(SweepFile, ValidSweepReadsEveryBlock) {
    write("s.yaml", sweep_test::kSmallSweep);
    const SweepSpec spec = load_sweep_file(path("s.yaml"));
    EXPECT_EQ(spec.name, "small");
    ASSERT_EQ(spec.parameters.size(), 2U);
    EXPECT_EQ(spec.parameters[0].kind, ParamKind::range);
    EXPECT_FALSE(spec.parameters[0].integer);
    EXPECT_TRUE(spec.parameters[1].integer);
    EXPECT_EQ(spec.design.levels, (std::vector<std::size_t>{2, 2}));
    EXPECT_EQ(spec.seeds, (std::vector<std::uint64_t>{1, 2}));
    ASSERT_EQ(spec.arms.size(), 2U);
    EXPECT_EQ(spec.arms[0].name, "base");
    EXPECT_EQ(spec.arms[1].name, "subsidy");
    ASSERT_EQ(spec.outputs.size(), 2U);
    EXPECT_EQ(spec.outputs[0].scope, ipsim::model::Scope::sector);
    EXPECT_EQ(spec.outputs[0].column, 0U);
    EXPECT_EQ(spec.outputs[0].year_from, 2016.0);
    EXPECT_EQ(spec.outputs[1].year_from, 2015.0);
    EXPECT_EQ(spec.outputs[1].year_to, 2016.0);
    EXPECT_EQ(spec.outputs[1].stat, Stat::sum);
    EXPECT_FALSE(spec.keep_all);
    EXPECT_EQ(spec.keep, (std::vector<std::string>{"sector/world_share", "national/fiscal_cost"}));
    EXPECT_NE(resolved_sweep_yaml(spec).find("seeds: [1, 2]"), std::string::npos);
}

TEST_F(SweepFile, DefaultsSeedsListsArmsAsOverridesAndShippedBase) {
    write("s.yaml",
          "base: {scenario: tiny, set: [firms.count=300]}\nseeds: [4, 9]\narms: {cut: [local.investment_subsidy=0]}\n"
          "outputs: {z: {metric: zombie_share, years: 2016, stat: last}}\n");
    const SweepSpec spec = load_sweep_file(path("s.yaml"));
    EXPECT_EQ(spec.seeds, (std::vector<std::uint64_t>{4, 9}));
    EXPECT_EQ(spec.arms[1].overrides, (std::vector<std::string>{"firms.count=300", "local.investment_subsidy=0"}));
    EXPECT_EQ(spec.design.method, "grid");
    EXPECT_TRUE(spec.parameters.empty());
    EXPECT_TRUE(spec.keep_all);
    write("t.yaml", "base: mic2025\noutputs: {c: {metric: fiscal_cost}}\n");
    const SweepSpec shipped = load_sweep_file(path("t.yaml"));
    EXPECT_TRUE(shipped.arms[0].scenario.embedded);
    EXPECT_EQ(shipped.seeds, (std::vector<std::uint64_t>{1}));
}

TEST_F(SweepFile, TopLevelAndBaseErrors) {
    EXPECT_EQ(error_of(head_ + "paramters: {}\n"), "s.yaml:3:1: unknown key 'paramters' at the top level of the sweep (did you mean 'parameters'?)");
    EXPECT_EQ(error_of("outputs: {cost: {metric: fiscal_cost}}\n"), "s.yaml:1:1: base is missing; name the scenario to sweep (a file or a shipped scenario)");
    EXPECT_EQ(error_of("base: mic2052\noutputs: {c: {metric: fiscal_cost}}\n"),
              "s.yaml:1:7: base: no scenario file 'mic2052' next to the sweep file and no shipped scenario of that name (did you mean 'mic2025'?)");
    EXPECT_EQ(error_of("base: {scenario: tiny, set: [firms.count=-4]}\noutputs: {c: {metric: fiscal_cost}}\n"),
              "s.yaml:1:7: base: --set firms.count: firms.count must be in [1, 1e+09] (got -4)");
    EXPECT_EQ(error_of("base: {scenario: tiny, set: [firms.count]}\noutputs: {c: {metric: fiscal_cost}}\n"),
              "s.yaml:1:30: base.set must be a list of PATH=VALUE overrides (got 'firms.count')");
    EXPECT_EQ(error_of("base: tiny\n"), "s.yaml:1:1: outputs is missing; name at least one output, e.g. outputs: {cost: {metric: fiscal_cost, stat: sum}}");
}

TEST_F(SweepFile, ParameterErrors) {
    EXPECT_EQ(error_of(head_ + "parameters: {local.weight_herding: {}}\n"),
              "s.yaml:3:36: parameters.local.weight_herding: give exactly one of range, values or distribution");
    EXPECT_EQ(error_of(head_ + "parameters: {local.weight_herding: {range: [1, 0.5]}}\n"),
              "s.yaml:3:44: parameters.local.weight_herding.range: min must be below max");
    EXPECT_EQ(error_of(head_ + "parameters: {local.weight_herding: {range: [0, x]}}\n"),
              "s.yaml:3:48: parameters.local.weight_herding.range[1] must be a number (got 'x')");
    EXPECT_EQ(error_of(head_ + "parameters: {local.weight_herding: {rnage: [0, 1]}}\n"),
              "s.yaml:3:37: unknown key 'rnage' in parameters.local.weight_herding (did you mean 'range'?)");
    EXPECT_EQ(error_of(head_ + "parameters: {local.weight_herding: {distribution: {gauss: {mean: 1}}}}\n"),
              "s.yaml:3:52: parameters.local.weight_herding.distribution: unknown distribution 'gauss'; use normal, lognormal, triangular or uniform");
    EXPECT_EQ(error_of(head_ + "parameters: {local.weight_herding: {distribution: {normal: {mean: 1, sd: 0}}}}\n"),
              "s.yaml:3:74: parameters.local.weight_herding.distribution.normal.sd must be > 0 (got 0)");
    EXPECT_EQ(error_of(head_ + "parameters: {local.weight_hrding: {range: [0, 1]}}\n"),
              "s.yaml:3:35: parameters.local.weight_hrding: --set local.weight_hrding: unknown key 'weight_hrding' in local (did you mean 'weight_herding'?)");
    EXPECT_EQ(error_of(head_ + "parameters: {markets.localization_response: {range: [0.5, 2]}}\n"),
              "s.yaml:3:45: parameters.markets.localization_response: --set markets.localization_response: markets.localization_response must be in [0, 1] (got 2)");
    EXPECT_EQ(error_of(head_ + "parameters: {name: {range: [0, 1]}}\n"),
              "s.yaml:3:20: parameters.name: 'name' is not a numeric field; use values: [...] for it");
}

TEST_F(SweepFile, DesignAndSeedErrors) {
    const std::string p = head_ + "parameters: {local.weight_herding: {range: [0, 1]}}\n";
    EXPECT_EQ(error_of(p + "design: {method: sobel, samples: 8}\n"),
              "s.yaml:4:18: design.method: unknown method 'sobel' (did you mean 'sobol'?); use grid, random, lhs, sobol or morris");
    EXPECT_EQ(error_of(p + "design: {method: random}\n"), "s.yaml:4:9: design.samples is missing; a random design needs the number of samples");
    EXPECT_EQ(error_of(p + "design: {method: grid, samples: 4}\n"), "s.yaml:4:33: design.samples: a grid has no samples; give levels instead");
    EXPECT_EQ(error_of(p + "design: {method: lhs, samples: 4, levels: 3}\n"), "s.yaml:4:43: design.levels applies only to grid designs");
    EXPECT_EQ(error_of(p + "design: {method: lhs, samples: 2.5}\n"), "s.yaml:4:32: design.samples must be a whole number (got 2.5)");
    EXPECT_EQ(error_of(p + "design: {levels: [2, 3]}\n"), "s.yaml:4:18: design.levels: 2 levels for 1 parameters");
    EXPECT_EQ(error_of(p + "design: {method: grid, seeed: 1}\n"), "s.yaml:4:24: unknown key 'seeed' in design (did you mean 'seed'?)");
    EXPECT_EQ(error_of(p + "seeds: [1, 2, 1]\n"), "s.yaml:4:15: seeds: duplicate seed 1");
    EXPECT_EQ(error_of(p + "seeds: 0\n"), "s.yaml:4:8: seeds must be >= 1 (got 0)");
}

TEST_F(SweepFile, ArmErrors) {
    EXPECT_EQ(error_of(head_ + "arms: {base: tiny_policy}\n"), "s.yaml:3:14: arms.base: the name 'base' is reserved for the base scenario");
    EXPECT_EQ(error_of(head_ + "arms: {big: [firms.count=999]}\n"),
              "s.yaml:3:13: arms.big: differs from the base in more than policy (firms.count 999 against 200); arms must have the base's firm count, sectors, regions and horizon");
    EXPECT_EQ(error_of(head_ + "arms: {long: [time.quarters=12]}\n"),
              "s.yaml:3:14: arms.long: differs from the base in more than policy (another horizon); arms must have the base's firm count, sectors, regions and horizon");
    EXPECT_EQ(error_of(head_ + "arms: {x: [sectors.c.policy.priority=1]}\n"),
              "s.yaml:3:11: arms.x: --set sectors.c.policy.priority: no item named 'c' in sectors (did you mean 'a'?)");
    EXPECT_EQ(error_of(head_ + "arms: {'a/b': tiny_policy}\n"), "s.yaml:3:15: arms.a/b: 'a/b' is not a usable name (letters, digits, '_', '-' and '.')");
}

TEST_F(SweepFile, OutputAndKeepErrors) {
    const std::string b = "base: tiny\n";
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: world_share}}\n"),
              "s.yaml:2:23: outputs.s.metric: 'world_share' is a sector metric; name the sector with 'sector: NAME'");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: fiscal_cots}}\n"),
              "s.yaml:2:23: outputs.s.metric: unknown national metric 'fiscal_cots' (did you mean 'fiscal_cost'?)");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: fiscal_cost, sector: a}}\n"),
              "s.yaml:2:23: outputs.s.metric: 'fiscal_cost' is a national metric; drop sector/region");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: output, sector: aa}}\n"), "s.yaml:2:39: outputs.s.sector: unknown sector 'aa' (did you mean 'a'?)");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: debt, region: r3}}\n"), "s.yaml:2:37: outputs.s.region: unknown region 'r3' (did you mean 'r1'?)");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: fiscal_cost, years: [2014, 2016]}}\n"),
              "s.yaml:2:43: outputs.s.years: [2014, 2016] is outside the run (2015 to 2016)");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: fiscal_cost, stat: median}}\n"),
              "s.yaml:2:42: outputs.s.stat: unknown statistic 'median' (did you mean 'mean'?); use mean, sum, min, max, first or last");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: fiscal_cost, sector: a, region: r1}}\n"), "s.yaml:2:14: outputs.s: give a sector or a region, not both");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: fiscal_cost}}\nkeep_series: [outptu]\n"),
              "s.yaml:3:15: keep_series: unknown metric 'outptu' (did you mean 'output'?)");
    EXPECT_EQ(error_of(b + "outputs: {s: {metric: fiscal_cost}}\nkeep_series: some\n"), "s.yaml:3:14: keep_series must be all, none or a list of metrics");
}

TEST(ShippedSweeps, AreValid) {
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(IPSIM_SOURCE_DIR) / "scenarios" / "sweeps")) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        SCOPED_TRACE(entry.path().string());
        const SweepSpec spec = load_sweep_file(entry.path().string());
        EXPECT_FALSE(spec.outputs.empty());
        EXPECT_FALSE(spec.description.empty());
    }
}

TEST(SweepParameters, UnitPointsBecomeValues) {
    Parameter range{"x", ParamKind::range, {2.0, 4.0, 0.0}, {}, false, ""};
    EXPECT_DOUBLE_EQ(parameter_number(range, 0.0), 2.0);
    EXPECT_DOUBLE_EQ(parameter_number(range, 0.25), 2.5);
    EXPECT_DOUBLE_EQ(parameter_number(range, 1.0), 4.0);
    range.integer = true;
    EXPECT_EQ(parameter_text(range, 0.3), "3");
    const Parameter normal{"x", ParamKind::normal, {1.0, 2.0, 0.0}, {}, false, ""};
    EXPECT_NEAR(parameter_number(normal, 0.5), 1.0, 1e-12);
    EXPECT_NEAR(parameter_number(normal, 0.975), 1.0 + 2.0 * 1.959963984540054, 1e-9);
    EXPECT_NEAR(parameter_number(normal, 1.0), 1.0 + 2.0 * 3.090232306167813, 1e-9);  // clamped to the 0.999 quantile
    const Parameter lognormal{"x", ParamKind::lognormal, {0.0, 1.0, 0.0}, {}, false, ""};
    EXPECT_NEAR(parameter_number(lognormal, 0.5), 1.0, 1e-12);
    const Parameter tri{"x", ParamKind::triangular, {0.0, 1.0, 2.0}, {}, false, ""};
    EXPECT_NEAR(parameter_number(tri, 0.5), 1.0, 1e-12);
    EXPECT_NEAR(parameter_number(tri, 0.125), 0.5, 1e-12);
    const Parameter values{"x", ParamKind::values, {}, {"low", "mid", "high"}, false, ""};
    EXPECT_EQ(parameter_text(values, 0.0), "low");
    EXPECT_EQ(parameter_text(values, 0.5), "mid");
    EXPECT_EQ(parameter_text(values, 1.0), "high");
    EXPECT_DOUBLE_EQ(parameter_design_value(values, 1.0), 2.0);
    EXPECT_EQ(parameter_override(range, 1.0), "x=4");
    EXPECT_NEAR(inverse_normal_cdf(0.001), -3.090232306167813, 1e-10);
}

TEST(SweepParameters, FieldKindsFollowTheScenarioVisitLists) {
    EXPECT_EQ(scenario_field_kind("firms.count"), FieldKind::integer);
    EXPECT_EQ(scenario_field_kind("local.weight_herding"), FieldKind::number);
    EXPECT_EQ(scenario_field_kind("sectors.nev.policy.output_subsidy"), FieldKind::time_path);
    EXPECT_EQ(scenario_field_kind("sectors[3].demand.elasticity"), FieldKind::number);
    EXPECT_EQ(scenario_field_kind("regions.r1.strengths.a"), FieldKind::number);
    EXPECT_EQ(scenario_field_kind("central.coordination"), FieldKind::other);
    EXPECT_EQ(scenario_field_kind("local.nothing"), FieldKind::missing);
}

}  // namespace
