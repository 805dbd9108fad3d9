/*!
 * @file yaml_reads.cpp
 * @brief Typed reads of located YAML nodes for the sweep-file reader.
 *
 * Numbers are parsed with std::from_chars so that "1e3" and "0.25" read and "1,5" does not;
 * the YAML spellings of infinity and NaN are named as not finite, as the scenario loader does.
 */
#include "sweep/detail/yaml_reads.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ipsim::sweep::detail {

using io::InputError;
using io::Node;

void fail(const Node& at, const std::string& message) { throw InputError(at.where.describe() + ": " + message); }

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    const auto best = io::closest_match(word, candidates);
    return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

void reject_unknown(const Node& map, const std::vector<std::string>& known, const std::string& context) {
    for (const auto& [key, value] : map.entries) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw InputError(value.key_where.describe() + ": unknown key '" + key + "' " + context + did_you_mean(key, known));
        }
    }
}

double number_of(const Node& n, const std::string& field) {
    if (!n.is_scalar()) {
        fail(n, field + " must be a number");
    }
    const std::string& s = n.scalar;
    static const std::vector<std::string> kNonFinite = {".inf", "+.inf", "-.inf", ".Inf", "-.Inf", ".INF", "-.INF", ".nan", ".NaN", ".NAN"};
    if (std::find(kNonFinite.begin(), kNonFinite.end(), s) != kNonFinite.end()) {
        fail(n, field + " must be finite (got " + s + ")");
    }
    double x = 0.0;
    const char* begin = s.data() + (s.starts_with('+') ? 1 : 0);
    const auto result = std::from_chars(begin, s.data() + s.size(), x);
    if (s.empty() || result.ec != std::errc() || result.ptr != s.data() + s.size()) {
        fail(n, field + " must be a number (got '" + s + "')");
    }
    if (!std::isfinite(x)) {
        fail(n, field + " must be finite (got " + s + ")");
    }
    return x;
}

std::int64_t whole_of(const Node& n, const std::string& field, std::int64_t lo) {
    const double x = number_of(n, field);
    if (x != std::floor(x) || std::abs(x) > 9.0e15) {
        fail(n, field + " must be a whole number (got " + n.scalar + ")");
    }
    if (x < static_cast<double>(lo)) {
        fail(n, field + " must be >= " + std::to_string(lo) + " (got " + n.scalar + ")");
    }
    return static_cast<std::int64_t>(x);
}

bool flag_of(const Node& n, const std::string& field) {
    if (n.is_scalar() && (n.scalar == "true" || n.scalar == "false")) {
        return n.scalar == "true";
    }
    fail(n, field + " must be true or false (got '" + n.scalar + "')");
}

const std::string& text_of(const Node& n, const std::string& field) {
    if (!n.is_scalar() || n.scalar.empty()) {
        fail(n, field + " must be a name");
    }
    return n.scalar;
}

const Node& required(const Node& map, const char* key, const std::string& field, const std::string& hint) {
    const Node* n = map.find(key);
    if (n == nullptr || n->is_null()) {
        fail(n != nullptr ? *n : map, field + (field.empty() ? "" : ".") + key + " is missing; " + hint);
    }
    return *n;
}

void check_name(const Node& at, const std::string& name, const std::string& field) {
    const bool ok = !name.empty() && name != "." && name != ".." &&
                    std::all_of(name.begin(), name.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
                    });
    if (!ok) {
        fail(at, field + ": '" + name + "' is not a usable name (letters, digits, '_', '-' and '.')");
    }
}

}  // namespace ipsim::sweep::detail
