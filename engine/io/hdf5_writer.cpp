/*!
 * @file hdf5_writer.cpp
 * @brief Streaming HDF5 writer: one extendible, chunked, compressed dataset per catalog metric.
 *
 * begin() creates every dataset with zero rows. write_step() copies each row into its series'
 * buffer; a full buffer (one chunk's rows) is written with one extension and one hyperslab write,
 * so the per-row HDF5 calls (extent, dataspaces, selection) happen once a chunk, and each chunk is
 * compressed and written once. A chunk spans up to kMaxTimeChunk quarters and all columns, capped
 * near kTargetChunkBytes. finish() writes the rows still buffered, updates the `n_steps` and
 * `complete` attributes, flushes, closes every identifier (checking each close), fsyncs the
 * temporary file and renames it into place.
 *
 * A writer also deletes temporary files left next to its path by writers that were killed
 * (SIGKILL cannot be caught), once their process is gone.
 *
 * Abandoning a file (destruction without finish()) must not fail: HDF5 before 1.14.1 leaves a
 * dangling identifier when H5Fclose fails, which crashes the library's exit handler. So
 * discard() first shrinks every dataset to zero rows (dropping cached chunks unwritten), then
 * truncates the temporary file to zero bytes (returning the space a full disk needs for the
 * final metadata writes), and only then closes and deletes it.
 */
#include "io/hdf5_writer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <numeric>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "io/detail/hdf5_handle.hpp"

namespace ipsim::io {

using detail::check;
using detail::H5Handle;
using detail::Hdf5Guard;
using detail::make_handle;

namespace {

constexpr hsize_t kMaxTimeChunk = 32;
constexpr hsize_t kTargetChunkBytes = hsize_t{1} << 20;
constexpr hsize_t kMinCacheBytes = hsize_t{64} << 10;
constexpr std::size_t kCacheSlots = 521;
constexpr unsigned kDeflateLevel = 1;  // level 4 made files 1% smaller for about a fifth more of the writer's time
constexpr std::uint64_t kLayoutVersion = 1;

/*! One time-indexed dataset, the shape of one of its rows and the rows not yet written. */
struct Series {
    H5Handle dataset;
    std::vector<hsize_t> row;     // dimensions after time
    hsize_t row_size = 1;         // product of row
    hsize_t chunk_rows = 1;       // rows along time in one chunk: the buffer is written when it holds that many
    hsize_t rows_written = 0;     // rows in the dataset
    std::vector<double> pending;  // rows after rows_written, one after the other
    model::Scope scope = model::Scope::national;
    std::size_t index = 0;  // position within its scope
};

[[nodiscard]] std::filesystem::path make_temp_path(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path final_path(path);
    std::string name(1, '.');
    name.append(final_path.filename().string())
        .append(".tmp-")
        .append(std::to_string(::getpid()))
        .append("-")
        .append(std::to_string(counter.fetch_add(1)));
    return final_path.parent_path() / name;
}

[[nodiscard]] H5Handle string_type(const std::string& path) {
    H5Handle type = make_handle(H5Tcopy(H5T_C_S1), H5Tclose, "cannot create string type for", path);
    check(H5Tset_size(type.get(), H5T_VARIABLE), "cannot size string type for", path);
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot set UTF-8 for", path);
    return type;
}

[[nodiscard]] H5Handle open_or_create_attr(hid_t obj, const char* name, hid_t type, const std::string& path) {
    if (check(H5Aexists(obj, name), "cannot query attribute of", path) > 0) {
        return make_handle(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "cannot open attribute of", path);
    }
    H5Handle space = make_handle(H5Screate(H5S_SCALAR), H5Sclose, "cannot create dataspace for", path);
    return make_handle(H5Acreate2(obj, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                       std::string("cannot create attribute '") + name + "' in", path);
}

void write_string_attr(hid_t obj, const char* name, const std::string& value, const std::string& path) {
    H5Handle type = string_type(path);
    H5Handle attr = open_or_create_attr(obj, name, type.get(), path);
    const char* text = value.c_str();
    check(H5Awrite(attr.get(), type.get(), static_cast<const void*>(&text)), "cannot write attribute to", path);
}

void write_u64_attr(hid_t obj, const char* name, std::uint64_t value, const std::string& path) {
    H5Handle attr = open_or_create_attr(obj, name, H5T_STD_U64LE, path);
    check(H5Awrite(attr.get(), H5T_NATIVE_UINT64, &value), "cannot write attribute to", path);
}

void write_string_scalar(hid_t loc, const char* name, const std::string& value, const std::string& path) {
    H5Handle type = string_type(path);
    H5Handle space = make_handle(H5Screate(H5S_SCALAR), H5Sclose, "cannot create dataspace for", path);
    H5Handle ds = make_handle(H5Dcreate2(loc, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                              H5Dclose, std::string("cannot create dataset '") + name + "' in", path);
    const char* text = value.c_str();
    check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, static_cast<const void*>(&text)),
          "cannot write dataset to", path);
}

void write_string_list(hid_t loc, const char* name, const std::vector<std::string>& values,
                       const std::string& description, const std::string& path) {
    H5Handle type = string_type(path);
    const hsize_t n = values.size();
    H5Handle space = make_handle(H5Screate_simple(1, &n, nullptr), H5Sclose, "cannot create dataspace for", path);
    H5Handle ds = make_handle(H5Dcreate2(loc, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                              H5Dclose, std::string("cannot create dataset '") + name + "' in", path);
    std::vector<const char*> text(values.size());
    std::transform(values.begin(), values.end(), text.begin(), [](const std::string& s) { return s.c_str(); });
    if (!text.empty()) {
        check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), "cannot write dataset to",
              path);
    }
    write_string_attr(ds.get(), "description", description, path);
}

[[nodiscard]] H5Handle create_group(hid_t file, const char* name, const std::string& path) {
    H5Handle gcpl = make_handle(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "cannot create property list for", path);
    check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "cannot set link order in", path);
    check(H5Pset_obj_track_times(gcpl.get(), false), "cannot disable time tracking in", path);
    return make_handle(H5Gcreate2(file, name, H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
                       std::string("cannot create group '") + name + "' in", path);
}

/*! Creation properties: chunked along time, shuffle + deflate, no timestamps. */
[[nodiscard]] H5Handle series_dcpl(const std::vector<hsize_t>& chunk, const std::string& path) {
    H5Handle dcpl = make_handle(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot create property list for", path);
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "cannot set chunking in", path);
    check(H5Pset_shuffle(dcpl.get()), "cannot set shuffle filter in", path);
    check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "cannot set deflate filter in", path);
    check(H5Pset_obj_track_times(dcpl.get(), false), "cannot disable time tracking in", path);
    return dcpl;
}

