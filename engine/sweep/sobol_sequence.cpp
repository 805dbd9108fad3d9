/*!
 * @file sobol_sequence.cpp
 * @brief Direction numbers from the Joe-Kuo recurrence, Gray-code stepping and direct seeks.
 *
 * For a dimension with polynomial degree s and coefficients a_1..a_{s-1}, the scaled
 * direction numbers V_k = m_k 2^(32-k) follow V_k = V_{k-s} ^ (V_{k-s} >> s) ^ XOR of
 * a_j V_{k-j} for k > s. Point n is the XOR of V_k over the set bits k of its Gray code
 * n ^ (n >> 1); next() updates it incrementally.
 */
#include "sweep/sobol_sequence.hpp"

#include <bit>
#include <stdexcept>
#include <string>

#include "sweep/detail/sobol_directions.hpp"

namespace ipsim::sweep {
namespace {

constexpr unsigned kBits = 32;

void fill_directions(const detail::SobolDirection& entry, std::uint32_t* v) {
    const unsigned s = entry.degree;
    for (unsigned k = 0; k < s && k < kBits; ++k) {
        v[k] = entry.initial[k] << (kBits - 1 - k);
    }
    for (unsigned k = s; k < kBits; ++k) {
        std::uint32_t value = v[k - s] ^ (v[k - s] >> s);
        for (unsigned j = 1; j < s; ++j) {
            if (((entry.coefficients >> (s - 1 - j)) & 1U) != 0U) {
                value ^= v[k - j];
            }
        }
        v[k] = value;
    }
}

}  // namespace

SobolSequence::SobolSequence(std::size_t dimensions)
    : dimensions_(dimensions), directions_(dimensions * kBits), state_(dimensions, 0), point_(dimensions, 0.0) {
    if (dimensions == 0 || dimensions > kMaxDimensions) {
        throw std::invalid_argument("a Sobol sequence has 1 to " + std::to_string(kMaxDimensions) + " dimensions (got " +
                                    std::to_string(dimensions) + ")");
    }
    for (unsigned k = 0; k < kBits; ++k) {
        directions_[k] = 1U << (kBits - 1 - k);
    }
    const auto table = detail::sobol_directions();
    for (std::size_t d = 1; d < dimensions; ++d) {
        fill_directions(table[d - 1], &directions_[d * kBits]);
    }
}

void SobolSequence::seek(std::uint64_t index) {
    if (index >= (std::uint64_t{1} << kBits)) {
        throw std::invalid_argument("Sobol sequence index " + std::to_string(index) + " is beyond 2^32");
    }
    const std::uint64_t gray = index ^ (index >> 1U);
    for (std::size_t d = 0; d < dimensions_; ++d) {
        std::uint32_t x = 0;
        for (unsigned k = 0; k < kBits; ++k) {
            if (((gray >> k) & 1U) != 0U) {
                x ^= directions_[d * kBits + k];
            }
        }
        state_[d] = x;
    }
    index_ = index;
}

std::span<const double> SobolSequence::next() {
    for (std::size_t d = 0; d < dimensions_; ++d) {
        point_[d] = static_cast<double>(state_[d]) * 0x1.0p-32;
    }
    const auto bit = static_cast<unsigned>(std::countr_one(index_));
    if (bit >= kBits) {
        throw std::length_error("Sobol sequence exhausted (2^32 points)");
    }
    for (std::size_t d = 0; d < dimensions_; ++d) {
        state_[d] ^= directions_[d * kBits + bit];
    }
    ++index_;
    return point_;
}

}  // namespace ipsim::sweep
