/*!
 * @file seatbelts.hpp
 * @brief Debug-only invariant checks behind one switch: the CMake option IPSIM_SEATBELTS.
 *
 * The debug and asan presets switch IPSIM_SEATBELTS on, which defines IPSIM_SEATBELTS=1 for
 * everything that links ipsim_core. With it, the engine checks invariants that no input should
 * be able to break, only a bug: every column of a population has the population's length after
 * each phase (core/columns.hpp, model/quarter.cpp), a StepRecord is written only at metric and
 * entity indices in range (model/metrics.hpp), and every quarter's accounting residual is within
 * kMaxAccountingResidual (model/simulation.cpp), even where no ResidualCheckedSink is attached
 * (tests, benchmarks, embedders driving Simulation::step themselves). A failed check throws
 * SeatbeltError (the residual: AccountingResidualError, as `ipsim run` reports it) with a
 * message naming what broke and where: loud, testable, and caught like any other failed run.
 *
 * Off (the default, and the release preset), IPSIM_SEATBELT expands to nothing, its message is
 * never built, and code guarded by `if constexpr (core::kSeatbelts)` is discarded: zero cost.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace ipsim::core {

#if defined(IPSIM_SEATBELTS) && IPSIM_SEATBELTS
inline constexpr bool kSeatbelts = true;  //!< this build checks its invariants
#else
inline constexpr bool kSeatbelts = false;  //!< this build checks no invariants
#endif

/*! @brief A broken engine invariant (a bug, never bad input), found by a seatbelt check. */
class SeatbeltError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

/*! @brief Throws SeatbeltError("seatbelt: " + what). */
[[noreturn]] inline void seatbelt_failure(const std::string& what) { throw SeatbeltError("seatbelt: " + what); }

}  // namespace ipsim::core

#if defined(IPSIM_SEATBELTS) && IPSIM_SEATBELTS
/*! @brief Throws SeatbeltError with `message` (a std::string expression, built only on failure)
 *  unless `condition` holds. Compiles to nothing without IPSIM_SEATBELTS. */
#define IPSIM_SEATBELT(condition, message)                 \
    do {                                                   \
        if (!(condition)) {                                \
            ::ipsim::core::seatbelt_failure(message);      \
        }                                                  \
    } while (false)
#else
#define IPSIM_SEATBELT(condition, message) \
    do {                                   \
    } while (false)
#endif
