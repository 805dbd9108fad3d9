/*!
 * @file test_design_commands.cpp
 * @brief `ipsim design` and `ipsim analyze` through the built program: the Ishigami round
 *        trip, Morris, plain SALib-style CSVs, reproducibility and every bad-input exit.
 *
 * Runs IPSIM_BINARY in a temporary directory; the model outputs are computed here from the
 * design file the program wrote, as a user's own model would.
 */
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "cli_folder.hpp"

namespace fs = std::filesystem;

namespace {

using Row = std::vector<double>;

class DesignCli : public ipsim::test::CliFolder {
protected:
    DesignCli() : CliFolder("ipsim_design_") {}

    /*! Data rows of a CSV written by `ipsim design` (comments and header skipped). */
    std::vector<Row> rows(const std::string& name) const {
        std::ifstream in(dir_ / name);
        std::vector<Row> out;
        bool header = true;
        for (std::string line; std::getline(in, line);) {
            if (line.empty() || line[0] == '#') {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            Row row;
            std::stringstream cells(line);
            for (std::string cell; std::getline(cells, cell, ',');) {
                row.push_back(std::stod(cell));
            }
            out.push_back(row);
        }
        return out;
    }
    void write_outputs(const std::string& design, const std::string& name, const std::function<double(const Row&)>& f) const {
        std::ofstream out(dir_ / name);
        out.precision(17);
        out << "y\n";
        for (const auto& row : rows(design)) {
            out << f(row) << "\n";
        }
    }
    /*! The number after "KEY": inside the object of `param` inside `output` of a JSON file. */
    double json_value(const std::string& file, const std::string& output, const std::string& param, const std::string& key) const {
        const std::string text = read(file);
        std::size_t at = text.find("\"" + output + "\": {");
        at = text.find("\"" + param + "\": {", at);
        at = text.find("\"" + key + "\": ", at);
        EXPECT_NE(at, std::string::npos) << output << "/" << param << "/" << key << " in " << text.substr(0, 400);
        return at == std::string::npos ? NAN : std::strtod(text.c_str() + at + key.size() + 4, nullptr);
    }
};

constexpr const char* kIshigamiParams =
    "--param x1=-3.141592653589793:3.141592653589793 --param x2=-3.141592653589793:3.141592653589793 "
    "--param x3=-3.141592653589793:3.141592653589793";

double ishigami(const Row& x) {
    return std::sin(x[0]) + 7.0 * std::sin(x[1]) * std::sin(x[1]) + 0.1 * std::pow(x[2], 4) * std::sin(x[0]);
}

}  // namespace

TEST_F(DesignCli, HelpHasExamples) {
    for (const char* command : {"design --help", "analyze --help"}) {
        ASSERT_EQ(ipsim(command), 0) << command;
        EXPECT_NE(read("out.txt").find("Examples:"), std::string::npos) << command;
    }
    EXPECT_EQ(ipsim("analyse sobol a.csv b.csv"), 2);
    EXPECT_NE(read("err.txt").find("did you mean 'analyze'"), std::string::npos) << read("err.txt");
}

TEST_F(DesignCli, IshigamiRoundTripGivesAnalyticalIndicesWithin003) {
    ASSERT_EQ(ipsim(std::string("design sobol ") + kIshigamiParams + " --samples 8192 -o d.csv"), 0) << read("err.txt");
    ASSERT_EQ(rows("d.csv").size(), 8192U * 5U);
    write_outputs("d.csv", "o.csv", ishigami);
    ASSERT_EQ(ipsim("analyze sobol d.csv o.csv --json j.json"), 0) << read("err.txt");
    const double s1[] = {0.3139, 0.4424, 0.0};
    const double st[] = {0.5576, 0.4424, 0.2437};
    for (int i = 0; i < 3; ++i) {
        const std::string p = "x" + std::to_string(i + 1);
        EXPECT_NEAR(json_value("j.json", "y", p, "S1"), s1[i], 0.03) << p;
        EXPECT_NEAR(json_value("j.json", "y", p, "ST"), st[i], 0.03) << p;
        EXPECT_GT(json_value("j.json", "y", p, "S1_conf"), 0.0) << p;
        EXPECT_GT(json_value("j.json", "y", p, "ST_conf"), 0.0) << p;
    }
    EXPECT_NE(read("out.txt").find("Sobol indices (N = 8192"), std::string::npos) << read("out.txt");
}

TEST_F(DesignCli, SecondOrderAndPlainSaltelliCsvWithoutComments) {
    ASSERT_EQ(ipsim(std::string("design sobol ") + kIshigamiParams + " --samples 1024 --second-order -o d.csv"), 0);
    ASSERT_EQ(rows("d.csv").size(), 1024U * 8U);
    write_outputs("d.csv", "o.csv", ishigami);
    ASSERT_EQ(ipsim("analyze sobol d.csv o.csv --second-order --json j.json"), 0) << read("err.txt");
    EXPECT_NEAR(json_value("j.json", "y", "x1", "x3"), 0.2437, 0.1);
    EXPECT_NEAR(json_value("j.json", "y", "x3", "x1"), json_value("j.json", "y", "x1", "x3"), 1e-12);
    std::string plain;
    std::stringstream lines(read("d.csv"));
    for (std::string line; std::getline(lines, line);) {
        if (line[0] != '#') {
            plain += line + "\n";
        }
    }
    write("plain.csv", plain);
    EXPECT_EQ(ipsim("analyze sobol plain.csv o.csv --json k.json"), 2) << "a 2D+2 design read as D+2";
    EXPECT_NE(read("err.txt").find("not a Saltelli design"), std::string::npos) << read("err.txt");
    ASSERT_EQ(ipsim("analyze sobol plain.csv o.csv --second-order --json k.json"), 0) << read("err.txt");
    EXPECT_EQ(read("k.json"), read("j.json"));
}

TEST_F(DesignCli, MorrisRanksLinearCoefficientsInUnitSteps) {
    ASSERT_EQ(ipsim("design morris --param a=0:10 --param b=-1:1 --param c=5:6 --samples 12 --levels 4 --seed 3 -o m.csv"), 0);
    ASSERT_EQ(rows("m.csv").size(), 12U * 4U);
    write_outputs("m.csv", "o.csv", [](const Row& x) { return 4.0 * x[0] + 0.0 * x[1] - 30.0 * x[2]; });
    ASSERT_EQ(ipsim("analyze morris m.csv o.csv --json j.json"), 0) << read("err.txt");
    EXPECT_NEAR(json_value("j.json", "y", "a", "mu_star"), 40.0, 1e-9);
    EXPECT_NEAR(json_value("j.json", "y", "b", "mu_star"), 0.0, 1e-9);
    EXPECT_NEAR(json_value("j.json", "y", "c", "mu_star"), 30.0, 1e-9);
    EXPECT_NEAR(json_value("j.json", "y", "c", "mu"), -30.0, 1e-9);
    EXPECT_NEAR(json_value("j.json", "y", "a", "sigma"), 0.0, 1e-9);
    std::string plain;
    std::stringstream lines(read("m.csv"));
    for (std::string line; std::getline(lines, line);) {
        if (line[0] != '#') {
            plain += line + "\n";
        }
    }
    write("plain.csv", plain);
    ASSERT_EQ(ipsim("analyze morris plain.csv o.csv --json k.json"), 0) << read("err.txt");
    EXPECT_NEAR(json_value("k.json", "y", "b", "mu_star"), 0.0, 1e-9);
    EXPECT_GT(json_value("k.json", "y", "a", "mu_star"), json_value("k.json", "y", "b", "mu_star"));
    EXPECT_EQ(ipsim("analyze sobol m.csv o.csv"), 2);
    EXPECT_NE(read("err.txt").find("m.csv:1: a morris design"), std::string::npos) << read("err.txt");
}

TEST_F(DesignCli, DesignsAreReproducibleBySeedAndGoToStandardOutputWithoutO) {
    ASSERT_EQ(ipsim("design lhs --param a=0:1 --param b=10:20 --samples 50 --seed 3 -o a.csv"), 0);
    ASSERT_EQ(ipsim("design lhs --param a=0:1 --param b=10:20 --samples 50 --seed 3 -o b.csv"), 0);
    ASSERT_EQ(ipsim("design lhs --param a=0:1 --param b=10:20 --samples 50 --seed 4 -o c.csv"), 0);
    EXPECT_EQ(read("a.csv"), read("b.csv"));
    EXPECT_NE(rows("a.csv"), rows("c.csv"));
    for (const auto& row : rows("a.csv")) {
        EXPECT_GE(row[1], 10.0);
        EXPECT_LE(row[1], 20.0);
    }
    ASSERT_EQ(ipsim("design lhs --param a=0:1 --param b=10:20 --samples 50 --seed 3"), 0);
    EXPECT_EQ(read("out.txt"), read("a.csv"));
    ASSERT_EQ(ipsim("design grid --param a=0:1 --param b=0:2 --samples 3 -o g.csv"), 0);
    EXPECT_EQ(rows("g.csv").size(), 9U);
    EXPECT_EQ(rows("g.csv")[5], (Row{0.5, 2.0}));
}

TEST_F(DesignCli, BadDesignArgumentsExitTwoAndLeaveFilesAlone) {
    write("keep.csv", "keep\n");
    const std::pair<const char*, const char*> cases[] = {
        {"design sobl --param a=0:1 -n 4 -o keep.csv", "valid: grid, random, lhs, sobol, morris"},
        {"design sobol --param a=0 -n 4 -o keep.csv", "expected NAME=MIN:MAX"},
        {"design sobol --param a=1:0 -n 4 -o keep.csv", "MIN must be less than MAX"},
        {"design sobol --param a=0:1 --param a=0:2 -n 4 -o keep.csv", "given twice"},
        {"design morris --param a=0:1 -n 4 --levels 5 -o keep.csv", "even"},
        {"design lhs --param a=0:1 -n 0 -o keep.csv", "samples must be >= 1"},
        {"design lhs --param a=0:1 -n 4 --second-order -o keep.csv", "sobol designs only"},
        {"design lhs --param a=0:1 -n 4 -o no_dir/x.csv", "no_dir' does not exist"},
    };
    for (const auto& [args, message] : cases) {
        EXPECT_EQ(ipsim(args), 2) << args;
        EXPECT_NE(read("err.txt").find(message), std::string::npos) << args << ": " << read("err.txt");
        EXPECT_EQ(read("keep.csv"), "keep\n") << args;
    }
    EXPECT_FALSE(fs::exists(dir_ / "no_dir"));
    ASSERT_EQ(ipsim("design lhs --param a=0:1 -n 4 -o keep.csv"), 0);
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir_)) {
        files += entry.path().string().find(".tmp-") == std::string::npos ? 1 : 100;
    }
    EXPECT_EQ(files, 3U) << "keep.csv, out.txt, err.txt and no temporary";
}

