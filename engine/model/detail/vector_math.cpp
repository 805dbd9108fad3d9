/*!
 * @file vector_math.cpp
 * @brief The libmvec calls of vector_math.hpp: glibc's vector-ABI symbols declared and called
 *        directly, the AVX2 ones from functions compiled for AVX2 (target attribute), so no
 *        compiler flag of this or any other translation unit changes.
 */
#include "model/detail/vector_math.hpp"

#include <immintrin.h>

#ifndef IPSIM_VECTOR_MATH_SSE_ONLY
#define IPSIM_VECTOR_MATH_SSE_ONLY 0
#endif

extern "C" {
__m128d _ZGVbN2v_log(__m128d x) noexcept;   // NOLINT(bugprone-reserved-identifier): glibc's names
__m128d _ZGVbN2v_exp(__m128d x) noexcept;   // NOLINT(bugprone-reserved-identifier)
__m128d _ZGVbN2v_cos(__m128d x) noexcept;   // NOLINT(bugprone-reserved-identifier)
__m128d _ZGVbN2v_erfc(__m128d x) noexcept;  // NOLINT(bugprone-reserved-identifier)

__m128d _ZGVbN2vv_pow(__m128d x, __m128d y) noexcept;  // NOLINT(bugprone-reserved-identifier)
}

#pragma GCC push_options
#pragma GCC target("avx2,fma")
extern "C" {
__m256d _ZGVdN4v_log(__m256d x) noexcept;   // NOLINT(bugprone-reserved-identifier)
__m256d _ZGVdN4v_exp(__m256d x) noexcept;   // NOLINT(bugprone-reserved-identifier)
__m256d _ZGVdN4v_cos(__m256d x) noexcept;   // NOLINT(bugprone-reserved-identifier)
__m256d _ZGVdN4v_erfc(__m256d x) noexcept;  // NOLINT(bugprone-reserved-identifier)

__m256d _ZGVdN4vv_pow(__m256d x, __m256d y) noexcept;  // NOLINT(bugprone-reserved-identifier)
}
#pragma GCC pop_options

namespace ipsim::model::detail::vector_math {
namespace {

static_assert(kPad % 4 == 0, "arrays must hold whole AVX2 and SSE vectors");

template <__m128d (*F)(__m128d)>
void apply_sse(double* x, std::size_t n) noexcept {
    for (std::size_t j = 0; j < n; j += 2) {
        _mm_storeu_pd(x + j, F(_mm_loadu_pd(x + j)));
    }
}

template <__m128d (*F)(__m128d, __m128d)>
void apply_binary_sse(double* x, const double* y, std::size_t n) noexcept {
    for (std::size_t j = 0; j < n; j += 2) {
        _mm_storeu_pd(x + j, F(_mm_loadu_pd(x + j), _mm_loadu_pd(y + j)));
    }
}

#pragma GCC push_options
#pragma GCC target("avx2,fma")
template <__m256d (*F)(__m256d)>
void apply_avx2(double* x, std::size_t n) noexcept {
    for (std::size_t j = 0; j < n; j += 4) {
        _mm256_storeu_pd(x + j, F(_mm256_loadu_pd(x + j)));
    }
}

template <__m256d (*F)(__m256d, __m256d)>
void apply_binary_avx2(double* x, const double* y, std::size_t n) noexcept {
    for (std::size_t j = 0; j < n; j += 4) {
        _mm256_storeu_pd(x + j, F(_mm256_loadu_pd(x + j), _mm256_loadu_pd(y + j)));
    }
}
#pragma GCC pop_options

bool choose_avx2() noexcept {
    if (IPSIM_VECTOR_MATH_SSE_ONLY != 0) {
        return false;
    }
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

const bool kAvx2 = choose_avx2();

}  // namespace

void log(double* x, std::size_t n) noexcept {
    kAvx2 ? apply_avx2<_ZGVdN4v_log>(x, n) : apply_sse<_ZGVbN2v_log>(x, n);
}

void exp(double* x, std::size_t n) noexcept {
    kAvx2 ? apply_avx2<_ZGVdN4v_exp>(x, n) : apply_sse<_ZGVbN2v_exp>(x, n);
}

void cos(double* x, std::size_t n) noexcept {
    kAvx2 ? apply_avx2<_ZGVdN4v_cos>(x, n) : apply_sse<_ZGVbN2v_cos>(x, n);
}

void erfc(double* x, std::size_t n) noexcept {
    kAvx2 ? apply_avx2<_ZGVdN4v_erfc>(x, n) : apply_sse<_ZGVbN2v_erfc>(x, n);
}

void pow(double* x, const double* y, std::size_t n) noexcept {
    kAvx2 ? apply_binary_avx2<_ZGVdN4vv_pow>(x, y, n) : apply_binary_sse<_ZGVbN2vv_pow>(x, y, n);
}

bool uses_avx2() noexcept { return kAvx2; }

const char* routine() noexcept { return kAvx2 ? "avx2" : "sse"; }

}  // namespace ipsim::model::detail::vector_math
