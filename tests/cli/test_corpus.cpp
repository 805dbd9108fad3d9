/*!
 * @file test_corpus.cpp
 * @brief Every malformed input in tests/corpus/ is refused the same way: exit 2, one line on
 *        stderr naming file, line and field (or the option), nothing on stdout, and no file
 *        written or left behind.
 *
 * Each corpus file is a scenario whose leading comment lines state the test:
 * `# expect: TEXT` (required, a part of the message), `# set: PATH=VALUE` (a --set override),
 * `# option: TEXT` (raw command-line options) and `# command: sweep` (a sweep file, run with
 * `ipsim sweep`; the default is `ipsim run`). Adding a file adds a test; no list to edit.
 */
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(IPSIM_SOURCE_DIR) / "tests" / "corpus";

struct CorpusCase {
    fs::path file;
    std::string expect;
    std::vector<std::string> sets;
    std::vector<std::string> options;
    std::string command = "run";  //!< the ipsim command the file is given to
};

CorpusCase read_case(const fs::path& file) {
    CorpusCase c{file, {}, {}, {}, "run"};
    std::ifstream in(file, std::ios::binary);
    std::string line;
    while (std::getline(in, line) && line.starts_with("# ")) {
        const auto colon = line.find(": ");
        if (colon == std::string::npos) {
            continue;
        }
        const std::string key = line.substr(2, colon - 2);
        const std::string value = line.substr(colon + 2);
        if (key == "expect") {
            c.expect = value;
        }
        if (key == "set") {
            c.sets.push_back(value);
        }
        if (key == "option") {
            c.options.push_back(value);
        }
        if (key == "command") {
            c.command = value;
        }
    }
    return c;
}

std::vector<fs::path> corpus_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(kCorpus)) {
        if (entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (const char c : s) {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

class Corpus : public ::testing::TestWithParam<fs::path> {};

}  // namespace

TEST_P(Corpus, RefusedWithExitTwoOneLineAndNoFiles) {
    const CorpusCase c = read_case(GetParam());
    ASSERT_FALSE(c.expect.empty()) << c.file << " has no '# expect:' line";
    const fs::path base = fs::temp_directory_path() / ("ipsim_corpus_" + std::to_string(::getpid()) + "_" + c.file.stem().string());
    const fs::path work = base / "work";
    fs::remove_all(base);
    fs::create_directories(work);
    const auto before = fs::last_write_time(c.file);

    std::string command = "cd " + quoted(work.string()) + " && " + quoted(IPSIM_BINARY) + " " + c.command + " " + quoted(c.file.string());
    bool names_output = false;
    for (const auto& o : c.options) {
        names_output = names_output || o.starts_with("-o ");
    }
    if (!names_output) {
        command += " -o out.h5";
    }
    for (const auto& s : c.sets) {
        command += " --set " + quoted(s);
    }
    for (const auto& o : c.options) {
        command += " " + o;
    }
    command += " >" + quoted((base / "stdout").string()) + " 2>" + quoted((base / "stderr").string());
    const int status = std::system(command.c_str());
    const std::string err = slurp(base / "stderr");

    ASSERT_TRUE(WIFEXITED(status)) << command;
    EXPECT_EQ(WEXITSTATUS(status), 2) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << "more than one line:\n"
                                                           << err;
    EXPECT_TRUE(err.starts_with("ipsim: error: ")) << err;
    EXPECT_NE(err.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in:\n"
                                                     << err;
    if (c.sets.empty() && c.options.empty()) {
        const std::string located = "ipsim: error: " + c.file.string() + ":";
        EXPECT_TRUE(err.starts_with(located)) << "no file name in:\n"
                                              << err;
        EXPECT_TRUE(std::regex_search(err, std::regex("^ipsim: error: [^ ]+:[0-9]+:[0-9]+: "))) << "no line:column in:\n"
                                                                                                << err;
    }
    EXPECT_TRUE(slurp(base / "stdout").empty());
    EXPECT_TRUE(fs::is_empty(work)) << "files left in the working folder";
    EXPECT_EQ(fs::last_write_time(c.file), before);
    fs::remove_all(base);
}

INSTANTIATE_TEST_SUITE_P(Files, Corpus, ::testing::ValuesIn(corpus_files()),
                         [](const ::testing::TestParamInfo<fs::path>& file_info) {
                             std::string name = file_info.param.stem().string();
                             std::replace_if(
                                 name.begin(), name.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) == 0; }, '_');
                             return name;
                         });

TEST(CorpusSize, HasAtLeastFiftyCases) { EXPECT_GE(corpus_files().size(), 50U); }
