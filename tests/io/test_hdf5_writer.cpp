/*!
 * @file test_hdf5_writer.cpp
 * @brief Tests of the HDF5 result writer and reader: values, layout, storage, atomicity, errors.
 *
 * Each test writes into its own scratch directory with made-up sectors and regions and a value
 * formula that differs for every (step, scope, metric, column), so any misplaced element shows
 * up as an exact mismatch. Storage properties are checked with the HDF5 C API directly; an
 * optional test reads the file with Python's h5py when it is installed.
 */
#include <hdf5.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/hdf5_writer.hpp"
#include "io/result_reader.hpp"
#include "model/metrics.hpp"

namespace fs = std::filesystem;
using ipsim::io::Hdf5Writer;
using ipsim::model::MetricInfo;
using ipsim::model::Scope;
using ipsim::model::StepRecord;

namespace {

[[nodiscard]] ipsim::model::RunInfo make_info(std::size_t steps) {
    ipsim::model::RunInfo info;
    info.ipsim_version = "9.8.7-test";
    info.scenario_name = "unit_test";
    info.scenario_yaml = "name: unit_test\nseed: 42\nnote: \"r\xc3\xa9gion \xe2\x82\xac\"\n";
    info.seed = 18446744073709551557ULL;
    info.n_steps = steps;
    info.sectors = {"steel", "semiconductors", "autos"};
    info.regions = {"north", "south"};
    return info;
}

[[nodiscard]] double value(std::size_t t, Scope scope, std::size_t metric, std::size_t column) {
    return 1000.0 * static_cast<double>(t) + 100.0 * static_cast<double>(scope) + static_cast<double>(metric) +
           0.001 * static_cast<double>(column) + 1e-9;
}

[[nodiscard]] StepRecord make_record(std::size_t t, std::size_t ns, std::size_t nr) {
    StepRecord r;
    r.resize(ns, nr);
    r.year = 2015.0 + 0.25 * static_cast<double>(t);
    for (std::size_t i = 0; i < r.sector.size(); ++i) {
        r.sector[i] = value(t, Scope::sector, i / ns, i % ns);
    }
    for (std::size_t i = 0; i < r.region.size(); ++i) {
        r.region[i] = value(t, Scope::region, i / nr, i % nr);
    }
    for (std::size_t i = 0; i < r.national.size(); ++i) {
        r.national[i] = value(t, Scope::national, i, 0);
    }
    for (std::size_t i = 0; i < r.region_sector.size(); ++i) {
        r.region_sector[i] = value(t, Scope::region_sector, i / (nr * ns), i % (nr * ns));
    }
    return r;
}

[[nodiscard]] std::size_t columns(Scope scope, std::size_t ns, std::size_t nr) {
    switch (scope) {
        case Scope::sector: return ns;
        case Scope::region: return nr;
        case Scope::national: return 1;
        case Scope::region_sector: return nr * ns;
    }
    return 0;
}

[[nodiscard]] std::string dataset_path(const MetricInfo& m) {
    return std::string("/") + ipsim::model::scope_group(m.scope) + "/" + m.name;
}

void write_run(Hdf5Writer& writer, const ipsim::model::RunInfo& info, std::size_t steps) {
    writer.begin(info);
    for (std::size_t t = 0; t < steps; ++t) {
        writer.write_step(make_record(t, info.sectors.size(), info.regions.size()));
    }
}

/*! Every series of the file holds exactly the values write_run wrote for `steps` steps. */
void expect_every_value(const std::string& file, const ipsim::model::RunInfo& info, std::size_t steps) {
    const std::size_t ns = info.sectors.size();
    const std::size_t nr = info.regions.size();
    std::size_t index[4] = {0, 0, 0, 0};
    for (const MetricInfo& m : ipsim::model::metric_catalog()) {
        const std::size_t metric = index[static_cast<int>(m.scope)]++;
        const std::size_t cols = columns(m.scope, ns, nr);
        const auto values = ipsim::io::read_series(file, dataset_path(m));
        ASSERT_EQ(values.size(), steps * cols) << dataset_path(m);
        for (std::size_t i = 0; i < values.size(); ++i) {
            ASSERT_EQ(values[i], value(i / cols, m.scope, metric, i % cols)) << dataset_path(m) << " at " << i;
        }
    }
}

[[nodiscard]] std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

class Hdf5WriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() / ("ipsim_h5_" + std::to_string(::getpid()) + "_" + test->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(dir_, ec);
    }
    [[nodiscard]] std::string out() const { return (dir_ / "out.h5").string(); }
    [[nodiscard]] std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}));
    }
    fs::path dir_;
};