/*! Access properties: a chunk cache holding a few whole chunks, so single-row appends stay in memory. */
[[nodiscard]] H5Handle series_dapl(hsize_t chunk_bytes, const std::string& path) {
    H5Handle dapl = make_handle(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose, "cannot create property list for", path);
    const hsize_t bytes = std::max(4 * chunk_bytes, kMinCacheBytes);
    check(H5Pset_chunk_cache(dapl.get(), kCacheSlots, static_cast<std::size_t>(bytes), 1.0),
          "cannot set chunk cache in", path);
    return dapl;
}

[[nodiscard]] hsize_t time_chunk(hsize_t row_size, std::size_t n_steps) {
    const hsize_t row_bytes = std::max<hsize_t>(row_size, 1) * sizeof(double);
    hsize_t steps = std::clamp<hsize_t>(kTargetChunkBytes / row_bytes, 1, kMaxTimeChunk);
    if (n_steps > 0) {
        steps = std::min<hsize_t>(steps, n_steps);
    }
    return steps;
}

struct SeriesSpec {
    const char* name;
    std::vector<hsize_t> row;
    const char* units;
    const char* description;
    const char* dimensions;
};

[[nodiscard]] Series create_series(hid_t loc, const SeriesSpec& spec, std::size_t n_steps, const std::string& path) {
    Series series;
    series.row = spec.row;
    series.row_size = std::accumulate(spec.row.begin(), spec.row.end(), hsize_t{1}, std::multiplies<>());
    std::vector<hsize_t> dims{0};
    std::vector<hsize_t> maxdims{H5S_UNLIMITED};
    series.chunk_rows = time_chunk(series.row_size, n_steps);
    series.pending.reserve(series.chunk_rows * series.row_size);
    std::vector<hsize_t> chunk{series.chunk_rows};
    for (const hsize_t d : spec.row) {
        dims.push_back(d);
        maxdims.push_back(std::max<hsize_t>(d, 1));
        chunk.push_back(std::max<hsize_t>(d, 1));
    }
    const hsize_t chunk_bytes =
        std::accumulate(chunk.begin(), chunk.end(), hsize_t{sizeof(double)}, std::multiplies<>());
    H5Handle space = make_handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxdims.data()),
                                 H5Sclose, "cannot create dataspace for", path);
    H5Handle dcpl = series_dcpl(chunk, path);
    H5Handle dapl = series_dapl(chunk_bytes, path);
    series.dataset = make_handle(
        H5Dcreate2(loc, spec.name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()), H5Dclose,
        std::string("cannot create dataset '") + spec.name + "' in", path);
    write_string_attr(series.dataset.get(), "units", spec.units, path);
    write_string_attr(series.dataset.get(), "description", spec.description, path);
    write_string_attr(series.dataset.get(), "dimensions", spec.dimensions, path);
    return series;
}