TEST_F(DesignCli, BadAnalyzeInputsNameFileLineAndColumn) {
    ASSERT_EQ(ipsim("design sobol --param a=0:1 --param b=0:1 --samples 4 -o d.csv"), 0);
    write("text.csv", "y\n1\n2\nabc\n");
    write("nan.csv", "y\n1\nnan\n");
    write("short.csv", "y\n1\n2\n");
    write("fields.csv", "y,z\n1,2\n3\n");
    std::string many = "y\n";
    for (int i = 0; i < 17; ++i) {
        many += std::to_string(i) + "\n";
    }
    write("many.csv", many);
    std::string sixteen = "y\n";
    for (int i = 0; i < 16; ++i) {
        sixteen += std::to_string(i % 3) + "\n";
    }
    write("sixteen.csv", sixteen);
    write("index.csv", ",y\n0,1\n");
    const std::pair<const char*, const char*> cases[] = {
        {"analyze sobol d.csv text.csv", "text.csv:4:1: column 'y': 'abc' is not a number"},
        {"analyze sobol d.csv nan.csv", "nan.csv:3:1: column 'y': 'nan' is not a finite number"},
        {"analyze sobol d.csv short.csv", "short.csv: 2 output rows but d.csv has 16 design rows"},
        {"analyze sobol d.csv fields.csv", "fields.csv:3: 1 field, expected 2"},
        {"analyze sobol d.csv many.csv", "many.csv:18: more output rows (17) than design rows"},
        {"analyze sobol d.csv index.csv", "index.csv:1:1: empty column name"},
        {"analyze sobol missing.csv short.csv", "missing.csv: cannot open"},
        {"analyze lhs d.csv short.csv", "METHOD must be sobol or morris"},
        {"analyze sobol d.csv sixteen.csv --second-order", "without --second-order"},
        {"analyze morris d.csv short.csv", "d.csv:1: a sobol design"},
    };
    for (const auto& [args, message] : cases) {
        EXPECT_EQ(ipsim(args), 2) << args;
        EXPECT_NE(read("err.txt").find(message), std::string::npos) << args << ": " << read("err.txt");
        EXPECT_EQ(read("err.txt").find('\n'), read("err.txt").size() - 1) << "one line: " << read("err.txt");
    }
    std::string cut = "a,b\n";
    std::string fifteen = "y\n";
    for (int i = 0; i < 15; ++i) {
        cut += "0.5,0.5\n";
        fifteen += "1\n";
    }
    write("cut.csv", cut);
    write("fifteen.csv", fifteen);
    EXPECT_EQ(ipsim("analyze sobol cut.csv fifteen.csv"), 2);
    EXPECT_NE(read("err.txt").find("cut.csv: 15 rows is not a Saltelli design for 2 parameters"), std::string::npos) << read("err.txt");
    std::string head;
    std::stringstream lines(read("d.csv"));
    std::string line;
    for (int i = 0; i < 11 && std::getline(lines, line); ++i) {
        head += line + "\n";
    }
    write("head.csv", head);
    write("eight.csv", "y\n1\n2\n3\n4\n5\n6\n7\n8\n");
    EXPECT_EQ(ipsim("analyze sobol head.csv eight.csv"), 2);
    EXPECT_NE(read("err.txt").find("head.csv: the header says samples=4 but the rows make N=2"), std::string::npos) << read("err.txt");
    write("bom.csv", "\xEF\xBB\xBF" + sixteen);
    EXPECT_EQ(ipsim("analyze sobol d.csv bom.csv --json bom.json"), 0) << read("err.txt");
    EXPECT_NE(read("bom.json").find("\"y\": {"), std::string::npos) << read("bom.json");
}
