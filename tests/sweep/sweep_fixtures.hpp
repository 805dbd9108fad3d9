/*!
 * @file sweep_fixtures.hpp
 * @brief Shared pieces of the sweep tests: a temporary folder with a tiny scenario (2 sectors,
 *        2 regions, 200 firms, 8 quarters: a run takes milliseconds) and sweep files around it.
 */
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sweep_test {

namespace fs = std::filesystem;

/*! @brief The tiny scenario and a policy variant of the same scale. */
inline constexpr const char* kTiny =
    "name: tiny\ntime: {quarters: 8}\nfirms: {count: 200}\n"
    "sectors: [{name: a, policy: {priority: 0.5}}, {name: b}]\nregions: [{name: r1}, {name: r2}]\n";
inline constexpr const char* kTinyPolicy = "extends: tiny\nname: tiny_policy\nsectors: [{name: a, policy: {output_subsidy: 0.2}}]\n";

/*! @brief A sweep over the tiny scenario: 2 x 2 grid, 2 seeds, one arm, two outputs. */
inline constexpr const char* kSmallSweep =
    "name: small\nbase: tiny\n"
    "parameters:\n  local.weight_herding: {range: [0.2, 1.0]}\n  firms.count: {values: [150, 250]}\n"
    "design: {method: grid, levels: 2}\nseeds: 2\n"
    "arms:\n  subsidy: tiny_policy\n"
    "outputs:\n  share_a: {metric: world_share, sector: a, years: [2016, 2016]}\n"
    "  cost: {metric: fiscal_cost, stat: sum}\n"
    "keep_series: [world_share, national/fiscal_cost]\n";

/*! @brief A folder per test, holding tiny.yaml and tiny_policy.yaml; removed afterwards. */
class SweepDir : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ipsim_sweep_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        write("tiny.yaml", kTiny);
        write("tiny_policy.yaml", kTinyPolicy);
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }
    [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }
    [[nodiscard]] static std::string bytes(const std::string& file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }

    fs::path dir_;
};

}  // namespace sweep_test