TEST_F(Hdf5WriterTest, RoundTripsEveryValueExactly) {
    constexpr std::size_t kSteps = 70;  // crosses several time chunks
    const auto info = make_info(kSteps);
    {
        Hdf5Writer writer(out());
        write_run(writer, info, kSteps);
        writer.finish();
    }
    const auto summary = ipsim::io::read_result_summary(out());
    EXPECT_EQ(summary.ipsim_version, info.ipsim_version);
    EXPECT_EQ(summary.scenario, info.scenario_name);
    EXPECT_EQ(summary.seed, info.seed);
    EXPECT_TRUE(summary.complete);
    EXPECT_EQ(summary.sectors, info.sectors);
    EXPECT_EQ(summary.regions, info.regions);
    ASSERT_EQ(summary.time.size(), kSteps);
    for (std::size_t t = 0; t < kSteps; ++t) {
        EXPECT_EQ(summary.time[t], 2015.0 + 0.25 * static_cast<double>(t));
    }
    EXPECT_EQ(ipsim::io::read_scenario_yaml(out()), info.scenario_yaml);

    expect_every_value(out(), info, kSteps);
}

TEST_F(Hdf5WriterTest, RowsOfAPartialChunkAreWrittenAtFinish) {
    constexpr std::size_t kSteps = 5;  // fewer than one time chunk of the 84 declared
    const auto info = make_info(84);
    {
        Hdf5Writer writer(out());
        write_run(writer, info, kSteps);
        writer.finish();
    }
    const auto summary = ipsim::io::read_result_summary(out());
    ASSERT_EQ(summary.time.size(), kSteps);
    expect_every_value(out(), info, kSteps);
}

TEST_F(Hdf5WriterTest, LayoutListsEveryCatalogEntryWithUnitsAndShape) {
    const auto info = make_info(4);
    {
        Hdf5Writer writer(out());
        write_run(writer, info, 4);
        writer.finish();
    }
    const auto summary = ipsim::io::read_result_summary(out());
    const auto catalog = ipsim::model::metric_catalog();
    ASSERT_EQ(summary.series.size(), catalog.size());
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        const MetricInfo& m = catalog[i];
        const auto& s = summary.series[i];
        EXPECT_EQ(s.path, dataset_path(m));
        EXPECT_EQ(s.units, m.units) << s.path;
        EXPECT_EQ(s.description, m.doc) << s.path;
        std::vector<std::size_t> shape{4};
        if (m.scope == Scope::region || m.scope == Scope::region_sector) {
            shape.push_back(2);
        }
        if (m.scope == Scope::sector || m.scope == Scope::region_sector) {
            shape.push_back(3);
        }
        EXPECT_EQ(s.shape, shape) << s.path;
    }
    const std::string text = ipsim::io::format_summary(summary);
    EXPECT_NE(text.find("unit_test"), std::string::npos);
    EXPECT_NE(text.find("18446744073709551557"), std::string::npos);
    EXPECT_NE(text.find("2015.00 .. 2015.75"), std::string::npos);
    EXPECT_NE(text.find("/sector/output"), std::string::npos);
    EXPECT_NE(text.find("4 x 2 x 3"), std::string::npos);
    EXPECT_NE(text.find("bn CNY (initial prices) per quarter"), std::string::npos);
}

TEST_F(Hdf5WriterTest, DatasetsAreChunkedCompressedAndExtendible) {
    {
        Hdf5Writer writer(out());
        write_run(writer, make_info(0), 3);
        writer.finish();
    }
    const hid_t file = H5Fopen(out().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    std::vector<std::string> names{"/time"};
    for (const MetricInfo& m : ipsim::model::metric_catalog()) {
        names.push_back(dataset_path(m));
    }
    for (const auto& name : names) {
        const hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
        ASSERT_GE(ds, 0) << name;
        const hid_t dcpl = H5Dget_create_plist(ds);
        EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED) << name;
        bool deflate = false;
        bool shuffle = false;
        for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
            unsigned flags = 0;
            std::size_t n = 0;
            const H5Z_filter_t id = H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr,
                                                   nullptr);
            deflate = deflate || id == H5Z_FILTER_DEFLATE;
            shuffle = shuffle || id == H5Z_FILTER_SHUFFLE;
        }
        EXPECT_TRUE(deflate) << name;
        EXPECT_TRUE(shuffle) << name;
        const hid_t space = H5Dget_space(ds);
        hsize_t dims[3] = {};
        hsize_t maxdims[3] = {};
        H5Sget_simple_extent_dims(space, dims, maxdims);
        EXPECT_EQ(dims[0], 3U) << name;
        EXPECT_EQ(maxdims[0], H5S_UNLIMITED) << name;
        H5Sclose(space);
        H5Pclose(dcpl);
        H5Dclose(ds);
    }
    H5Fclose(file);
}

