/*!
 * @file h5_store.cpp
 * @brief The sweep file's HDF5 dataset and attribute helpers.
 *
 * Strings are variable-length UTF-8, as in single-run files; numbers are little-endian
 * float64 or uint64. Small datasets are contiguous (no chunking, no filters), so their bytes
 * depend only on their values.
 */
#include "sweep/detail/h5_store.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>

namespace ipsim::sweep::detail {

using io::detail::check;
using io::detail::make_handle;

namespace {

H5Handle string_type(const std::string& shown) {
    H5Handle type = make_handle(H5Tcopy(H5T_C_S1), H5Tclose, "cannot create string type for", shown);
    check(H5Tset_size(type.get(), H5T_VARIABLE), "cannot size string type for", shown);
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot set UTF-8 for", shown);
    return type;
}

H5Handle plain_dcpl(const std::string& shown) {
    H5Handle dcpl = make_handle(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot create property list for", shown);
    check(H5Pset_obj_track_times(dcpl.get(), false), "cannot disable time tracking in", shown);
    return dcpl;
}

H5Handle make_dataset(hid_t loc, const std::string& name, hid_t type, hsize_t n, bool scalar, const std::string& shown) {
    H5Handle space = scalar ? make_handle(H5Screate(H5S_SCALAR), H5Sclose, "cannot create dataspace for", shown)
                            : make_handle(H5Screate_simple(1, &n, nullptr), H5Sclose, "cannot create dataspace for", shown);
    H5Handle dcpl = plain_dcpl(shown);
    return make_handle(H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose,
                       "cannot create dataset '" + name + "' in", shown);
}

H5Handle attr_for(hid_t obj, const char* name, hid_t type, const std::string& shown) {
    if (check(H5Aexists(obj, name), "cannot query attribute in", shown) > 0) {
        check(H5Adelete(obj, name), "cannot replace attribute in", shown);
    }
    H5Handle space = make_handle(H5Screate(H5S_SCALAR), H5Sclose, "cannot create dataspace for", shown);
    return make_handle(H5Acreate2(obj, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                       std::string("cannot create attribute '") + name + "' in", shown);
}

H5Handle open_dataset(hid_t loc, const std::string& name, const std::string& shown) {
    if (!exists(loc, name)) {
        throw std::runtime_error("sweep file '" + shown + "' has no dataset '" + name + "'");
    }
    return make_handle(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + name + "' in", shown);
}

}  // namespace

H5Handle create_file(const std::string& file, const std::string& shown) {
    H5Handle fcpl = make_handle(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "cannot create property list for", shown);
    check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "cannot set link order in", shown);
    return make_handle(H5Fcreate(file.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose, "cannot create sweep file", shown);
}

H5Handle open_file(const std::string& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw std::runtime_error("'" + file + "' does not exist or is not a regular file");
    }
    if (H5Fis_hdf5(file.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw std::runtime_error("'" + file + "' is not an HDF5 file");
    }
    return make_handle(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open", file);
}

H5Handle create_group(hid_t loc, const std::string& name, const std::string& shown) {
    H5Handle gcpl = make_handle(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "cannot create property list for", shown);
    check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "cannot set link order in", shown);
    check(H5Pset_obj_track_times(gcpl.get(), false), "cannot disable time tracking in", shown);
    return make_handle(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
                       "cannot create group '" + name + "' in", shown);
}

H5Handle open_group(hid_t loc, const std::string& name, const std::string& shown) {
    if (!exists(loc, name)) {
        throw std::runtime_error("sweep file '" + shown + "' has no group '" + name + "'");
    }
    return make_handle(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group '" + name + "' in", shown);
}

bool exists(hid_t loc, const std::string& name) {
    std::string prefix;
    for (std::size_t pos = 0; pos != std::string::npos;) {
        const std::size_t next = name.find('/', pos + 1);
        prefix = name.substr(0, next);
        if (!prefix.empty() && prefix != "/") {
            const htri_t found = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
            if (found <= 0) {
                H5Eclear2(H5E_DEFAULT);
                return false;
            }
        }
        pos = next;
    }
    return true;
}

void write_doubles(hid_t loc, const std::string& name, const std::vector<double>& values, const std::string& shown) {
    H5Handle ds = make_dataset(loc, name, H5T_IEEE_F64LE, values.size(), false, shown);
    if (!values.empty()) {
        check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "cannot write to", shown);
    }
}

void write_u64s(hid_t loc, const std::string& name, const std::vector<std::uint64_t>& values, const std::string& shown) {
    H5Handle ds = make_dataset(loc, name, H5T_STD_U64LE, values.size(), false, shown);
    if (!values.empty()) {
        check(H5Dwrite(ds.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "cannot write to", shown);
    }
}

void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values, const std::string& shown) {
    H5Handle type = string_type(shown);
    H5Handle ds = make_dataset(loc, name, type.get(), values.size(), false, shown);
    std::vector<const char*> text(values.size());
    std::transform(values.begin(), values.end(), text.begin(), [](const std::string& s) { return s.c_str(); });
    if (!text.empty()) {
        check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), "cannot write to", shown);
    }
}

void write_text(hid_t loc, const std::string& name, const std::string& value, const std::string& shown) {
    H5Handle type = string_type(shown);
    H5Handle ds = make_dataset(loc, name, type.get(), 1, true, shown);
    const char* text = value.c_str();
    check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, static_cast<const void*>(&text)), "cannot write to", shown);
}

