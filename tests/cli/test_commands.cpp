/*!
 * @file test_commands.cpp
 * @brief The command-line contract: exit codes, files written only when complete, help texts.
 *
 * Runs the built `ipsim` program (IPSIM_BINARY) in a temporary directory.
 */
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/progress.hpp"
#include "cli_folder.hpp"
#include "io/result_reader.hpp"
#include "model/quarter.hpp"

namespace fs = std::filesystem;

namespace {

class Cli : public ipsim::test::CliFolder {
protected:
    Cli() : CliFolder("ipsim_cli_") {}
    void SetUp() override {
        CliFolder::SetUp();
        std::ofstream(dir_ / "tiny.yaml") << "name: tiny\ntime: {quarters: 8}\nfirms: {count: 200}\n"
                                             "sectors: [{name: a}, {name: b}]\nregions: [{name: r1}, {name: r2}]\n";
        std::ofstream(dir_ / "bad.yaml") << "name: bad\nsectors:\n  - name: a\n    demand: {elasticity: -1}\nregions: [{name: r}]\n";
    }
};

}  // namespace

TEST_F(Cli, HelpAndListingsSucceed) {
    for (const char* args : {"--help", "run --help", "validate --help", "scenarios", "info --help", "schema", "--version"}) {
        EXPECT_EQ(ipsim(args), 0) << args;
    }
    ASSERT_EQ(ipsim("run --help"), 0);
    EXPECT_NE(read("out.txt").find("Examples:"), std::string::npos);
    ASSERT_EQ(ipsim("scenarios"), 0);
    EXPECT_NE(read("out.txt").find("export_controls"), std::string::npos);
}

TEST_F(Cli, BadInputExitsTwoWithOneClearLine) {
    EXPECT_EQ(ipsim("--no-such-option"), 2);
    EXPECT_EQ(ipsim("rn"), 2);
    EXPECT_NE(read("err.txt").find("did you mean 'run'"), std::string::npos);
    EXPECT_EQ(ipsim("run tiny.yaml --threads -1"), 2);
    EXPECT_EQ(ipsim("run tiny.yaml --set nonsense"), 2);
    EXPECT_EQ(ipsim("run tiny.yaml --set firms.cont=3"), 2);
    EXPECT_NE(read("err.txt").find("--set firms.cont"), std::string::npos);
    EXPECT_EQ(ipsim("validate missing.yaml"), 2);
    EXPECT_EQ(ipsim("validate bad.yaml"), 2);
    EXPECT_NE(read("err.txt").find("bad.yaml:4:26: sectors[0].demand.elasticity must be > 0 (got -1)"), std::string::npos) << read("err.txt");
    EXPECT_EQ(ipsim("info missing.h5"), 2);
    EXPECT_EQ(ipsim("info tiny.yaml"), 2);
    EXPECT_EQ(ipsim("run tiny.yaml -o no_dir/x.h5"), 2);
    EXPECT_FALSE(fs::exists(dir_ / "no_dir"));
}

