/*!
 * @file parameters.cpp
 * @brief Unit coordinates to parameter values, and the field-kind lookup over Scenario::visit.
 *
 * The normal quantile is found by Newton steps on the distribution function written with
 * std::erfc, started from a logistic guess and safeguarded by bisection; it is accurate to
 * about 1e-12, which is more than a sweep needs and keeps the code free of tabled
 * coefficients. The field-kind lookup is a visitor that follows the path components through
 * sections and lists (skipping the list item's name or index) and reports the kind of the field
 * it ends on.
 */
#include "sweep/parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "model/scenario.hpp"

namespace ipsim::sweep {
namespace {

constexpr double kTail = 0.001;

/*! Walks Scenario::visit along path components; records the kind of the last one. */
class KindFinder {
public:
    KindFinder(const std::vector<std::string>& parts, std::size_t at) : parts_(parts), at_(at) {}
    [[nodiscard]] FieldKind kind() const noexcept { return kind_; }

    void number(const char* key, double&, const model::FieldSpec&) { leaf(key, FieldKind::number); }
    void integer(const char* key, std::int64_t&, const model::FieldSpec&) { leaf(key, FieldKind::integer); }
    void flag(const char* key, bool&, const char*) { leaf(key, FieldKind::other); }
    void text(const char* key, std::string&, const char*) { leaf(key, FieldKind::other); }
    void path(const char* key, model::TimePath&, const model::FieldSpec&) { leaf(key, FieldKind::time_path); }
    void names(const char* key, std::vector<std::string>&, const char*) { leaf(key, FieldKind::other); }
    void named_values(const char* key, model::NamedValues&, double, const model::FieldSpec&) {
        if (matches(key)) {
            kind_ = at_ + 2 == parts_.size() ? FieldKind::number : (at_ + 1 == parts_.size() ? FieldKind::other : FieldKind::missing);
        }
    }
    template <class S>
    void section(const char* key, S&, const char*) {
        if (matches(key) && at_ + 1 < parts_.size()) {
            S inner{};
            descend(inner, at_ + 1);
        } else if (matches(key)) {
            kind_ = FieldKind::other;
        }
    }
    template <class S>
    void list(const char* key, std::vector<S>&, const char*) {
        if (matches(key) && at_ + 2 < parts_.size()) {
            S inner{};
            descend(inner, at_ + 2);
        } else if (matches(key)) {
            kind_ = FieldKind::other;
        }
    }

private:
    [[nodiscard]] bool matches(const char* key) const { return at_ < parts_.size() && parts_[at_] == key; }
    void leaf(const char* key, FieldKind k) {
        if (matches(key)) {
            kind_ = at_ + 1 == parts_.size() ? k : FieldKind::missing;
        }
    }
    template <class S>
    void descend(S& s, std::size_t next) {
        KindFinder inner(parts_, next);
        s.visit(inner);
        kind_ = inner.kind();
    }

    const std::vector<std::string>& parts_;
    std::size_t at_;
    FieldKind kind_ = FieldKind::missing;
};

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::string current;
    for (const char c : path) {
        if (c == '.' || c == '[' || c == ']') {
            if (!current.empty()) {
                parts.push_back(current);
            }
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) {
        parts.push_back(current);
    }
    return parts;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double triangular_quantile(double lo, double mode, double hi, double u) {
    const double width = hi - lo;
    const double split = width > 0.0 ? (mode - lo) / width : 0.5;
    if (u < split) {
        return lo + std::sqrt(u * width * (mode - lo));
    }
    return hi - std::sqrt((1.0 - u) * width * (hi - mode));
}

}  // namespace

FieldKind scenario_field_kind(const std::string& path) {
    const auto parts = split(path);
    KindFinder finder(parts, 0);
    model::Scenario scenario;
    scenario.visit(finder);
    return finder.kind();
}

double inverse_normal_cdf(double p) {
    if (!(p > 0.0 && p < 1.0)) {
        throw std::invalid_argument("inverse_normal_cdf needs p in (0, 1)");
    }
    double lo = -40.0;
    double hi = 40.0;
    double x = std::log(p / (1.0 - p)) * 0.6;
    for (int i = 0; i < 100; ++i) {
        const double f = normal_cdf(x) - p;
        if (f > 0.0) {
            hi = x;
        } else {
            lo = x;
        }
        const double density = std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
        double next = density > 1e-300 ? x - f / density : 0.5 * (lo + hi);
        if (!(next > lo && next < hi)) {
            next = 0.5 * (lo + hi);
        }
        if (std::abs(next - x) < 1e-14 * std::max(1.0, std::abs(x))) {
            return next;
        }
        x = next;
    }
    return x;
}

std::size_t value_index(std::size_t n, double u) noexcept {
    if (n == 0) {
        return 0;
    }
    const double scaled = std::floor(std::clamp(u, 0.0, 1.0) * static_cast<double>(n));
    return std::min(n - 1, static_cast<std::size_t>(scaled));
}

double parameter_number(const Parameter& p, double u) {
    u = std::clamp(u, 0.0, 1.0);
    const auto& a = p.args;
    double x = 0.0;
    switch (p.kind) {
        case ParamKind::range:
        case ParamKind::uniform: x = a[0] + u * (a[1] - a[0]); break;
        case ParamKind::normal: x = a[0] + a[1] * inverse_normal_cdf(std::clamp(u, kTail, 1.0 - kTail)); break;
        case ParamKind::lognormal: x = std::exp(a[0] + a[1] * inverse_normal_cdf(std::clamp(u, kTail, 1.0 - kTail))); break;
        case ParamKind::triangular: x = triangular_quantile(a[0], a[1], a[2], u); break;
        case ParamKind::values: throw std::logic_error("parameter_number on a values list");
    }
    return p.integer ? std::round(x) : x;
}

std::string number_text(double x) {
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof(buf), x);
    return std::string(buf, result.ptr);
}

std::string parameter_text(const Parameter& p, double u) {
    if (p.kind == ParamKind::values) {
        return p.values[value_index(p.values.size(), u)];
    }
    return number_text(parameter_number(p, u));
}

double parameter_design_value(const Parameter& p, double u) {
    if (p.kind != ParamKind::values) {
        return parameter_number(p, u);
    }
    const std::size_t i = value_index(p.values.size(), u);
    const std::string& text = p.values[i];
    double x = 0.0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), x);
    return result.ec == std::errc() && result.ptr == text.data() + text.size() ? x : static_cast<double>(i);
}

std::string parameter_override(const Parameter& p, double u) { return p.path + "=" + parameter_text(p, u); }

}  // namespace ipsim::sweep
