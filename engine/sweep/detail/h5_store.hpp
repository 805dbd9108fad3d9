/*!
 * @file h5_store.hpp
 * @brief Private HDF5 helpers of the sweep file: the few dataset and attribute shapes it uses.
 *
 * Built on io/detail/hdf5_handle.hpp (owning handles, the process-wide HDF5 lock, errors that
 * name the file), so there is one HDF5 wrapper in ipsim; this adds only what a sweep file
 * needs beyond a single run: 1-D numeric datasets written at once, string lists, scalar
 * attributes, listing a group in creation order, and copying objects between files. Groups
 * track creation order and no object records a timestamp, so the same content gives the same
 * bytes. Callers hold io::detail::Hdf5Guard.
 */
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "io/detail/hdf5_handle.hpp"

namespace ipsim::sweep::detail {

using io::detail::H5Handle;

/*! @brief Creates a file (truncating) whose root tracks link creation order. */
[[nodiscard]] H5Handle create_file(const std::string& file, const std::string& shown);
/*! @brief Opens a file read-only (throws std::runtime_error if missing or not HDF5). */
[[nodiscard]] H5Handle open_file(const std::string& file);
/*! @brief Creates a group tracking creation order, without timestamps. */
[[nodiscard]] H5Handle create_group(hid_t loc, const std::string& name, const std::string& shown);
/*! @brief Opens an existing group. */
[[nodiscard]] H5Handle open_group(hid_t loc, const std::string& name, const std::string& shown);
/*! @brief True if `name` (a path relative to loc) exists. */
[[nodiscard]] bool exists(hid_t loc, const std::string& name);

void write_doubles(hid_t loc, const std::string& name, const std::vector<double>& values, const std::string& shown);
void write_u64s(hid_t loc, const std::string& name, const std::vector<std::uint64_t>& values, const std::string& shown);
void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values, const std::string& shown);
void write_text(hid_t loc, const std::string& name, const std::string& value, const std::string& shown);
void write_attr(hid_t obj, const char* name, const std::string& value, const std::string& shown);
void write_attr(hid_t obj, const char* name, double value, const std::string& shown);
void write_attr_u64(hid_t obj, const char* name, std::uint64_t value, const std::string& shown);

[[nodiscard]] std::vector<double> read_doubles(hid_t loc, const std::string& name, const std::string& shown);
[[nodiscard]] std::vector<std::string> read_strings(hid_t loc, const std::string& name, const std::string& shown);
/*! @brief A string attribute, or "" if absent. */
[[nodiscard]] std::string read_attr_text(hid_t obj, const char* name, const std::string& shown);
/*! @brief A numeric attribute, or NaN if absent. */
[[nodiscard]] double read_attr_number(hid_t obj, const char* name, const std::string& shown);
/*! @brief Names of a group's links in creation order. */
[[nodiscard]] std::vector<std::string> list_group(hid_t loc, const std::string& name, const std::string& shown);
/*! @brief Copies object `name` of `src` to `dst_name` under `dst`. */
void copy_object(hid_t src, const std::string& name, hid_t dst, const std::string& dst_name, const std::string& shown);

}  // namespace ipsim::sweep::detail
