/*!
 * @file sobol_directions.hpp
 * @brief The published direction numbers behind the Sobol sequence, as plain data.
 *
 * Dimension 1 of a Sobol sequence is the van der Corput sequence; every further dimension d
 * is defined by a primitive polynomial over GF(2) of degree s (interior coefficients packed
 * in a) and s odd initial numbers m_1..m_s. sobol_directions() returns those three for
 * dimensions 2, 3, ... (entry 0 is dimension 2). The numbers are Joe and Kuo's (2008).
 */
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ipsim::sweep::detail {

/*! @brief Number of dimensions the table covers (the first one needs no entry). */
inline constexpr std::size_t kSobolTableDimensions = 256;
/*! @brief Largest polynomial degree in the table. */
inline constexpr std::size_t kSobolMaxDegree = 11;

/*! @brief One dimension's primitive polynomial and initial direction numbers. */
struct SobolDirection {
    std::uint32_t degree;                                //!< s
    std::uint32_t coefficients;                          //!< a: bit j is the coefficient of x^(j+1)
    std::array<std::uint32_t, kSobolMaxDegree> initial;  //!< m_1..m_s (odd, m_k < 2^k), rest 0
};

/*! @brief Entries for dimensions 2 .. kSobolTableDimensions, in order. */
[[nodiscard]] std::span<const SobolDirection> sobol_directions() noexcept;

}  // namespace ipsim::sweep::detail