/*! Extends the dataset by `rows` rows and writes the buffered rows into them. */
void write_rows(Series& series, hsize_t rows, const std::string& path) {
    if (rows == 0) {
        return;
    }
    std::vector<hsize_t> dims{series.rows_written + rows};
    dims.insert(dims.end(), series.row.begin(), series.row.end());
    const hid_t ds = series.dataset.get();
    check(H5Dset_extent(ds, dims.data()), "cannot extend dataset in", path);
    if (series.row_size > 0) {
        std::vector<hsize_t> start(dims.size(), 0);
        start[0] = series.rows_written;
        std::vector<hsize_t> count = dims;
        count[0] = rows;
        H5Handle file_space = make_handle(H5Dget_space(ds), H5Sclose, "cannot get dataspace in", path);
        check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
              "cannot select rows in", path);
        const hsize_t values = rows * series.row_size;
        H5Handle mem_space = make_handle(H5Screate_simple(1, &values, nullptr), H5Sclose, "cannot create dataspace for", path);
        check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(), H5P_DEFAULT, series.pending.data()),
              "cannot write steps to", path);
    }
    series.rows_written += rows;
    series.pending.clear();
}

/*! Buffers one row (row_size values from data); writes the buffer once it holds a chunk's rows. */
void append_row(Series& series, hsize_t t, const double* data, const std::string& path) {
    series.pending.insert(series.pending.end(), data, data + series.row_size);
    const hsize_t rows = t + 1 - series.rows_written;
    if (rows == series.chunk_rows) {
        write_rows(series, rows, path);
    }
}

/*! Writes the rows still buffered (the last, partial chunk). */
void write_pending(Series& series, hsize_t steps, const std::string& path) {
    write_rows(series, steps - series.rows_written, path);
}

[[nodiscard]] const char* scope_dimensions(model::Scope scope) noexcept {
    switch (scope) {
        case model::Scope::sector: return "time,sector";
        case model::Scope::region: return "time,region";
        case model::Scope::national: return "time";
        case model::Scope::region_sector: return "time,region,sector";
    }
    return "time";
}

/*! Each scope once, in the order it first appears in the catalog. */
[[nodiscard]] std::vector<model::Scope> scopes_in_catalog_order() {
    std::vector<model::Scope> scopes;
    for (const model::MetricInfo& m : model::metric_catalog()) {
        if (std::find(scopes.begin(), scopes.end(), m.scope) == scopes.end()) {
            scopes.push_back(m.scope);
        }
    }
    return scopes;
}

/*! Shrinks a dataset to zero rows, dropping its cached chunks unwritten (errors ignored). */
void drop_rows(const Series& series) noexcept {
    if (!series.dataset.valid()) {
        return;
    }
    std::vector<hsize_t> dims{0};
    dims.insert(dims.end(), series.row.begin(), series.row.end());
    static_cast<void>(H5Dset_extent(series.dataset.get(), dims.data()));
}

/*! True if `only` is empty or names "<group>/<metric>". */
[[nodiscard]] bool wanted(const std::vector<std::string>& only, model::Scope scope, const char* name) {
    const std::string key = std::string(model::scope_group(scope)) + "/" + name;
    return only.empty() || std::find(only.begin(), only.end(), key) != only.end();
}

