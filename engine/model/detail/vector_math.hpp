/*!
 * @file vector_math.hpp
 * @brief log, exp, cos, erfc and pow over small arrays with glibc's libmvec: the build option
 *        IPSIM_VECTOR_MATH (ON by default on x86-64 with libmvec; OFF, as in the release-scalar
 *        preset, every rule calls scalar libm).
 *
 * The block kernels of the firm phases (clear_markets, produce, invest_capacity,
 * advance_technology, update_population) gather the arguments of a block of firms into
 * arrays, transform them in place here, then finish each firm's rule. libmvec evaluates each lane
 * on its own, so a value depends only on its argument, never on its place in the array; arrays
 * are padded to kPad values (a multiple of every vector width used), so no value ever falls to a
 * scalar tail. Which routine runs is chosen once per process (routine()): with
 * IPSIM_VECTOR_MATH_ISA=auto the AVX2 variants (_ZGVdN4v_*) on a CPU with AVX2 and FMA, the SSE
 * variants (_ZGVbN2v_*, present on every x86-64) otherwise; with IPSIM_VECTOR_MATH_ISA=sse
 * always the SSE ones. The two differ from scalar libm, and from each other, by up to a few ulp
 * in some values, so results with the option ON depend on the routine (but not on the thread
 * count). glibc's SSE variants are themselves an ifunc: without SSE4.1 they call scalar libm.
 */
#pragma once

#include <cstddef>

namespace ipsim::model::detail::vector_math {

/*! @brief The arrays passed below hold a multiple of kPad values. */
inline constexpr std::size_t kPad = 4;

/*! @brief Rows of one block of the firm phases' kernels (a multiple of kPad): arrays of a block
 *  stay in the L1 cache. */
inline constexpr std::size_t kBlock = 256;

/*! @brief n rounded up to a multiple of kPad. */
[[nodiscard]] constexpr std::size_t padded(std::size_t n) noexcept { return (n + kPad - 1) / kPad * kPad; }

/*! @brief x[j] = log(x[j]) for j < n (n a multiple of kPad). */
void log(double* x, std::size_t n) noexcept;
/*! @brief x[j] = exp(x[j]) for j < n (n a multiple of kPad). */
void exp(double* x, std::size_t n) noexcept;
/*! @brief x[j] = cos(x[j]) for j < n (n a multiple of kPad). */
void cos(double* x, std::size_t n) noexcept;
/*! @brief x[j] = erfc(x[j]) for j < n (n a multiple of kPad). */
void erfc(double* x, std::size_t n) noexcept;
/*! @brief x[j] = pow(x[j], y[j]) for j < n (n a multiple of kPad). */
void pow(double* x, const double* y, std::size_t n) noexcept;

/*! @brief True if the AVX2 routines are in use (routine() is "avx2"): the other block kernels
 *  follow the same choice. */
[[nodiscard]] bool uses_avx2() noexcept;

/*! @brief The routine family in use: "avx2" (_ZGVdN4v_*) or "sse" (_ZGVbN2v_*). */
[[nodiscard]] const char* routine() noexcept;

}  // namespace ipsim::model::detail::vector_math