void write_attr(hid_t obj, const char* name, const std::string& value, const std::string& shown) {
    H5Handle type = string_type(shown);
    H5Handle attr = attr_for(obj, name, type.get(), shown);
    const char* text = value.c_str();
    check(H5Awrite(attr.get(), type.get(), static_cast<const void*>(&text)), "cannot write attribute to", shown);
}

void write_attr(hid_t obj, const char* name, double value, const std::string& shown) {
    H5Handle attr = attr_for(obj, name, H5T_IEEE_F64LE, shown);
    check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value), "cannot write attribute to", shown);
}

void write_attr_u64(hid_t obj, const char* name, std::uint64_t value, const std::string& shown) {
    H5Handle attr = attr_for(obj, name, H5T_STD_U64LE, shown);
    check(H5Awrite(attr.get(), H5T_NATIVE_UINT64, &value), "cannot write attribute to", shown);
}

std::vector<double> read_doubles(hid_t loc, const std::string& name, const std::string& shown) {
    H5Handle ds = open_dataset(loc, name, shown);
    H5Handle space = make_handle(H5Dget_space(ds.get()), H5Sclose, "cannot get dataspace in", shown);
    const auto n = static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.get()), "cannot size dataset in", shown));
    std::vector<double> values(n);
    if (n > 0) {
        check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "cannot read '" + name + "' from", shown);
    }
    return values;
}

std::vector<std::string> read_strings(hid_t loc, const std::string& name, const std::string& shown) {
    H5Handle ds = open_dataset(loc, name, shown);
    H5Handle space = make_handle(H5Dget_space(ds.get()), H5Sclose, "cannot get dataspace in", shown);
    const auto n = static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.get()), "cannot size dataset in", shown));
    H5Handle type = string_type(shown);
    std::vector<char*> buf(n, nullptr);
    if (n > 0) {
        check(H5Dread(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "cannot read '" + name + "' from", shown);
    }
    std::vector<std::string> out;
    for (char* s : buf) {
        out.emplace_back(s != nullptr ? s : "");
        H5free_memory(s);
    }
    return out;
}

std::string read_attr_text(hid_t obj, const char* name, const std::string& shown) {
    if (check(H5Aexists(obj, name), "cannot query attribute in", shown) <= 0) {
        return {};
    }
    H5Handle attr = make_handle(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "cannot open attribute in", shown);
    H5Handle type = string_type(shown);
    char* text = nullptr;
    check(H5Aread(attr.get(), type.get(), static_cast<void*>(&text)), "cannot read attribute in", shown);
    std::string out = text != nullptr ? text : "";
    H5free_memory(text);
    return out;
}

double read_attr_number(hid_t obj, const char* name, const std::string& shown) {
    if (check(H5Aexists(obj, name), "cannot query attribute in", shown) <= 0) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    H5Handle attr = make_handle(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "cannot open attribute in", shown);
    double value = 0.0;
    check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value), "cannot read attribute in", shown);
    return value;
}

std::vector<std::string> list_group(hid_t loc, const std::string& name, const std::string& shown) {
    H5Handle group = open_group(loc, name, shown);
    H5G_info_t info{};
    check(H5Gget_info(group.get(), &info), "cannot inspect group in", shown);
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t len = check(H5Lget_name_by_idx(group.get(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT),
                                  "cannot list group in", shown);
        std::string link(static_cast<std::size_t>(len) + 1, '\0');
        check(H5Lget_name_by_idx(group.get(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, link.data(), link.size(), H5P_DEFAULT),
              "cannot list group in", shown);
        link.resize(static_cast<std::size_t>(len));
        names.push_back(link);
    }
    return names;
}

void copy_object(hid_t src, const std::string& name, hid_t dst, const std::string& dst_name, const std::string& shown) {
    check(H5Ocopy(src, name.c_str(), dst, dst_name.c_str(), H5P_DEFAULT, H5P_DEFAULT), "cannot copy '" + name + "' into", shown);
}

}  // namespace ipsim::sweep::detail
