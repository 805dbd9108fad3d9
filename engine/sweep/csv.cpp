/*!
 * @file csv.cpp
 * @brief Line-by-line CSV parsing with positions kept for messages, and the atomic writer.
 *
 * Each line is split on commas into fields that remember their 1-based column, trimmed of
 * blanks (and a trailing carriage return; a UTF-8 byte-order mark is dropped); cells go through strtod, which must consume the
 * whole field and give a finite value. The writer creates PATH.tmp-PID next to the target,
 * flushes and closes it, then renames it over PATH; on any failure the temporary is removed.
 */
#include "sweep/csv.hpp"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "io/input_error.hpp"

namespace ipsim::sweep {
namespace {

namespace fs = std::filesystem;

struct Field {
    std::string text;
    std::size_t column;  //!< 1-based character position of the field's first character
};

std::vector<Field> split_line(const std::string& line) {
    std::vector<Field> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        const std::size_t end = comma == std::string::npos ? line.size() : comma;
        std::size_t a = start;
        std::size_t b = end;
        while (a < b && (line[a] == ' ' || line[a] == '\t')) {
            ++a;
        }
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t')) {
            --b;
        }
        fields.push_back({line.substr(a, b - a), a + 1});
        if (comma == std::string::npos) {
            return fields;
        }
        start = comma + 1;
    }
}

[[noreturn]] void fail(const std::string& path, std::size_t line, std::size_t column, const std::string& message) {
    std::string where = path + ":" + std::to_string(line) + ":";
    if (column > 0) {
        where += std::to_string(column) + ":";
    }
    throw io::InputError(where + " " + message);
}

std::string unquote(const std::string& text) {
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
        return text.substr(1, text.size() - 2);
    }
    return text;
}

void parse_header(CsvTable& table, const std::string& line, std::size_t number) {
    table.header_line = number;
    std::set<std::string> seen;
    for (const auto& field : split_line(line)) {
        const std::string name = unquote(field.text);
        if (name.empty()) {
            fail(table.path, number, field.column,
                 "empty column name in the header (an index column? write the CSV without one, e.g. pandas index=False)");
        }
        if (!seen.insert(name).second) {
            fail(table.path, number, field.column, "duplicate column '" + name + "'");
        }
        table.columns.push_back(name);
    }
}

double parse_cell(const CsvTable& table, const Field& field, std::size_t line, std::size_t col) {
    const std::string& text = field.text;
    const std::string where = "column '" + table.columns[col] + "': ";
    if (text.empty()) {
        fail(table.path, line, field.column, where + "empty cell");
    }
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) {
        fail(table.path, line, field.column, where + "'" + text + "' is not a number");
    }
    if (!std::isfinite(value)) {
        fail(table.path, line, field.column, where + "'" + text + "' is not a finite number");
    }
    return value;
}

void parse_row(CsvTable& table, const std::string& line, std::size_t number) {
    const auto fields = split_line(line);
    if (fields.size() != table.columns.size()) {
        fail(table.path, number, 0,
             std::to_string(fields.size()) + (fields.size() == 1 ? " field" : " fields") + ", expected " + std::to_string(table.columns.size()) +
                 " (one per column of the header on line " + std::to_string(table.header_line) + ")");
    }
    for (std::size_t col = 0; col < fields.size(); ++col) {
        table.values.push_back(parse_cell(table, fields[col], number, col));
    }
    table.lines.push_back(number);
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t") == std::string::npos; }

}  // namespace

std::vector<double> CsvTable::column(std::size_t col) const {
    std::vector<double> out(rows());
    for (std::size_t row = 0; row < rows(); ++row) {
        out[row] = at(row, col);
    }
    return out;
}

CsvTable read_csv(const std::string& path) {
    std::ifstream in(path);
    std::error_code ec;
    if (!in || fs::is_directory(path, ec)) {
        throw io::InputError(path + ": cannot open (" + (fs::exists(path, ec) ? "not a readable file" : "no such file") + ")");
    }
    CsvTable table;
    table.path = path;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (number == 1 && line.starts_with("\xEF\xBB\xBF")) {
            line.erase(0, 3);
        }
        if (blank(line)) {
            continue;
        }
        if (line.front() == '#') {
            if (table.columns.empty()) {
                const std::size_t start = line.find_first_not_of("# \t");
                table.comments.push_back(start == std::string::npos ? std::string() : line.substr(start));
            }
            continue;
        }
        if (table.columns.empty()) {
            parse_header(table, line, number);
        } else {
            parse_row(table, line, number);
        }
    }
    if (table.columns.empty()) {
        throw io::InputError(path + ":1: no header row (expected column names, then one row of numbers per run)");
    }
    if (table.rows() == 0) {
        fail(path, table.header_line, 0, "a header but no data rows");
    }
    return table;
}

std::string format_number(double value) {
    char buffer[32];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
        if (std::strtod(buffer, nullptr) == value) {
            break;
        }
    }
    return buffer;
}

std::string csv_text(const std::vector<std::string>& comments, const std::vector<std::string>& columns,
                     const std::vector<double>& values) {
    std::string text;
    for (const auto& c : comments) {
        text += "# " + c + "\n";
    }
    for (std::size_t col = 0; col < columns.size(); ++col) {
        text += (col > 0 ? "," : "") + columns[col];
    }
    text += "\n";
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += format_number(values[i]);
        text += (i + 1) % columns.size() == 0 ? "\n" : ",";
    }
    return text;
}

void write_file_atomically(const std::string& path, std::string_view content) {
    const fs::path target(path);
    const fs::path parent = target.parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
        throw io::InputError(path + ": directory '" + parent.string() + "' does not exist");
    }
    if (fs::is_directory(target, ec)) {
        throw io::InputError(path + ": is a directory; give a file name");
    }
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.close();
        if (!out) {
            fs::remove(temporary, ec);
            throw std::runtime_error(path + ": cannot write (" + std::strerror(errno) + ")");
        }
    }
    fs::rename(temporary, target, ec);
    if (ec) {
        fs::remove(temporary, ec);
        throw std::runtime_error(path + ": cannot move the finished file into place");
    }
}

}  // namespace ipsim::sweep
