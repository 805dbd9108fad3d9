/*!
 * @file result_reader.cpp
 * @brief Read-only access to result files: root attributes, axes, dataset list and values.
 *
 * Every entry point opens the file read-only under the shared HDF5 guard, reads what it needs
 * into standard containers and closes it again; nothing is cached. Strings are accepted both as
 * variable-length and as fixed-length HDF5 strings, so files touched by other tools (h5py,
 * h5repack) still read. Series are listed group by group in creation order when the file tracks
 * it (files from Hdf5Writer do), otherwise by name.
 */
#include "io/result_reader.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "io/detail/hdf5_handle.hpp"

namespace ipsim::io {

using detail::check;
using detail::H5Handle;
using detail::Hdf5Guard;
using detail::make_handle;

namespace {

constexpr std::string_view kGroups[] = {"sector", "region", "national", "region_sector"};

[[nodiscard]] H5Handle open_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw std::runtime_error("result file '" + path + "' does not exist or is not a regular file");
    }
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw std::runtime_error("'" + path + "' is not an HDF5 file");
    }
    return make_handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open result file",
                       path);
}

[[nodiscard]] bool exists(hid_t loc, const char* name) {
    const htri_t found = H5Lexists(loc, name, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return found > 0;
}

[[nodiscard]] H5Handle open_dataset(hid_t file, const std::string& name, const std::string& path) {
    if (!exists(file, name.c_str())) {
        throw std::runtime_error("result file '" + path + "' has no dataset '" + name + "'");
    }
    return make_handle(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + name + "' in",
                       path);
}

/*! Reads `n` strings of file type `ftype` through `read(memtype, buffer)`. */
template <typename Read>
[[nodiscard]] std::vector<std::string> read_strings(hid_t ftype, hsize_t n, Read read, const std::string& path) {
    if (H5Tget_class(ftype) != H5T_STRING) {
        throw std::runtime_error("expected a string in result file '" + path + "'");
    }
    H5Handle mtype = make_handle(H5Tcopy(H5T_C_S1), H5Tclose, "cannot create string type for", path);
    check(H5Tset_cset(mtype.get(), H5Tget_cset(ftype)), "cannot set string encoding for", path);
    std::vector<std::string> out;
    out.reserve(n);
    if (check(H5Tis_variable_str(ftype), "cannot inspect string type in", path) > 0) {
        check(H5Tset_size(mtype.get(), H5T_VARIABLE), "cannot size string type for", path);
        std::vector<char*> buf(n, nullptr);
        check(read(mtype.get(), static_cast<void*>(buf.data())), "cannot read strings from", path);
        for (char* s : buf) {
            out.emplace_back(s != nullptr ? s : "");
            H5free_memory(s);
        }
        return out;
    }
    const std::size_t size = H5Tget_size(ftype);
    check(H5Tset_size(mtype.get(), size), "cannot size string type for", path);
    check(H5Tset_strpad(mtype.get(), H5T_STR_NULLPAD), "cannot set string padding for", path);
    std::vector<char> buf(n * size + 1, '\0');
    check(read(mtype.get(), static_cast<void*>(buf.data())), "cannot read strings from", path);
    for (hsize_t i = 0; i < n; ++i) {
        const char* s = buf.data() + i * size;
        out.emplace_back(s, strnlen(s, size));
    }
    return out;
}

[[nodiscard]] hsize_t element_count(hid_t space, const std::string& path) {
    return static_cast<hsize_t>(check(H5Sget_simple_extent_npoints(space), "cannot size dataspace in", path));
}

[[nodiscard]] std::vector<std::string> read_string_dataset(hid_t ds, const std::string& path) {
    H5Handle type = make_handle(H5Dget_type(ds), H5Tclose, "cannot get type in", path);
    H5Handle space = make_handle(H5Dget_space(ds), H5Sclose, "cannot get dataspace in", path);
    auto read = [ds](hid_t mtype, void* buf) { return H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); };
    return read_strings(type.get(), element_count(space.get(), path), read, path);
}

