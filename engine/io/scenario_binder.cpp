#include "io/scenario_binder.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace ipsim::io::detail {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_non_finite_word(const std::string& s) {
    const auto w = lower(s);
    return w == ".nan" || w == "nan" || w == ".inf" || w == "+.inf" || w == "-.inf" || w == "inf" || w == "-inf" ||
           w == "+inf" || w == "infinity" || w == "-infinity";
}

}  // namespace

Binder::Binder(const Node* node, std::string path, Location parent) : node_(node), path_(std::move(path)), parent_(std::move(parent)) {}

const Node* Binder::claim(const char* key) {
    known_.emplace_back(key);
    return node_ != nullptr ? node_->find(key) : nullptr;
}

std::string Binder::field(const char* key) const { return path_.empty() ? std::string(key) : path_ + "." + key; }

void Binder::fail(const Node& at, const std::string& message) { throw InputError(at.where.describe() + ": " + message); }

const Node* Binder::claim_value(const char* key) {
    const Node* v = claim(key);
    if (v != nullptr && v->is_null()) {
        fail(*v, field(key) + " has no value; write one, or remove the key to use the default");
    }
    return v;
}

double Binder::parse_number(const Node& value, const std::string& name, const model::FieldSpec& spec) const {
    if (!value.is_scalar()) {
        fail(value, name + " must be a number");
    }
    const std::string& s = value.scalar;
    if (is_non_finite_word(s)) {
        fail(value, name + " must be finite (got " + s + ")");
    }
    double x = 0.0;
    const char* begin = s.data() + (s.size() > 1 && s[0] == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, s.data() + s.size(), x);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
        fail(value, name + " must be a number (got '" + s + "')");
    }
    if (!std::isfinite(x)) {
        fail(value, name + " must be finite (got " + s + ")");
    }
    if (!spec.range.contains(x)) {
        fail(value, name + " must be " + spec.range.describe() + " (got " + s + ")");
    }
    return x;
}

void Binder::number(const char* key, double& x, const model::FieldSpec& spec) {
    const Node* v = claim_value(key);
    if (v != nullptr) {
        x = parse_number(*v, field(key), spec);
    }
}

void Binder::integer(const char* key, std::int64_t& x, const model::FieldSpec& spec) {
    const Node* v = claim_value(key);
    if (v == nullptr) {
        return;
    }
    const double d = parse_number(*v, field(key), spec);
    if (d != std::floor(d)) {
        fail(*v, field(key) + " must be a whole number (got " + v->scalar + ")");
    }
    x = static_cast<std::int64_t>(d);
}

void Binder::flag(const char* key, bool& x, const char* /*doc*/) {
    const Node* v = claim_value(key);
    if (v == nullptr) {
        return;
    }
    const auto w = v->is_scalar() ? lower(v->scalar) : std::string();
    if (w == "true" || w == "yes" || w == "on") {
        x = true;
    } else if (w == "false" || w == "no" || w == "off") {
        x = false;
    } else {
        fail(*v, field(key) + " must be true or false (got '" + v->scalar + "')");
    }
}

void Binder::text(const char* key, std::string& x, const char* /*doc*/) {
    const Node* v = claim_value(key);
    if (v == nullptr) {
        return;
    }
    if (!v->is_scalar()) {
        fail(*v, field(key) + " must be text");
    }
    x = v->scalar;
}

void Binder::path(const char* key, model::TimePath& x, const model::FieldSpec& spec) {
    const Node* v = claim_value(key);
    if (v == nullptr) {
        return;
    }
    x.points.clear();
    if (v->is_scalar()) {
        x = model::TimePath(parse_number(*v, field(key), spec));
        return;
    }
    if (!v->is_map() || v->entries.empty()) {
        fail(*v, field(key) + " must be a number or a map {year: value, ...}");
    }
    const model::FieldSpec year_spec{"year", model::between(1900, 2200), "", ""};
    for (const auto& [year_text, value] : v->entries) {
        Node year_node;
        year_node.kind = Node::Kind::scalar;
        year_node.scalar = year_text;
        year_node.where = value.key_where;
        const double year = parse_number(year_node, field(key) + " year", year_spec);
        x.points.emplace_back(year, parse_number(value, field(key) + "[" + year_text + "]", spec));
    }
    std::stable_sort(x.points.begin(), x.points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 1; i < x.points.size(); ++i) {
        if (x.points[i].first == x.points[i - 1].first) {
            std::ostringstream year;
            year << x.points[i].first;
            fail(*v, field(key) + ": year " + year.str() + " is given twice");
        }
    }
}

void Binder::names(const char* key, std::vector<std::string>& x, const char* /*doc*/) {
    const Node* v = claim_value(key);
    if (v == nullptr) {
        return;
    }
    if (!v->is_list()) {
        fail(*v, field(key) + " must be a list of names");
    }
    x.clear();
    for (const auto& item : v->items) {
        if (!item.is_scalar()) {
            fail(item, field(key) + " must be a list of names");
        }
        x.push_back(item.scalar);
    }
}

void Binder::named_values(const char* key, model::NamedValues& x, double /*unlisted*/, const model::FieldSpec& spec) {
    const Node* v = claim_value(key);
    if (v == nullptr) {
        return;
    }
    if (!v->is_map()) {
        fail(*v, field(key) + " must be a map {name: value, ...}");
    }
    x.clear();
    for (const auto& [name, value] : v->entries) {
        x.emplace_back(name, parse_number(value, field(key) + "." + name, spec));
    }
}

void Binder::reject_unknown() const {
    if (node_ == nullptr) {
        return;
    }
    for (const auto& [key, value] : node_->entries) {
        if (std::find(known_.begin(), known_.end(), key) != known_.end()) {
            continue;
        }
        std::string message = value.key_where.describe() + ": unknown key '" + key + "'" +
                              (path_.empty() ? std::string(" at the top level") : " in " + path_);
        const auto best = closest_match(key, known_);
        if (!best.empty()) {
            message += " (did you mean '" + best + "'?)";
        }
        throw InputError(message);
    }
}

}  // namespace ipsim::io::detail
