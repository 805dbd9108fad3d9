/*!
 * @file version.hpp
 * @brief The engine's version as written into result and sweep files and hashed into a sweep's
 *        identity: the release, plus the math routines the build computes with when they change
 *        results (so a sweep is never resumed by a program that computes differently).
 */
#pragma once

#include <string>

namespace ipsim::model {

/*! @brief "0.1.0", or "0.1.0+vecmath-avx2" / "0.1.0+vecmath-sse" when the build takes its
 *  transcendental functions from libmvec (IPSIM_VECTOR_MATH): the routine family is chosen when
 *  the program starts, from the CPU, and the two give results that differ in the last bits. */
[[nodiscard]] const std::string& engine_version();

}  // namespace ipsim::model
