/*!
 * @file cli_folder.hpp
 * @brief A test fixture that runs the built `ipsim` program (IPSIM_BINARY) in a fresh temporary
 *        folder per test, keeping stdout and stderr in out.txt and err.txt there.
 */
#pragma once

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

namespace ipsim::test {

/*! @brief Base fixture: a temporary folder named after the test, removed afterwards. */
class CliFolder : public ::testing::Test {
protected:
    explicit CliFolder(std::string prefix) : prefix_(std::move(prefix)) {}

    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / (prefix_ + std::to_string(::getpid()) + "_" +
                                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    /*! Runs `ipsim ARGS` in the folder; returns the exit code, keeps stdout and stderr. */
    int ipsim(const std::string& args) {
        const std::string command = "cd '" + dir_.string() + "' && '" + IPSIM_BINARY + "' " + args + " >out.txt 2>err.txt";
        const int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    [[nodiscard]] std::string read(const std::string& name) const {
        std::ifstream in(dir_ / name);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }

    std::filesystem::path dir_;

private:
    std::string prefix_;
};

}  // namespace ipsim::test