/*! One group per scope and one empty series per catalog entry (or per entry of `only`), in catalog order. */
[[nodiscard]] std::vector<Series> create_metric_groups(hid_t file, std::size_t n_sectors, std::size_t n_regions,
                                                       std::size_t n_steps, const std::vector<std::string>& only,
                                                       const std::string& path) {
    std::vector<Series> metrics;
    for (const model::Scope scope : scopes_in_catalog_order()) {
        const auto& catalog = model::metric_catalog();
        if (std::none_of(catalog.begin(), catalog.end(), [&](const model::MetricInfo& m) { return m.scope == scope && wanted(only, scope, m.name); })) {
            continue;
        }
        H5Handle group = create_group(file, model::scope_group(scope), path);
        std::vector<hsize_t> row;
        if (scope == model::Scope::region || scope == model::Scope::region_sector) {
            row.push_back(n_regions);
        }
        if (scope == model::Scope::sector || scope == model::Scope::region_sector) {
            row.push_back(n_sectors);
        }
        std::size_t index = 0;
        for (const model::MetricInfo& m : model::metric_catalog()) {
            if (m.scope != scope) {
                continue;
            }
            if (!wanted(only, scope, m.name)) {
                ++index;
                continue;
            }
            Series s = create_series(group.get(), {m.name, row, m.units, m.doc, scope_dimensions(scope)}, n_steps, path);
            s.scope = scope;
            s.index = index++;
            metrics.push_back(std::move(s));
        }
    }
    return metrics;
}

void fsync_file(const std::filesystem::path& file, const std::string& path) {
    const int fd = ::open(file.c_str(), O_RDONLY);
    const bool ok = fd >= 0 && ::fsync(fd) == 0;
    const int err = errno;
    if (fd >= 0) {
        ::close(fd);
    }
    if (!ok) {
        throw std::runtime_error("cannot sync result file '" + path + "': " + std::generic_category().message(err));
    }
}

/*! Deletes temporary files of earlier writers to the same path whose process no longer exists
 *  (killed with SIGKILL or by a power cut); files of running processes are left alone. */
void remove_stale_temps(const std::filesystem::path& final_path) noexcept {
    std::error_code ec;
    const std::filesystem::path folder = final_path.parent_path().empty() ? "." : final_path.parent_path();
    std::string prefix(1, '.');
    prefix.append(final_path.filename().string()).append(".tmp-");
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with(prefix) || !entry.is_regular_file(ec)) {
            continue;
        }
        const std::string rest = name.substr(prefix.size());
        long pid = 0;
        const auto [end, err] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
        if (err != std::errc() || end == rest.data() || *end != '-' || pid <= 0) {
            continue;
        }
        if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            std::filesystem::remove(entry.path(), ec);
        }
    }
}

/*! A file being replaced keeps its permission bits (a shared, group-writable result stays so). */
void keep_mode_of_existing(const std::filesystem::path& temp, const std::string& path) {
    struct stat existing {};
    if (::lstat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
        if (::chmod(temp.c_str(), existing.st_mode & 07777) != 0) {
            throw std::runtime_error("cannot copy the permissions of '" + path + "': " + std::generic_category().message(errno));
        }
    }
}

}  // namespace

struct Hdf5Writer::Impl {
    H5Handle file;
    Series time;
    std::vector<Series> metrics;  // catalog order
    std::size_t n_sectors = 0;
    std::size_t n_regions = 0;
};

Hdf5Writer::Hdf5Writer(std::string path)
    : path_(std::move(path)), temp_path_(make_temp_path(path_)), impl_(std::make_unique<Impl>()) {
    remove_stale_temps(path_);
    const Hdf5Guard guard;
    try {
        H5Handle fcpl = make_handle(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "cannot create property list for", path_);
        check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
              "cannot set link order in", path_);
        impl_->file = make_handle(H5Fcreate(temp_path_.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose,
                                  "cannot create result file", path_);
    } catch (...) {
        discard();
        throw;
    }
}

Hdf5Writer::~Hdf5Writer() {
    if (!finished_) {
        discard();
    }
}