TEST_F(Hdf5WriterTest, RootAttributesHaveDocumentedTypes) {
    {
        Hdf5Writer writer(out());
        write_run(writer, make_info(2), 2);
        writer.finish();
    }
    const hid_t file = H5Fopen(out().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t seed = H5Aopen(file, "seed", H5P_DEFAULT);
    const hid_t seed_type = H5Aget_type(seed);
    EXPECT_EQ(H5Tget_class(seed_type), H5T_INTEGER);
    EXPECT_EQ(H5Tget_sign(seed_type), H5T_SGN_NONE);
    EXPECT_EQ(H5Tget_size(seed_type), 8U);
    for (const char* name : {"ipsim_version", "scenario"}) {
        const hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
        const hid_t type = H5Aget_type(attr);
        EXPECT_EQ(H5Tget_class(type), H5T_STRING) << name;
        H5Tclose(type);
        H5Aclose(attr);
    }
    const hid_t yaml = H5Dopen2(file, "/scenario_yaml", H5P_DEFAULT);
    const hid_t yaml_space = H5Dget_space(yaml);
    EXPECT_EQ(H5Sget_simple_extent_type(yaml_space), H5S_SCALAR);
    H5Sclose(yaml_space);
    H5Dclose(yaml);
    H5Tclose(seed_type);
    H5Aclose(seed);
    H5Fclose(file);
}

TEST_F(Hdf5WriterTest, NothingAppearsAtFinalPathBeforeFinish) {
    Hdf5Writer writer(out());
    write_run(writer, make_info(5), 5);
    EXPECT_FALSE(fs::exists(out()));
    EXPECT_TRUE(fs::exists(writer.temp_path()));
    EXPECT_EQ(writer.temp_path().parent_path(), dir_);
    EXPECT_EQ(writer.temp_path().filename().string().rfind(".out.h5.tmp-", 0), 0U);
    writer.finish();
    EXPECT_TRUE(fs::exists(out()));
    EXPECT_FALSE(fs::exists(writer.temp_path()));
    EXPECT_EQ(entries(), 1U);
}

TEST_F(Hdf5WriterTest, DestroyedWithoutFinishLeavesNothing) {
    {
        Hdf5Writer writer(out());
        write_run(writer, make_info(5), 3);
    }
    EXPECT_EQ(entries(), 0U);
    try {
        Hdf5Writer writer(out());
        write_run(writer, make_info(5), 2);
        throw std::runtime_error("simulated failure");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(entries(), 0U);
}

TEST_F(Hdf5WriterTest, UnfinishedRunKeepsExistingFileAndFinishedRunReplacesIt) {
    {
        std::ofstream(out()) << "previous result";
    }
    {
        Hdf5Writer writer(out());
        write_run(writer, make_info(5), 5);
    }
    EXPECT_EQ(slurp(out()), "previous result");
    EXPECT_EQ(entries(), 1U);
    {
        Hdf5Writer writer(out());
        write_run(writer, make_info(5), 5);
        writer.finish();
    }
    EXPECT_EQ(ipsim::io::read_result_summary(out()).time.size(), 5U);
    EXPECT_EQ(entries(), 1U);
}

TEST_F(Hdf5WriterTest, MissingDirectoryIsAnErrorNamingThePath) {
    const std::string bad = (dir_ / "no_such_dir" / "out.h5").string();
    try {
        Hdf5Writer writer(bad);
        FAIL() << "expected an exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
}

TEST_F(Hdf5WriterTest, FailedWriteIsAnErrorNamingThePathAndLeavesNothing) {
    rlimit old_limit{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    rlimit small = old_limit;
    small.rlim_cur = rlim_t{32} * 1024;  // a "disk" that fills up after 32 KiB
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    std::optional<Hdf5Writer> writer;
    std::string message;
    try {
        writer.emplace(out());
        write_run(*writer, make_info(0), 2000);
        writer->finish();
    } catch (const std::runtime_error& e) {
        message = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    writer.reset();  // abandon the partial file once writing is possible again
    EXPECT_NE(message.find(out()), std::string::npos) << "message: " << message;
    EXPECT_NE(message.find("File too large"), std::string::npos) << "message: " << message;
    EXPECT_EQ(entries(), 0U);
}

TEST_F(Hdf5WriterTest, ReadOnlyDirectoryIsAnError) {
    const fs::path ro = dir_ / "ro";
    fs::create_directory(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    if (std::ofstream(ro / "probe")) {
        GTEST_SKIP() << "running with permission to write anywhere (root)";
    }
    EXPECT_THROW(Hdf5Writer((ro / "out.h5").string()), std::runtime_error);
}

TEST_F(Hdf5WriterTest, MismatchedRecordIsRejected) {
    Hdf5Writer writer(out());
    writer.begin(make_info(2));
    EXPECT_THROW(writer.write_step(make_record(0, 4, 2)), std::invalid_argument);
    EXPECT_THROW(writer.begin(make_info(2)), std::logic_error);
}

TEST_F(Hdf5WriterTest, MisuseOutsideBeginFinishIsALogicError) {
    Hdf5Writer writer(out());
    EXPECT_THROW(writer.write_step(make_record(0, 3, 2)), std::logic_error);
    EXPECT_THROW(writer.finish(), std::logic_error);
}

TEST_F(Hdf5WriterTest, WorksWithoutRegions) {
    auto info = make_info(3);
    info.regions.clear();
    {
        Hdf5Writer writer(out());
        write_run(writer, info, 3);
        writer.finish();
    }
    const auto summary = ipsim::io::read_result_summary(out());
    EXPECT_TRUE(summary.regions.empty());
    EXPECT_EQ(ipsim::io::read_series(out(), "/region/debt").size(), 0U);
    EXPECT_EQ(ipsim::io::read_series(out(), "/sector/output").size(), 9U);
}

TEST_F(Hdf5WriterTest, ReaderRejectsMissingAndForeignFiles) {
    const std::string missing = (dir_ / "missing.h5").string();
    const std::string text = (dir_ / "text.h5").string();
    std::ofstream(text) << "not hdf5";
    for (const auto& path : {missing, text}) {
        try {
            static_cast<void>(ipsim::io::read_result_summary(path));
            FAIL() << "expected an exception for " << path;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        }
    }
    {
        Hdf5Writer writer(out());
        write_run(writer, make_info(1), 1);
        writer.finish();
    }
    EXPECT_THROW(static_cast<void>(ipsim::io::read_series(out(), "/sector/no_such_metric")), std::runtime_error);
    EXPECT_THROW(static_cast<void>(ipsim::io::read_series(missing, "/time")), std::runtime_error);
    EXPECT_THROW(static_cast<void>(ipsim::io::read_scenario_yaml(text)), std::runtime_error);
}

TEST(OutputDocs, ListEveryCatalogEntryWithItsUnitsAndMeaning) {
#ifdef IPSIM_SOURCE_DIR
    const std::string doc = slurp(fs::path(IPSIM_SOURCE_DIR) / "docs" / "output.md");
    ASSERT_FALSE(doc.empty()) << "docs/output.md not found";
    for (const MetricInfo& m : ipsim::model::metric_catalog()) {
        const std::string row = std::string("| `") + m.name + "` | " + m.units + " | " + m.doc + " |";
        EXPECT_NE(doc.find(row), std::string::npos) << "docs/output.md lacks the row: " << row;
    }
#else
    GTEST_SKIP() << "IPSIM_SOURCE_DIR not defined";
#endif
}

[[nodiscard]] std::string python_with_h5py() {
    for (const char* python : {"python3", "/usr/bin/python3"}) {
        const std::string probe = std::string(python) + " -c 'import h5py' >/dev/null 2>&1";
        if (std::system(probe.c_str()) == 0) {
            return python;
        }
    }
    return {};
}

TEST_F(Hdf5WriterTest, ReadableByH5py) {
    const std::string python = python_with_h5py();
    if (python.empty()) {
        GTEST_SKIP() << "python3 with h5py not available";
    }
    {
        Hdf5Writer writer(out());
        write_run(writer, make_info(6), 6);
        writer.finish();
    }
    const fs::path script = dir_ / "check.py";
    std::ofstream(script) << "import sys, h5py\n"
                             "f = h5py.File(sys.argv[1], 'r')\n"
                             "assert f.attrs['seed'] == 18446744073709551557\n"
                             "assert f.attrs['scenario'] == 'unit_test'\n"
                             "assert f['sector/output'].shape == (6, 3)\n"
                             "assert f['region_sector/focus'].shape == (6, 2, 3)\n"
                             "assert f['sector/output'].attrs['units'] == 'bn CNY (initial prices) per quarter'\n"
                             "assert list(f['sectors'].asstr()[:]) == ['steel', 'semiconductors', 'autos']\n"
                             "assert f['scenario_yaml'].asstr()[()].startswith('name: unit_test')\n"
                             "assert f['time'][1] == 2015.25\n"
                             "assert list(f['sector']) [:2] == ['capacity', 'output']\n";
    const std::string command = python + " " + script.string() + " " + out();
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

}  // namespace
