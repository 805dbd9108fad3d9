/*!
 * @file test_faults.cpp
 * @brief Faults around the output file: paths that are not ipsim's to replace, signals and
 *        kill -9 mid-run, a full disk, a vanished folder, concurrent writers, failed runs.
 *
 * Runs the built `ipsim` program (IPSIM_BINARY) in a temporary directory. No assertion depends
 * on timing: a test that needs a run in progress waits until the run's temporary file exists.
 * The full-disk tests mount a small tmpfs and are skipped where mounting is not allowed.
 */
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

const char* kTiny = "name: tiny\ntime: {quarters: 8}\nfirms: {count: 200}\nsectors: [{name: a}, {name: b}]\nregions: [{name: r1}]\n";

class Faults : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ipsim_faults_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        std::ofstream(dir_ / "tiny.yaml") << kTiny;
    }
    void TearDown() override {
        if (mounted_) {
            ::umount2(mount_.c_str(), MNT_DETACH);
        }
        fs::remove_all(dir_);
    }

    /*! Runs `ipsim ARGS` in the test directory; returns the exit status (128 + signal if killed). */
    int ipsim(const std::string& args, const std::string& sub = ".") {
        const std::string command = "cd '" + (dir_ / sub).string() + "' && exec '" + IPSIM_BINARY + "' " + args +
                                    " >'" + (dir_ / "out.txt").string() + "' 2>'" + (dir_ / "err.txt").string() + "'";
        const int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    /*! Starts `ipsim run ARGS` in the test directory as a child process. */
    pid_t start(const std::vector<std::string>& args) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            if (::chdir(dir_.c_str()) != 0) {
                ::_exit(99);
            }
            std::freopen("out.txt", "w", stdout);
            std::freopen("err.txt", "w", stderr);
            std::vector<char*> argv{const_cast<char*>(IPSIM_BINARY), const_cast<char*>("run")};
            for (const auto& a : args) {
                argv.push_back(const_cast<char*>(a.c_str()));
            }
            argv.push_back(nullptr);
            ::execv(IPSIM_BINARY, argv.data());
            ::_exit(98);
        }
        return pid;
    }
    static int wait_for(pid_t pid) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    /*! Temporary result files (".NAME.tmp-...") in `folder`. */
    static std::vector<fs::path> temps(const fs::path& folder) {
        std::vector<fs::path> found;
        for (const auto& e : fs::directory_iterator(folder)) {
            if (e.path().filename().string().find(".tmp-") != std::string::npos) {
                found.push_back(e.path());
            }
        }
        return found;
    }
    /*! Waits (without a deadline) until the run `pid` has a temporary file or has ended. */
    bool wait_until_writing(pid_t pid, const fs::path& folder) {
        for (;;) {
            if (!temps(folder).empty()) {
                return true;
            }
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                finished_status_ = status;
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    std::string read(const fs::path& name) const {
        std::ifstream in(name.is_absolute() ? name : dir_ / name, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    bool mount_tmpfs(const std::string& size) {
        mount_ = dir_ / "small";
        fs::create_directories(mount_);
        mounted_ = ::mount("tmpfs", mount_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
        return mounted_;
    }

    fs::path dir_;
    fs::path mount_;
    bool mounted_ = false;
    int finished_status_ = 0;
};

/*! A long run: the full-scale baseline on one thread (several seconds). */
const std::vector<std::string> kLong = {"mic2025_full", "-o", "out.h5", "--quiet", "--threads", "1"};

}  // namespace

TEST_F(Faults, DevicesFifosAndSymlinksAreRefusedAndLeftAlone) {
    EXPECT_EQ(ipsim("run tiny.yaml -q -o /dev/null"), 2);
    struct stat st {};
    ASSERT_EQ(::stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null is no longer a device";
    ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
    EXPECT_EQ(ipsim("run tiny.yaml -q -o fifo"), 2);
    EXPECT_NE(read("err.txt").find("not a regular file"), std::string::npos) << read("err.txt");
    ASSERT_EQ(::lstat((dir_ / "fifo").c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    ASSERT_EQ(ipsim("run tiny.yaml -q -o real.h5"), 0);
    fs::create_symlink("real.h5", dir_ / "link.h5");
    EXPECT_EQ(ipsim("run tiny.yaml -q -o link.h5"), 2);
    EXPECT_NE(read("err.txt").find("symbolic link"), std::string::npos) << read("err.txt");
    EXPECT_TRUE(fs::is_symlink(dir_ / "link.h5"));
    EXPECT_TRUE(temps(dir_).empty());
}

TEST_F(Faults, InputsAndForeignFilesAreNeverOverwritten) {
    std::ofstream(dir_ / "child.yaml") << "extends: tiny.yaml\nname: child\n";
    std::ofstream(dir_ / "notes.txt") << "my notes\n";
    EXPECT_EQ(ipsim("run tiny.yaml -q -o tiny.yaml"), 2);
    EXPECT_NE(read("err.txt").find("is the scenario file being run"), std::string::npos) << read("err.txt");
    EXPECT_EQ(ipsim("run child.yaml -q -o tiny.yaml"), 2);
    EXPECT_NE(read("err.txt").find("'extends' base"), std::string::npos) << read("err.txt");
    EXPECT_EQ(ipsim("run tiny.yaml -q -o notes.txt"), 2);
    EXPECT_NE(read("err.txt").find("not an ipsim result"), std::string::npos) << read("err.txt");
    EXPECT_EQ(read("tiny.yaml"), kTiny);
    EXPECT_EQ(read("notes.txt"), "my notes\n");
}

TEST_F(Faults, ReplacedResultKeepsItsPermissions) {
    ASSERT_EQ(ipsim("run tiny.yaml -q -o out.h5"), 0);
    fs::permissions(dir_ / "out.h5", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    ASSERT_EQ(ipsim("run tiny.yaml -q -o out.h5 --seed 2"), 0);
    EXPECT_EQ(fs::status(dir_ / "out.h5").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

TEST_F(Faults, ScenarioNameCannotLeaveTheWorkingFolder) {
    fs::create_directories(dir_ / "work");
    std::ofstream(dir_ / "work" / "evil.yaml") << "name: ../../evil\ntime: {quarters: 2}\nfirms: {count: 50}\n"
                                                  "sectors: [{name: a}]\nregions: [{name: r}]\n";
    std::ofstream(dir_ / "work" / "empty.yaml") << "name: ''\ntime: {quarters: 2}\nfirms: {count: 50}\n"
                                                   "sectors: [{name: a}]\nregions: [{name: r}]\n";
    ASSERT_EQ(ipsim("run work/evil.yaml -q"), 0);
    ASSERT_EQ(ipsim("run empty.yaml -q", "work"), 0);
    EXPECT_TRUE(fs::exists(dir_ / "_.._evil.h5"));
    EXPECT_FALSE(fs::exists(dir_.parent_path() / "evil.h5"));
    EXPECT_TRUE(fs::exists(dir_ / "work" / "unnamed.h5"));
    EXPECT_FALSE(fs::exists(dir_ / "work" / ".h5"));
}

TEST_F(Faults, SignalsStopTheRunWithOneHundredTwentyEightPlusSignalAndNoFiles) {
    ASSERT_EQ(ipsim("run tiny.yaml -q -o out.h5"), 0);
    const std::string before = read("out.h5");
    for (const auto& [signal, code] : {std::pair{SIGTERM, 143}, std::pair{SIGHUP, 129}, std::pair{SIGINT, 130}}) {
        const pid_t pid = start(kLong);
        if (!wait_until_writing(pid, dir_)) {
            GTEST_SKIP() << "the run ended before it could be signalled";
        }
        ::kill(pid, signal);
        EXPECT_EQ(wait_for(pid), code) << "signal " << signal << ": " << read("err.txt");
        EXPECT_TRUE(temps(dir_).empty()) << "temporary file left after signal " << signal;
        EXPECT_EQ(read("out.h5"), before) << "existing result changed by an interrupted run";
    }
}

TEST_F(Faults, KillNineLeavesTheOldResultAndTheNextRunCleansUp) {
    ASSERT_EQ(ipsim("run tiny.yaml -q -o out.h5"), 0);
    const std::string before = read("out.h5");
    const pid_t pid = start(kLong);
    if (!wait_until_writing(pid, dir_)) {
        GTEST_SKIP() << "the run ended before it could be killed";
    }
    ::kill(pid, SIGKILL);
    EXPECT_EQ(wait_for(pid), 128 + SIGKILL);
    EXPECT_EQ(read("out.h5"), before);
    EXPECT_EQ(temps(dir_).size(), 1U);
    ASSERT_EQ(ipsim("run tiny.yaml -q -o out.h5"), 0);
    EXPECT_TRUE(temps(dir_).empty()) << "the dead run's temporary file was not cleaned up";
}

TEST_F(Faults, ConcurrentWritersToOnePathLeaveOneCompleteFile) {
    constexpr int kWriters = 4;
    std::vector<pid_t> runs;
    runs.reserve(kWriters);
    for (int i = 0; i < kWriters; ++i) {
        runs.push_back(start({"tiny.yaml", "-o", "out.h5", "--quiet", "--seed", std::to_string(i + 1), "--threads", "1"}));
    }
    for (const pid_t pid : runs) {
        EXPECT_EQ(wait_for(pid), 0);
    }
    EXPECT_EQ(ipsim("info out.h5"), 0) << read("err.txt");
    EXPECT_NE(read("out.txt").find("(8 quarters)"), std::string::npos) << read("out.txt");
    EXPECT_EQ(read("out.txt").find("incomplete"), std::string::npos) << read("out.txt");
    EXPECT_TRUE(temps(dir_).empty());
}

TEST_F(Faults, FailedRunKeepsTheExistingResult) {
    ASSERT_EQ(ipsim("run tiny.yaml -q -o out.h5"), 0);
    const std::string before = read("out.h5");
    EXPECT_EQ(ipsim("run tiny.yaml -q -o out.h5 --set finance.initial_cash=1e300"), 1);
    EXPECT_NE(read("err.txt").find("accounting residual"), std::string::npos) << read("err.txt");
    EXPECT_TRUE(std::regex_search(read("err.txt"), std::regex("20[0-9][0-9]Q[1-4] \\(quarter [0-9]+\\)"))) << read("err.txt");  // names the quarter
    EXPECT_EQ(read("out.h5"), before);
    EXPECT_TRUE(temps(dir_).empty());
    EXPECT_EQ(ipsim("run tiny.yaml -q -o out.h5 --set firms.count=-5"), 2);
    EXPECT_EQ(read("out.h5"), before);
}

TEST_F(Faults, VanishedOutputFolderFailsCleanly) {
    fs::create_directories(dir_ / "gone");
    const pid_t pid = start({"mic2025", "-o", "gone/out.h5", "--quiet", "--threads", "1"});
    if (!wait_until_writing(pid, dir_ / "gone")) {
        GTEST_SKIP() << "the run ended before its folder could be removed";
    }
    fs::remove_all(dir_ / "gone");
    const int code = wait_for(pid);
    EXPECT_EQ(code, 1) << read("err.txt");
    EXPECT_NE(read("err.txt").find("ipsim: error while running: "), std::string::npos) << read("err.txt");
    EXPECT_FALSE(fs::exists(dir_ / "gone"));
}

TEST_F(Faults, UnwritableFolderIsBadInput) {
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root can write anywhere";
    }
    fs::create_directories(dir_ / "ro");
    fs::permissions(dir_ / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_EQ(ipsim("run tiny.yaml -q -o ro/out.h5"), 2);
    EXPECT_NE(read("err.txt").find("cannot write in directory"), std::string::npos) << read("err.txt");
    fs::permissions(dir_ / "ro", fs::perms::owner_all);
}

TEST_F(Faults, FullDiskMidRunFailsWithOneMessageAndNoFile) {
    if (!mount_tmpfs("256k")) {
        GTEST_SKIP() << "cannot mount a tmpfs here";
    }
    const int code = ipsim("run mic2025 -q --threads 1 -o small/out.h5");
    const std::string err = read("err.txt");
    EXPECT_EQ(code, 1) << err;
    EXPECT_NE(err.find("No space left on device"), std::string::npos) << err;
    EXPECT_EQ(err.find("infinite loop"), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_TRUE(fs::is_empty(mount_)) << "file left on the full disk";
}

TEST_F(Faults, AlreadyFullDiskFailsWithOneMessageAndNoFile) {
    if (!mount_tmpfs("64k")) {
        GTEST_SKIP() << "cannot mount a tmpfs here";
    }
    {
        std::ofstream fill(mount_ / "fill", std::ios::binary);
        const std::string block(4096, 'x');
        while (fill.write(block.data(), static_cast<std::streamsize>(block.size()))) {
        }
    }
    const int code = ipsim("run tiny.yaml -q -o small/out.h5");
    const std::string err = read("err.txt");
    EXPECT_EQ(code, 1) << err;
    EXPECT_EQ(err.find("infinite loop"), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_FALSE(fs::exists(mount_ / "out.h5"));
    EXPECT_TRUE(temps(mount_).empty()) << "temporary file left on the full disk";
}

TEST_F(Faults, OversizedAndEndlessInputsAreRefused) {
    EXPECT_EQ(ipsim("validate /dev/zero"), 2);
    EXPECT_NE(read("err.txt").find("larger than 4 MiB"), std::string::npos) << read("err.txt");
    EXPECT_EQ(ipsim("validate /dev/urandom"), 2);
    EXPECT_EQ(ipsim("run /dev/zero -o out.h5"), 2);
    EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
}