void Hdf5Writer::begin(const model::RunInfo& info) {
    const Hdf5Guard guard;
    if (begun_ || finished_) {
        throw std::logic_error("Hdf5Writer::begin called twice for '" + path_ + "'");
    }
    Impl& im = *impl_;
    const hid_t file = im.file.get();
    im.n_sectors = info.sectors.size();
    im.n_regions = info.regions.size();
    write_string_attr(file, "ipsim_version", info.ipsim_version, path_);
    write_u64_attr(file, "seed", info.seed, path_);
    write_string_attr(file, "scenario", info.scenario_name, path_);
    write_u64_attr(file, "layout_version", kLayoutVersion, path_);
    write_u64_attr(file, "n_steps", 0, path_);
    write_u64_attr(file, "complete", 0, path_);
    write_string_scalar(file, "scenario_yaml", info.scenario_yaml, path_);
    im.time = create_series(file, {"time", {}, "year", "quarter of each row as a decimal year (2015.25 = 2015 Q2)", "time"},
                            info.n_steps, path_);
    write_string_list(file, "sectors", info.sectors, "sector names, the columns of /sector and /region_sector", path_);
    write_string_list(file, "regions", info.regions, "region names, the columns of /region and rows of /region_sector",
                      path_);
    im.metrics = create_metric_groups(file, im.n_sectors, im.n_regions, info.n_steps, only_, path_);
    begun_ = true;
}

void Hdf5Writer::write_step(const model::StepRecord& record) {
    if (!begun_ || finished_) {
        throw std::logic_error("Hdf5Writer::write_step outside begin()/finish() for '" + path_ + "'");
    }
    Impl& im = *impl_;
    const std::size_t ns = im.n_sectors;
    const std::size_t nr = im.n_regions;
    const bool shape_ok = record.n_sectors == ns && record.n_regions == nr &&
                          record.sector.size() == model::metric_count(model::Scope::sector) * ns &&
                          record.region.size() == model::metric_count(model::Scope::region) * nr &&
                          record.national.size() == model::metric_count(model::Scope::national) &&
                          record.region_sector.size() == model::metric_count(model::Scope::region_sector) * nr * ns;
    if (!shape_ok) {
        throw std::invalid_argument("step record does not match the run's sectors/regions for '" + path_ + "'");
    }
    const Hdf5Guard guard;
    const hsize_t t = steps_;
    append_row(im.time, t, &record.year, path_);
    for (Series& s : im.metrics) {
        const double* data = nullptr;
        switch (s.scope) {
            case model::Scope::sector: data = record.sector.data() + s.index * ns; break;
            case model::Scope::region: data = record.region.data() + s.index * nr; break;
            case model::Scope::national: data = record.national.data() + s.index; break;
            case model::Scope::region_sector: data = record.region_sector.data() + s.index * nr * ns; break;
        }
        append_row(s, t, data, path_);
    }
    ++steps_;
}

void Hdf5Writer::finish() {
    if (!begun_ || finished_) {
        throw std::logic_error("Hdf5Writer::finish without begin() or called twice for '" + path_ + "'");
    }
    {
        const Hdf5Guard guard;
        write_pending(impl_->time, steps_, path_);
        for (Series& s : impl_->metrics) {
            write_pending(s, steps_, path_);
        }
        const hid_t file = impl_->file.get();
        write_u64_attr(file, "n_steps", steps_, path_);
        write_u64_attr(file, "complete", 1, path_);
        check(H5Fflush(file, H5F_SCOPE_LOCAL), "cannot flush result file", path_);
        close_all();
    }
    keep_mode_of_existing(temp_path_, path_);
    fsync_file(temp_path_, path_);
    std::error_code ec;
    std::filesystem::rename(temp_path_, path_, ec);
    if (ec) {
        throw std::runtime_error("cannot move finished result file onto '" + path_ + "': " + ec.message());
    }
    finished_ = true;
}

void Hdf5Writer::close_all() {
    Impl& im = *impl_;
    herr_t status = im.time.dataset.close();
    for (Series& s : im.metrics) {
        status = std::min(status, s.dataset.close());
    }
    status = std::min(status, im.file.close());
    check(status, "cannot close result file", path_);
}

void Hdf5Writer::discard() noexcept {
    try {
        const Hdf5Guard guard;
        if (impl_) {
            drop_rows(impl_->time);
            for (const Series& s : impl_->metrics) {
                drop_rows(s);
            }
            std::error_code ec;
            std::filesystem::resize_file(temp_path_, 0, ec);
        }
        impl_.reset();
    } catch (...) {  // NOLINT(bugprone-empty-catch): cleanup must not throw
    }
    std::error_code ec;
    std::filesystem::remove(temp_path_, ec);
}

}  // namespace ipsim::io
