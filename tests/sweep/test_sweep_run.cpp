/*!
 * @file test_sweep_run.cpp
 * @brief Sweep execution: design-to-run mapping, the sweep file's contents, identity across
 *        thread counts and across an interruption and --resume, failed runs, and the paired
 *        statistics against values computed by hand.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "io/hdf5_writer.hpp"
#include "io/input_error.hpp"
#include "io/result_reader.hpp"
#include "io/scenario_loader.hpp"
#include "model/simulation.hpp"
#include "sweep/compare.hpp"
#include "sweep/paired.hpp"
#include "sweep/runner.hpp"
#include "sweep/sweep_store.hpp"
#include "sweep_fixtures.hpp"

using namespace ipsim::sweep;

namespace {

namespace fs = std::filesystem;

class SweepRun : public sweep_test::SweepDir {
protected:
    SweepSpec small() {
        write("s.yaml", sweep_test::kSmallSweep);
        return load_sweep_file(path("s.yaml"));
    }
    SweepOutcome run(const SweepSpec& spec, const std::string& out, unsigned threads, bool resume = false,
                     std::size_t stop_after = std::numeric_limits<std::size_t>::max()) {
        RunnerOptions options;
        options.threads = threads;
        options.resume = resume;
        options.stop_after = stop_after;
        return run_sweep(spec, path(out), options);
    }
};

TEST_F(SweepRun, DesignRowsSeedsAndArmsMapToRuns) {
    const SweepSpec spec = small();
    const SweepPlan plan = make_plan(spec);
    EXPECT_EQ(plan.points, 4U);
    EXPECT_EQ(plan.rows(), 8U);
    EXPECT_EQ(plan.runs(), 16U);
    EXPECT_EQ(run_id(spec, plan, 0), "base-0000");
    EXPECT_EQ(run_id(spec, plan, 1), "subsidy-0000");
    EXPECT_EQ(run_id(spec, plan, 15), "subsidy-0007");
    const auto herding = design_column(spec, plan, 0);
    const auto firms = design_column(spec, plan, 1);
    std::vector<std::pair<double, double>> points;
    for (std::size_t row = 0; row < plan.rows(); row += 2) {
        EXPECT_EQ(herding[row], herding[row + 1]);  // the seeds of a point share its values
        points.emplace_back(herding[row], firms[row]);
    }
    std::sort(points.begin(), points.end());
    EXPECT_EQ(points, (std::vector<std::pair<double, double>>{{0.2, 150}, {0.2, 250}, {1.0, 150}, {1.0, 250}}));
    const auto loaded = run_scenario(spec, plan, 3);  // row 1: point 0, seed 2; arm subsidy
    EXPECT_EQ(loaded.scenario.seed, 2);
    EXPECT_EQ(loaded.scenario.name, "tiny_policy");
    EXPECT_EQ(loaded.scenario.firms.count, static_cast<std::int64_t>(firms[0]));
    EXPECT_DOUBLE_EQ(loaded.scenario.local.weight_herding, herding[0]);
}

TEST_F(SweepRun, OutputStatisticsOverYears) {
    const std::vector<double> time = {2015.0, 2015.25, 2015.5, 2015.75, 2016.0, 2016.25};
    const std::vector<double> values = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60};  // two columns
    Output o;
    o.column = 1;
    o.year_from = 2015;
    o.year_to = 2015;
    EXPECT_DOUBLE_EQ(evaluate_output(o, time, values, 2), 25.0);
    o.stat = Stat::sum;
    EXPECT_DOUBLE_EQ(evaluate_output(o, time, values, 2), 100.0);
    o.stat = Stat::last;
    o.year_to = 2016;
    EXPECT_DOUBLE_EQ(evaluate_output(o, time, values, 2), 60.0);
    o.stat = Stat::min;
    EXPECT_DOUBLE_EQ(evaluate_output(o, time, values, 2), 10.0);
    o.stat = Stat::max;
    o.column = 0;
    EXPECT_DOUBLE_EQ(evaluate_output(o, time, values, 2), 6.0);
    o.year_from = o.year_to = 2030;
    EXPECT_TRUE(std::isnan(evaluate_output(o, time, values, 2)));
}

TEST_F(SweepRun, WritesTheLayoutAndIsTheSameWithOneOrTwoThreads) {
    const SweepSpec spec = small();
    const auto one = run(spec, "one.h5", 1);
    const auto two = run(spec, "two.h5", 2);
    EXPECT_FALSE(one.interrupted);
    EXPECT_TRUE(one.result.failed.empty());
    EXPECT_FALSE(fs::exists(parts_folder(path("one.h5"))));
    EXPECT_EQ(bytes(path("one.h5")), bytes(path("two.h5")));
    const SweepData d = read_sweep(path("one.h5"));
    EXPECT_EQ(d.arms, (std::vector<std::string>{"base", "subsidy"}));
    EXPECT_EQ(d.outputs, (std::vector<std::string>{"share_a", "cost"}));
    EXPECT_EQ(d.parameters, (std::vector<std::string>{"local.weight_herding", "firms.count"}));
    EXPECT_EQ(d.seeds.size(), 8U);
    for (const auto& per_output : d.summary) {
        for (const auto& values : per_output) {
            ASSERT_EQ(values.size(), 8U);
            for (const double v : values) {
                EXPECT_TRUE(std::isfinite(v));
            }
        }
    }
    ASSERT_EQ(one.result.comparisons.size(), 2U);
    const auto diff = paired_differences(d.summary[0][1], d.summary[1][1]);
    EXPECT_DOUBLE_EQ(one.result.comparisons[1].stats.mean, paired_stats(diff).mean);
    const auto table = compare_files({path("one.h5")});
    ASSERT_EQ(table.rows.size(), 2U);
    EXPECT_DOUBLE_EQ(table.rows[1].stats.mean, one.result.comparisons[1].stats.mean);
}

TEST_F(SweepRun, InterruptedThenResumedGivesTheSameFile) {
    const SweepSpec spec = small();
    static_cast<void>(run(spec, "full.h5", 2));
    const auto first = run(spec, "cut.h5", 2, false, 5);
    EXPECT_TRUE(first.interrupted);
    EXPECT_FALSE(fs::exists(path("cut.h5")));
    EXPECT_GE(first.ran, 5U);
    EXPECT_THROW(static_cast<void>(run(spec, "cut.h5", 2)), ipsim::io::InputError);  // parts exist: --resume needed
    const auto second = run(spec, "cut.h5", 1, true, 9);
    EXPECT_TRUE(second.interrupted);
    EXPECT_EQ(second.resumed, first.ran);
    const auto third = run(spec, "cut.h5", 2, true);
    EXPECT_FALSE(third.interrupted);
    EXPECT_EQ(first.ran + second.ran + third.ran, 16U);  // none lost, none done twice
    EXPECT_EQ(bytes(path("cut.h5")), bytes(path("full.h5")));
}

TEST_F(SweepRun, ResumeRefusesPartsOfAnotherSweep) {
    const SweepSpec spec = small();
    static_cast<void>(run(spec, "x.h5", 2, false, 2));
    write("s.yaml", std::string(sweep_test::kSmallSweep) + "description: changed\n");
    const SweepSpec changed = load_sweep_file(path("s.yaml"));
    try {
        static_cast<void>(run(changed, "x.h5", 2, true));
        FAIL() << "expected an InputError";
    } catch (const ipsim::io::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("belongs to another sweep"), std::string::npos);
    }
}

TEST_F(SweepRun, FailedRunIsRecordedAndTheSweepGoesOn) {
    write("s.yaml",
          "base: tiny\nparameters:\n  sectors.a.demand.china: {values: [16, 1e308]}\nseeds: 1\n"
          "outputs: {cost: {metric: fiscal_cost}}\n");
    const SweepSpec spec = load_sweep_file(path("s.yaml"));
    const auto outcome = run(spec, "f.h5", 2);
    EXPECT_FALSE(outcome.interrupted);
    ASSERT_EQ(outcome.result.failed.size(), 1U);
    EXPECT_EQ(outcome.result.failed[0].run_id, "base-0001");
    EXPECT_NE(outcome.result.failed[0].message.find("non-finite value"), std::string::npos);
    const SweepData d = read_sweep(path("f.h5"));
    EXPECT_TRUE(std::isfinite(d.summary[0][0][0]));
    EXPECT_TRUE(std::isnan(d.summary[0][0][1]));
}

TEST_F(SweepRun, WriterKeepsOnlyTheSeriesAsked) {
    const auto loaded = ipsim::io::load_scenario_text(sweep_test::kTiny, path("tiny.yaml"));
    ipsim::model::RunInfo info;
    info.scenario_name = "tiny";
    info.n_steps = 8;
    info.sectors = {"a", "b"};
    info.regions = {"r1", "r2"};
    ipsim::io::Hdf5Writer writer(path("only.h5"));
    writer.keep_only({"sector/world_share", "national/fiscal_cost"});
    ipsim::model::run(loaded.scenario, 1, info, writer);
    std::vector<std::string> paths;
    for (const auto& s : ipsim::io::read_result_summary(path("only.h5")).series) {
        paths.push_back(s.path);
    }
    EXPECT_EQ(paths, (std::vector<std::string>{"/sector/world_share", "/national/fiscal_cost"}));
    EXPECT_EQ(ipsim::io::read_series(path("only.h5"), "/national/fiscal_cost").size(), 8U);
}

TEST(Paired, StatisticsMatchHandComputedValues) {
    const std::vector<double> base = {10, 20, 30, 40, 50, std::nan("")};
    const std::vector<double> arm = {11, 22, 33, 44, 55, 60};
    const auto d = paired_differences(base, arm);
    ASSERT_EQ(d.size(), 6U);
    EXPECT_TRUE(std::isnan(d[5]));
    const PairedStats s = paired_stats(d);  // differences 1..5
    EXPECT_EQ(s.n, 5U);
    EXPECT_DOUBLE_EQ(s.mean, 3.0);
    EXPECT_NEAR(s.sd, std::sqrt(2.5), 1e-12);
    EXPECT_NEAR(s.se, std::sqrt(0.5), 1e-12);
    EXPECT_NEAR(s.t_crit, 2.7764451051977987, 1e-8);
    EXPECT_NEAR(s.ci_low, 3.0 - 2.7764451051977987 * std::sqrt(0.5), 1e-8);
    EXPECT_NEAR(s.ci_high, 3.0 + 2.7764451051977987 * std::sqrt(0.5), 1e-8);
    const PairedStats one = paired_stats(std::vector<double>{2.5});
    EXPECT_EQ(one.n, 1U);
    EXPECT_DOUBLE_EQ(one.mean, 2.5);
    EXPECT_TRUE(std::isnan(one.ci_low));
    EXPECT_EQ(paired_stats(std::vector<double>{}).n, 0U);
}

TEST(Paired, StudentTQuantilesMatchTables) {
    EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736174707, 1e-7);
    EXPECT_NEAR(student_t_quantile(0.975, 2), 4.302652729749464, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.975, 9), 2.2621571627982053, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.975, 29), 2.045229642132703, 1e-8);
    EXPECT_NEAR(student_t_quantile(0.975, 1000), 1.9623390808264078, 1e-7);
    EXPECT_NEAR(student_t_quantile(0.025, 9), -2.2621571627982053, 1e-8);
    EXPECT_NEAR(student_t_cdf(0.0, 5), 0.5, 1e-15);
}

}  // namespace
