#include "io/scenario_emitter.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <charconv>
#include <sstream>

namespace ipsim::io {
namespace {

/*! Shortest text that reads back to the same double. */
std::string shortest(double x) {
    std::array<char, 32> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
    return ec == std::errc() ? std::string(buffer.data(), end) : std::string("0");
}

/*! Writes each field of a struct into a yaml-cpp map. */
class YamlWriter {
public:
    explicit YamlWriter(YAML::Emitter& out) : out_(out) {}

    void number(const char* key, const double& x, const model::FieldSpec&) { out_ << YAML::Key << key << YAML::Value << shortest(x); }
    void integer(const char* key, const std::int64_t& x, const model::FieldSpec&) { out_ << YAML::Key << key << YAML::Value << x; }
    void flag(const char* key, const bool& x, const char*) { out_ << YAML::Key << key << YAML::Value << x; }
    void text(const char* key, const std::string& x, const char*) {
        out_ << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << x;
    }
    void path(const char* key, const model::TimePath& x, const model::FieldSpec&) {
        out_ << YAML::Key << key << YAML::Value;
        if (x.is_constant()) {
            out_ << shortest(x.points.empty() ? 0.0 : x.points.front().second);
            return;
        }
        out_ << YAML::Flow << YAML::BeginMap;
        for (const auto& [year, value] : x.points) {
            out_ << YAML::Key << shortest(year) << YAML::Value << shortest(value);
        }
        out_ << YAML::EndMap;
    }
    void names(const char* key, const std::vector<std::string>& x, const char*) {
        out_ << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& n : x) {
            out_ << n;
        }
        out_ << YAML::EndSeq;
    }
    void named_values(const char* key, const model::NamedValues& x, double, const model::FieldSpec&) {
        out_ << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
        for (const auto& [name, value] : x) {
            out_ << YAML::Key << name << YAML::Value << shortest(value);
        }
        out_ << YAML::EndMap;
    }
    template <class S>
    void section(const char* key, const S& s, const char*) {
        out_ << YAML::Key << key << YAML::Value;
        write(s);
    }
    template <class S>
    void list(const char* key, const std::vector<S>& items, const char*) {
        out_ << YAML::Key << key << YAML::Value << YAML::BeginSeq;
        for (const auto& item : items) {
            write(item);
        }
        out_ << YAML::EndSeq;
    }
    template <class S>
    void write(const S& s) {
        out_ << YAML::BeginMap;
        const_cast<S&>(s).visit(*this);  // visit() only reads through this visitor
        out_ << YAML::EndMap;
    }

private:
    YAML::Emitter& out_;
};

std::string number_text(double x) {
    std::ostringstream s;
    s << x;
    return s.str();
}

/*! Writes one Markdown row per field, recursing into sections and list items. It visits a
 *  default-constructed Scenario (and one default-constructed item per list), so the value it is
 *  handed is the field's default: the member initializer. */
class SchemaWriter {
public:
    SchemaWriter(std::ostringstream& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}

    void number(const char* key, const double& d, const model::FieldSpec& s) { row(key, s.unit, number_text(d), s.range.describe(), s.doc, s.source); }
    void integer(const char* key, const std::int64_t& d, const model::FieldSpec& s) {
        row(key, s.unit, number_text(static_cast<double>(d)), s.range.describe() + ", whole", s.doc, s.source);
    }
    void flag(const char* key, const bool& d, const char* doc) { row(key, "-", d ? "true" : "false", "true or false", doc, "assumption"); }
    void text(const char* key, const std::string& d, const char* doc) { row(key, "-", d.empty() ? "(empty)" : d, "text", doc, "-"); }
    void path(const char* key, const model::TimePath& d, const model::FieldSpec& s) {
        row(key, s.unit, number_text(d.points.empty() ? 0.0 : d.points.front().second), s.range.describe() + "; number or {year: value}", s.doc, s.source);
    }
    void names(const char* key, const std::vector<std::string>&, const char* doc) { row(key, "-", "[]", "list of sector names", doc, "-"); }
    void named_values(const char* key, const model::NamedValues&, double unlisted, const model::FieldSpec& s) {
        row(key, s.unit, "{} (each " + number_text(unlisted) + ")", s.range.describe() + "; {sector: value}", s.doc, s.source);
    }
    template <class S>
    void section(const char* key, S& s, const char*) {
        SchemaWriter inner(out_, prefix_ + key + ".");
        s.visit(inner);
    }
    template <class S>
    void list(const char* key, std::vector<S>&, const char* doc) {
        row(key, "-", "[]", "list", doc, "-");
        S item{};
        SchemaWriter inner(out_, prefix_ + key + "[].");
        item.visit(inner);
    }

private:
    void row(const char* key, const std::string& unit, const std::string& def, const std::string& range, const std::string& doc,
             const std::string& source) {
        out_ << "| `" << prefix_ << key << "` | " << unit << " | " << def << " | " << range << " | " << doc << " | " << source << " |\n";
    }
    std::ostringstream& out_;
    std::string prefix_;
};

}  // namespace

std::string emit_scenario_yaml(const model::Scenario& scenario) {
    YAML::Emitter out;
    YamlWriter writer(out);
    writer.write(scenario);
    return std::string(out.c_str()) + "\n";
}

std::string schema_markdown() {
    std::ostringstream out;
    out << "| field | unit | default | valid values | meaning | source of the default |\n";
    out << "| --- | --- | --- | --- | --- | --- |\n";
    model::Scenario defaults;
    SchemaWriter writer(out, "");
    defaults.visit(writer);
    return out.str();
}

}  // namespace ipsim::io
