/*!
 * @file yaml_reads.hpp
 * @brief Private helpers of the sweep-file reader: typed reads of located YAML nodes that throw
 *        io::InputError in the scenario loader's wording ("file:line:col: FIELD must be ...").
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/input_error.hpp"
#include "io/yaml_tree.hpp"

namespace ipsim::sweep::detail {

/*! @brief Throws InputError("<where of at>: message"). */
[[noreturn]] void fail(const io::Node& at, const std::string& message);

/*! @brief Rejects map keys not in `known`, with a did-you-mean; `context` is e.g. "in design". */
void reject_unknown(const io::Node& map, const std::vector<std::string>& known, const std::string& context);

/*! @brief A finite number. */
[[nodiscard]] double number_of(const io::Node& n, const std::string& field);

/*! @brief A whole number >= lo. */
[[nodiscard]] std::int64_t whole_of(const io::Node& n, const std::string& field, std::int64_t lo);

/*! @brief true/false. */
[[nodiscard]] bool flag_of(const io::Node& n, const std::string& field);

/*! @brief A non-empty plain scalar. */
[[nodiscard]] const std::string& text_of(const io::Node& n, const std::string& field);

/*! @brief The entry `key` of a map, or fails with "<field>.<key> is missing; <hint>". */
[[nodiscard]] const io::Node& required(const io::Node& map, const char* key, const std::string& field, const std::string& hint);

/*! @brief A name usable as an HDF5 group: letters, digits, '_', '-' and '.'. */
void check_name(const io::Node& at, const std::string& name, const std::string& field);

/*! @brief " (did you mean 'x'?)" or "". */
[[nodiscard]] std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ipsim::sweep::detail