/*! The string attribute `name` of `obj`, or "" if it is absent. */
[[nodiscard]] std::string read_string_attr(hid_t obj, const char* name, const std::string& path) {
    if (check(H5Aexists(obj, name), "cannot query attribute in", path) <= 0) {
        return {};
    }
    H5Handle attr = make_handle(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "cannot open attribute in", path);
    H5Handle type = make_handle(H5Aget_type(attr.get()), H5Tclose, "cannot get type in", path);
    auto read = [&attr](hid_t mtype, void* buf) { return H5Aread(attr.get(), mtype, buf); };
    const std::vector<std::string> values = read_strings(type.get(), 1, read, path);
    return values.empty() ? std::string{} : values.front();
}

/*! The integer attribute `name` of `obj`, or 0 if it is absent. */
[[nodiscard]] std::uint64_t read_u64_attr(hid_t obj, const char* name, const std::string& path) {
    if (check(H5Aexists(obj, name), "cannot query attribute in", path) <= 0) {
        return 0;
    }
    H5Handle attr = make_handle(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "cannot open attribute in", path);
    std::uint64_t value = 0;
    check(H5Aread(attr.get(), H5T_NATIVE_UINT64, &value), "cannot read attribute in", path);
    return value;
}

[[nodiscard]] std::vector<std::size_t> dataset_shape(hid_t ds, const std::string& path) {
    H5Handle space = make_handle(H5Dget_space(ds), H5Sclose, "cannot get dataspace in", path);
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), "cannot get rank in", path);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), "cannot get dimensions in", path);
    return {dims.begin(), dims.end()};
}

[[nodiscard]] std::vector<double> read_doubles(hid_t ds, const std::string& name, const std::string& path) {
    H5Handle type = make_handle(H5Dget_type(ds), H5Tclose, "cannot get type in", path);
    const H5T_class_t cls = H5Tget_class(type.get());
    if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
        throw std::runtime_error("dataset '" + name + "' in result file '" + path + "' is not numeric");
    }
    H5Handle space = make_handle(H5Dget_space(ds), H5Sclose, "cannot get dataspace in", path);
    std::vector<double> values(element_count(space.get(), path));
    if (!values.empty()) {
        check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
              "cannot read dataset '" + name + "' from", path);
    }
    return values;
}

[[nodiscard]] H5_index_t link_index(hid_t group, const std::string& path) {
    H5Handle gcpl = make_handle(H5Gget_create_plist(group), H5Pclose, "cannot get group properties in", path);
    unsigned flags = 0;
    check(H5Pget_link_creation_order(gcpl.get(), &flags), "cannot get link order in", path);
    return (flags & H5P_CRT_ORDER_TRACKED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
}

[[nodiscard]] std::string link_name(hid_t group, H5_index_t index, hsize_t i, const std::string& path) {
    const ssize_t len = check(H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT),
                              "cannot list group in", path);
    std::string name(static_cast<std::size_t>(len) + 1, '\0');
    check(H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT),
          "cannot list group in", path);
    name.resize(static_cast<std::size_t>(len));
    return name;
}

void list_group(hid_t file, const std::string& group_name, std::vector<ResultSummary::Series>& out,
                const std::string& path) {
    H5Handle group = make_handle(H5Gopen2(file, group_name.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group in", path);
    H5G_info_t info{};
    check(H5Gget_info(group.get(), &info), "cannot inspect group in", path);
    const H5_index_t index = link_index(group.get(), path);
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const std::string name = link_name(group.get(), index, i, path);
        H5Handle obj = make_handle(H5Oopen(group.get(), name.c_str(), H5P_DEFAULT), H5Oclose,
                                   "cannot open object '" + name + "' in", path);
        if (H5Iget_type(obj.get()) != H5I_DATASET) {
            continue;
        }
        out.push_back({"/" + group_name + "/" + name, read_string_attr(obj.get(), "units", path),
                       read_string_attr(obj.get(), "description", path), dataset_shape(obj.get(), path)});
    }
}

[[nodiscard]] std::string join_shape(const std::vector<std::size_t>& shape) {
    std::string text;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i == 0 ? "" : " x ") + std::to_string(shape[i]);
    }
    return text.empty() ? "scalar" : text;
}

/*! "label  (n) a, b, c" wrapped at about 100 columns with a hanging indent. */
void write_list(std::ostream& os, const char* label, const std::vector<std::string>& items) {
    constexpr std::size_t kIndent = 11;
    constexpr std::size_t kWidth = 100;
    std::string line = std::string(label) + std::string(kIndent - std::strlen(label), ' ') + "(" +
                       std::to_string(items.size()) + ")";
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string item = " " + items[i] + (i + 1 < items.size() ? "," : "");
        if (line.size() + item.size() > kWidth) {
            os << line << '\n';
            line = std::string(kIndent, ' ');
        }
        line += item;
    }
    os << line << '\n';
}

}  // namespace

