/*!
 * @file csv.hpp
 * @brief Numeric CSV tables for designs and outputs: a strict reader with file:line:column
 *        errors and an atomic writer.
 *
 * The dialect is the one SALib, pandas and spreadsheets write for numbers: comma separated,
 * one header row of column names (optionally in double quotes), then one row of numbers per
 * run. Lines starting with '#' are comments; those before the header are kept (ipsim
 * designs describe themselves there) and blank lines are skipped. Every cell must be a
 * finite number. Writing goes to a temporary file in the target folder that is renamed
 * into place, so a reader never sees a half-written file.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ipsim::sweep {

/*! @brief A table of finite numbers with named columns, as read from a CSV file. */
struct CsvTable {
    std::string path;
    std::vector<std::string> comments;  //!< comment lines before the header, without the leading '#' and blanks
    std::size_t header_line = 0;        //!< 1-based line of the header
    std::vector<std::string> columns;
    std::vector<double> values;      //!< row-major, rows() x columns.size()
    std::vector<std::size_t> lines;  //!< 1-based file line of each data row

    /*! @brief Number of data rows. */
    [[nodiscard]] std::size_t rows() const noexcept { return lines.size(); }
    /*! @brief Cell of data row `row` (0-based) and column `col`. */
    [[nodiscard]] double at(std::size_t row, std::size_t col) const { return values[row * columns.size() + col]; }
    /*! @brief All values of one column, in row order. */
    [[nodiscard]] std::vector<double> column(std::size_t col) const;
};

/*! @brief Reads a table; throws io::InputError ("PATH:LINE:COL: ...") for anything that is not a clean numeric table. */
[[nodiscard]] CsvTable read_csv(const std::string& path);

/*! @brief Shortest decimal text that reads back as exactly `value` (at most 17 significant digits). */
[[nodiscard]] std::string format_number(double value);

/*! @brief The CSV text of a table: comment lines ("# " + text), the header, then the rows. */
[[nodiscard]] std::string csv_text(const std::vector<std::string>& comments, const std::vector<std::string>& columns,
                                   const std::vector<double>& values);

/*! @brief Writes `content` to `path` through a temporary file and a rename; throws io::InputError if the folder does not exist. */
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace ipsim::sweep
