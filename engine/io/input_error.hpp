/*!
 * @file input_error.hpp
 * @brief The one exception type for bad input: a scenario, an override or an option.
 *
 * Its message is complete and names where the problem is ("mic2025.yaml:41:7: sectors[3].
 * demand.elasticity must be > 0 (got -1.2)"), so the command line prints it as it is and exits
 * with code 2.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace ipsim::io {

/*! @brief Bad input; what() is the full one-line message with file, line, column and field. */
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace ipsim::io