// Each count the firm columns' integer types bound is a bad field like any other: `validate` and
// `run` both refuse it before the run starts, with exit code 2, and `run` leaves no file.
TEST_F(Cli, CountsTheFirmColumnsCannotHoldAreRefusedByValidateAndRun) {
    std::string many_sectors = "name: many\nsectors:\n";
    for (int s = 0; s < 257; ++s) {
        many_sectors += "  - name: s" + std::to_string(s) + "\n";
    }
    write("sectors.yaml", many_sectors + "regions: [{name: r}]\n");
    const struct {
        const char* args;
        const char* message;
    } cases[] = {
        {"sectors.yaml", "sectors.yaml:259:5: sectors: at most 256 sectors (got 257)"},
        {"tiny.yaml --set local.per_region=16384", "local.per_region: at most 32767 local governments (got 32768"},
        {"tiny.yaml --set time.quarters=2001", "time.quarters must be in [1, 2000]"},
        {"tiny.yaml --set finance.zombie_years=21", "finance.zombie_years must be in [1, 20]"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(ipsim(std::string("validate ") + c.args), 2) << c.args;
        EXPECT_NE(read("err.txt").find(c.message), std::string::npos) << read("err.txt");
        EXPECT_EQ(ipsim(std::string("run ") + c.args + " --quiet -o out.h5"), 2) << c.args;
        EXPECT_NE(read("err.txt").find(c.message), std::string::npos) << read("err.txt");
        EXPECT_FALSE(fs::exists(dir_ / "out.h5")) << c.args;
        for (const auto& entry : fs::directory_iterator(dir_)) {
            EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
        }
    }
}

TEST_F(Cli, RunWritesCompleteFileOnlyAndInfoDescribesIt) {
    ASSERT_EQ(ipsim("run tiny.yaml -o out.h5 --seed 7 --quiet"), 0) << read("err.txt");
    EXPECT_TRUE(fs::exists(dir_ / "out.h5"));
    for (const auto& entry : fs::directory_iterator(dir_)) {
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
    }
    ASSERT_EQ(ipsim("info out.h5"), 0);
    const auto info = read("out.txt");
    EXPECT_NE(info.find("/sector/output"), std::string::npos);
    EXPECT_NE(info.find("seed       7"), std::string::npos) << info;
}

TEST_F(Cli, PipedRunHasNoProgressBarButASummary) {
    ASSERT_EQ(ipsim("run tiny.yaml -o s.h5"), 0);
    EXPECT_EQ(read("err.txt").find('\r'), std::string::npos);
    EXPECT_EQ(read("err.txt").find('\033'), std::string::npos);
    EXPECT_NE(read("out.txt").find("self_sufficiency"), std::string::npos);
    EXPECT_NE(read("out.txt").find("wrote s.h5"), std::string::npos);
}

TEST_F(Cli, SummaryStatesUnits) {
    ASSERT_EQ(ipsim("run tiny.yaml -o s.h5"), 0);
    const auto out = read("out.txt");
    EXPECT_NE(out.find("domestic_share [%]"), std::string::npos) << out;
    EXPECT_NE(out.find("zombies [firms]"), std::string::npos) << out;
    EXPECT_NE(out.find("bn CNY per quarter"), std::string::npos) << out;
    EXPECT_NE(out.find("National (2015Q1 -> 2016Q4)"), std::string::npos) << out;
}

TEST_F(Cli, SeedRangeIsTheScenarioSeedRange) {
    ASSERT_EQ(ipsim("run tiny.yaml -o a.h5 --seed 9000000000000000 --quiet"), 0) << read("err.txt");
    ASSERT_EQ(ipsim("info a.h5"), 0);
    EXPECT_NE(read("out.txt").find("seed       9000000000000000"), std::string::npos) << read("out.txt");
    for (const char* seed : {"9000000000000001", "-1", "18446744073709551617", "1e3", "''"}) {
        EXPECT_EQ(ipsim(std::string("run tiny.yaml -o b.h5 --quiet --seed ") + seed), 2) << seed;
        EXPECT_FALSE(fs::exists(dir_ / "b.h5")) << seed;
    }
}

TEST_F(Cli, ThreadCountDoesNotChangeTheResult) {
    if (std::system("command -v h5dump >/dev/null 2>&1") != 0) {
        GTEST_SKIP() << "h5dump not installed";
    }
    ASSERT_EQ(ipsim("run tiny.yaml -o one.h5 --threads 1 --quiet"), 0);
    ASSERT_EQ(ipsim("run tiny.yaml -o two.h5 --threads 2 --quiet"), 0);
    ASSERT_EQ(std::system(("cd '" + dir_.string() + "' && h5dump -d /sector/output -d /national/accounting_residual one.h5 | tail -n +2 > one.txt && "
                                                    "h5dump -d /sector/output -d /national/accounting_residual two.h5 | tail -n +2 > two.txt")
                              .c_str()),
              0);
    EXPECT_EQ(read("one.txt"), read("two.txt"));
}

TEST_F(Cli, ProfileNamesEveryPhaseOnceAndLeavesTheResultAlone) {
    ASSERT_EQ(ipsim("run tiny.yaml -o plain.h5 --threads 1 --quiet"), 0);
    EXPECT_EQ(read("out.txt"), "");
    ASSERT_EQ(ipsim("run tiny.yaml -o timed.h5 --threads 1 --quiet --profile"), 0);
    const std::string out = read("out.txt");
    for (const auto& phase : ipsim::model::quarter_phases()) {
        const std::string name = std::string(" ") + phase.name + " ";
        const auto at = out.find(name);
        ASSERT_NE(at, std::string::npos) << phase.name << "\n"
                                         << out;
        EXPECT_EQ(out.find(name, at + 1), std::string::npos) << phase.name << " twice\n"
                                                             << out;
    }
    EXPECT_NE(out.find("ns per firm-quarter"), std::string::npos) << out;
    const auto plain = ipsim::io::read_result_summary((dir_ / "plain.h5").string());
    const auto timed = ipsim::io::read_result_summary((dir_ / "timed.h5").string());
    ASSERT_EQ(plain.series.size(), timed.series.size());
    ASSERT_FALSE(plain.series.empty());
    for (std::size_t k = 0; k < plain.series.size(); ++k) {
        ASSERT_EQ(plain.series[k].path, timed.series[k].path);
        EXPECT_EQ(ipsim::io::read_series((dir_ / "plain.h5").string(), plain.series[k].path),
                  ipsim::io::read_series((dir_ / "timed.h5").string(), timed.series[k].path))
            << plain.series[k].path;
    }
}

TEST(Progress, FormatsQuartersDurationsAndBars) {
    EXPECT_EQ(ipsim::cli::quarter_label(2019.5), "2019Q3");
    EXPECT_EQ(ipsim::cli::quarter_label(2015.0), "2015Q1");
    EXPECT_EQ(ipsim::cli::quarter_label(2035.75), "2035Q4");
    EXPECT_EQ(ipsim::cli::duration_text(65.0), "1m05s");
    EXPECT_EQ(ipsim::cli::duration_text(-1.0), "--");
    const auto line = ipsim::cli::progress_line(42, 84, 2025.25, 3.0, 10);
    EXPECT_NE(line.find("[#####-----] 42/84 2025Q2"), std::string::npos) << line;
    EXPECT_NE(line.find("eta 3s"), std::string::npos) << line;
}