ResultSummary read_result_summary(const std::string& path) {
    const Hdf5Guard guard;
    H5Handle file = open_file(path);
    const hid_t f = file.get();
    if (!exists(f, "time")) {
        throw std::runtime_error("'" + path + "' is not an ipsim result file (no /time dataset)");
    }
    ResultSummary summary;
    summary.ipsim_version = read_string_attr(f, "ipsim_version", path);
    summary.scenario = read_string_attr(f, "scenario", path);
    summary.seed = read_u64_attr(f, "seed", path);
    summary.complete = read_u64_attr(f, "complete", path) != 0;
    summary.time = read_doubles(open_dataset(f, "time", path).get(), "/time", path);
    if (exists(f, "sectors")) {
        summary.sectors = read_string_dataset(open_dataset(f, "sectors", path).get(), path);
    }
    if (exists(f, "regions")) {
        summary.regions = read_string_dataset(open_dataset(f, "regions", path).get(), path);
    }
    H5Handle root = make_handle(H5Gopen2(f, "/", H5P_DEFAULT), H5Gclose, "cannot open root group in", path);
    const H5_index_t index = link_index(root.get(), path);
    H5G_info_t info{};
    check(H5Gget_info(root.get(), &info), "cannot inspect root group in", path);
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const std::string name = link_name(root.get(), index, i, path);
        if (std::find(std::begin(kGroups), std::end(kGroups), name) != std::end(kGroups)) {
            list_group(f, name, summary.series, path);
        }
    }
    return summary;
}

std::vector<double> read_series(const std::string& path, const std::string& dataset) {
    const Hdf5Guard guard;
    H5Handle file = open_file(path);
    H5Handle ds = open_dataset(file.get(), dataset, path);
    return read_doubles(ds.get(), dataset, path);
}

std::string read_scenario_yaml(const std::string& path) {
    const Hdf5Guard guard;
    H5Handle file = open_file(path);
    H5Handle ds = open_dataset(file.get(), "scenario_yaml", path);
    const std::vector<std::string> text = read_string_dataset(ds.get(), path);
    if (text.size() != 1) {
        throw std::runtime_error("/scenario_yaml in result file '" + path + "' is not a single string");
    }
    return text.front();
}

std::string format_summary(const ResultSummary& summary) {
    std::ostringstream os;
    os << "scenario   " << summary.scenario << '\n';
    os << "seed       " << summary.seed << '\n';
    os << "version    " << summary.ipsim_version << (summary.complete ? "" : "  (incomplete file)") << '\n';
    os << "time       ";
    if (summary.time.empty()) {
        os << "no steps\n";
    } else {
        os << std::fixed << std::setprecision(2) << summary.time.front() << " .. " << summary.time.back() << "  ("
           << summary.time.size() << (summary.time.size() == 1 ? " quarter)\n" : " quarters)\n");
    }
    write_list(os, "sectors", summary.sectors);
    write_list(os, "regions", summary.regions);
    std::size_t path_width = 5;
    std::size_t shape_width = 5;
    for (const auto& s : summary.series) {
        path_width = std::max(path_width, s.path.size());
        shape_width = std::max(shape_width, join_shape(s.shape).size());
    }
    os << "datasets   (" << summary.series.size() << ")\n";
    for (const auto& s : summary.series) {
        os << "  " << std::left << std::setw(static_cast<int>(path_width)) << s.path << "  "
           << std::setw(static_cast<int>(shape_width)) << join_shape(s.shape) << "  " << s.units << '\n';
    }
    return os.str();
}

bool is_ipsim_result(const std::string& path) noexcept {
    try {
        const Hdf5Guard guard;
        if (H5Fis_hdf5(path.c_str()) <= 0) {
            return false;
        }
        const H5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
        return file.valid() && H5Aexists(file.get(), "ipsim_version") > 0 && H5Aexists(file.get(), "layout_version") > 0;
    } catch (...) {
        return false;
    }
}

}  // namespace ipsim::io
