/*!
 * @file sobol_sequence.hpp
 * @brief The Sobol low-discrepancy sequence in up to 256 dimensions (Joe-Kuo directions).
 *
 * Points are generated in Gray-code order (Antonov and Saleev): point n+1 differs from point
 * n by one XOR per dimension with the direction number of the lowest zero bit of n, so a
 * point costs O(dimensions). The sequence is unscrambled and starts at the origin; callers
 * that must avoid the origin skip points (point(n) jumps to any index directly). Coordinates
 * carry 32 bits, enough for 2^32 points.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ipsim::sweep {

/*! @brief Generator of successive points of a Sobol sequence. */
class SobolSequence {
public:
    /*! @brief Most dimensions available (the size of the direction-number table). */
    static constexpr std::size_t kMaxDimensions = 256;

    /*! @brief Sequence in `dimensions` dimensions (1..kMaxDimensions; else std::invalid_argument). */
    explicit SobolSequence(std::size_t dimensions);

    /*! @brief Number of dimensions. */
    [[nodiscard]] std::size_t dimensions() const noexcept { return dimensions_; }
    /*! @brief Index of the point the next call to next() returns. */
    [[nodiscard]] std::uint64_t index() const noexcept { return index_; }
    /*! @brief Moves to point `index` (the next call to next() returns it). */
    void seek(std::uint64_t index);
    /*! @brief The current point (coordinates in [0, 1)), then advances; valid until the next call. */
    [[nodiscard]] std::span<const double> next();

private:
    std::size_t dimensions_;
    std::vector<std::uint32_t> directions_;  //!< dimensions_ x 32, V_k = m_k << (32 - k)
    std::vector<std::uint32_t> state_;       //!< integer coordinates of point index_
    std::vector<double> point_;
    std::uint64_t index_ = 0;
};

}  // namespace ipsim::sweep
