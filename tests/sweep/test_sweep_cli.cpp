/*!
 * @file test_sweep_cli.cpp
 * @brief `ipsim sweep` and `ipsim compare` through the built program: exit codes, nothing
 *        written on bad input, a real kill -9 in the middle of a sweep followed by --resume,
 *        failed runs (a throwing run, an accounting residual beyond the limit) named with exit 1,
 *        and compare's refusal to pair unlike runs.
 */
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "sweep_fixtures.hpp"

namespace {

namespace fs = std::filesystem;

using sweep_test::SweepDir;

class SweepCli : public SweepDir {
protected:
    int ipsim(const std::string& args) {
        const std::string command = "cd '" + dir_.string() + "' && '" + IPSIM_BINARY + "' " + args + " >out.txt 2>err.txt";
        const int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::string out() const { return bytes(path("out.txt")); }
    std::string err() const { return bytes(path("err.txt")); }
    std::size_t finished_parts(const std::string& parts) const {
        std::size_t n = 0;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(path(parts), ec)) {
            n += e.path().extension() == ".h5" ? 1 : 0;
        }
        return n;
    }
};

TEST_F(SweepCli, BadSweepFileExitsTwoAndWritesNothing) {
    write("bad.yaml", "base: tiny\noutputs: {c: {metric: fiscal_cots}}\n");
    EXPECT_EQ(ipsim("sweep bad.yaml -o bad.h5"), 2);
    EXPECT_EQ(err(), "ipsim: error: bad.yaml:2:23: outputs.c.metric: unknown national metric 'fiscal_cots' (did you mean 'fiscal_cost'?)\n");
    EXPECT_FALSE(fs::exists(path("bad.h5")));
    EXPECT_FALSE(fs::exists(path("bad.h5.parts")));
    EXPECT_EQ(ipsim("sweep missing.yaml"), 2);
}

TEST_F(SweepCli, SweepPrintsThePairedTableAndCompareAgrees) {
    write("s.yaml", sweep_test::kSmallSweep);
    ASSERT_EQ(ipsim("sweep s.yaml -o s.h5 --threads 2"), 0) << err();
    EXPECT_NE(out().find("paired comparison against small: base"), std::string::npos);
    EXPECT_NE(out().find("wrote s.h5 (16 runs, 0 failed)"), std::string::npos);
    ASSERT_EQ(ipsim("compare s.h5 --csv"), 0) << err();
    EXPECT_EQ(out().substr(0, out().find('\n')), "arm,output,units,n,base_mean,arm_mean,mean_difference,se,ci_low,ci_high");
    EXPECT_NE(out().find("subsidy,cost,"), std::string::npos);
    ASSERT_EQ(ipsim("compare s.h5 s.h5 --json"), 0) << err();
    EXPECT_NE(out().find("\"mean_difference\": 0,"), std::string::npos);
    EXPECT_EQ(ipsim("compare s.h5 --csv --json"), 2);
}

TEST_F(SweepCli, KillNineThenResumeGivesTheUninterruptedFile) {
    write("k.yaml",
          "base: {scenario: tiny, set: [firms.count=1000, time.quarters=40]}\n"
          "parameters: {local.weight_herding: {range: [0.2, 1.0]}}\ndesign: {levels: 10}\nseeds: 4\n"
          "outputs: {cost: {metric: fiscal_cost, stat: sum}}\n");
    ASSERT_EQ(ipsim("sweep k.yaml -o full.h5 --threads 2 --quiet"), 0) << err();
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ASSERT_EQ(chdir(dir_.c_str()), 0);
        execl(IPSIM_BINARY, IPSIM_BINARY, "sweep", "k.yaml", "-o", "cut.h5", "--threads", "2", "--quiet", static_cast<char*>(nullptr));
        _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (finished_parts("cut.h5.parts") < 5 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    const bool killed = WIFSIGNALED(status);
    ASSERT_TRUE(killed || fs::exists(path("cut.h5")));
    if (killed) {
        EXPECT_FALSE(fs::exists(path("cut.h5")));
        EXPECT_LT(finished_parts("cut.h5.parts"), 40U);
        EXPECT_EQ(ipsim("sweep k.yaml -o cut.h5 --threads 2 --quiet"), 2);
        EXPECT_NE(err().find("continue it with --resume"), std::string::npos);
        ASSERT_EQ(ipsim("sweep k.yaml -o cut.h5 --threads 2 --quiet --resume"), 0) << err();
    }
    EXPECT_FALSE(fs::exists(path("cut.h5.parts")));
    EXPECT_EQ(bytes(path("cut.h5")), bytes(path("full.h5")));
}

TEST_F(SweepCli, FailedRunsExitOneAndAreNamed) {
    write("f.yaml", "base: tiny\nparameters: {sectors.a.demand.china: {values: [16, 1e308]}}\noutputs: {c: {metric: fiscal_cost}}\n");
    EXPECT_EQ(ipsim("sweep f.yaml -o f.h5 --quiet"), 1);
    EXPECT_NE(err().find("ipsim: 1 of 2 runs failed (recorded in /failed):\n  base-0001: non-finite value"), std::string::npos) << err();
    EXPECT_TRUE(fs::exists(path("f.h5")));
}

TEST_F(SweepCli, RunWithAnAccountingResidualFailsLikeIpsimRun) {
    // finance.initial_cash=1e300 makes `ipsim run` stop on the residual (Faults.FailedRunKeepsTheExistingResult).
    write("r.yaml", "base: tiny\nparameters: {finance.initial_cash: {values: [0.1, 1e300]}}\noutputs: {c: {metric: fiscal_cost}}\n");
    EXPECT_EQ(ipsim("sweep r.yaml -o r.h5 --quiet"), 1);
    EXPECT_NE(err().find("ipsim: 1 of 2 runs failed (recorded in /failed):\n  base-0001: accounting residual of "), std::string::npos)
        << err();
    EXPECT_NE(err().find(" bn CNY in 2015Q"), std::string::npos) << err();  // names the quarter
    EXPECT_EQ(err().find("base-0000"), std::string::npos) << err();
    EXPECT_TRUE(fs::exists(path("r.h5")));
}

TEST_F(SweepCli, CompareSingleRunsPairsBySeedAndRefusesUnlikeRuns) {
    for (const char* seed : {"1", "2"}) {
        ASSERT_EQ(ipsim(std::string("run tiny.yaml -q --seed ") + seed + " -o b" + seed + ".h5"), 0) << err();
        ASSERT_EQ(ipsim(std::string("run tiny_policy.yaml -q --seed ") + seed + " -o p" + seed + ".h5"), 0) << err();
    }
    ASSERT_EQ(ipsim("compare b1.h5 b2.h5 p1.h5 p2.h5"), 0) << err();
    EXPECT_NE(out().find("paired comparison against tiny (mean over the last 1 year(s): 2016 to 2016.75; seeds 1,2)"), std::string::npos) << out();
    EXPECT_NE(out().find("tiny_policy  national/fiscal_cost"), std::string::npos) << out();
    ASSERT_EQ(ipsim("compare b1.h5 p1.h5 --json"), 0) << err();
    EXPECT_NE(out().find("\"n\": 1"), std::string::npos);
    EXPECT_EQ(ipsim("compare b1.h5 b2.h5 p1.h5"), 2);
    EXPECT_EQ(err(), "ipsim: error: compare: the seeds differ (tiny: 1,2; tiny_policy: 1); runs are paired by seed, so both sides need the same seeds\n");
    ASSERT_EQ(ipsim("run tiny_policy.yaml -q --set firms.count=300 -o big.h5"), 0) << err();
    EXPECT_EQ(ipsim("compare b1.h5 big.h5"), 2);
    EXPECT_EQ(err(),
              "ipsim: error: compare: b1.h5 and big.h5 differ in more than policy (firms.count 200 vs 300); "
              "only runs of the same scale, sectors, regions, horizon and seeds can be paired\n");
    ASSERT_EQ(ipsim("run tiny.yaml -q --set time.quarters=12 -o long.h5"), 0) << err();
    EXPECT_EQ(ipsim("compare b1.h5 long.h5"), 2);
    EXPECT_NE(err().find("differ in more than policy (the horizon"), std::string::npos) << err();
    EXPECT_EQ(ipsim("compare b1.h5 b2.h5"), 2);
    EXPECT_NE(err().find("make 1 distinct scenarios"), std::string::npos) << err();
    EXPECT_EQ(ipsim("compare b1.h5 nothere.h5"), 2);
    // One calendar year at a time: paired differences over time (the first year differs from the last).
    ASSERT_EQ(ipsim("compare b1.h5 b2.h5 p1.h5 p2.h5 --year 2015 --json"), 0) << err();
    EXPECT_NE(out().find("\"note\": \"mean over the quarters of 2015\""), std::string::npos) << out();
    const std::string first_year = out();
    ASSERT_EQ(ipsim("compare b1.h5 b2.h5 p1.h5 p2.h5 --year 2016 --json"), 0) << err();
    EXPECT_NE(out(), first_year);
    EXPECT_EQ(ipsim("compare b1.h5 p1.h5 --year 2030"), 2);
    EXPECT_NE(err().find("--year 2030 is outside the run"), std::string::npos) << err();
}

}  // namespace
