/*!
 * @file quarter.hpp
 * @brief The quarter as a declared table of phases, and an optional per-phase profile.
 *
 * quarter_phases() is the one place that says what a quarter does: each row names a phase,
 * when it runs (every quarter, or yearly in the first quarter of the year), what it reads and
 * writes (the same words as the table in docs/model.md section 2) and the function that runs
 * it, which calls the phase with the run's Model (read only) and its State. Simulation::step()
 * walks the table in order; nothing else decides the sequence. Some quarterly phases keep a
 * yearly part inside their body (zombie flags in the fourth quarter, say); the row says so in
 * `yearly_parts`, so that no timing is hidden.
 *
 * A PhaseProfile, when one is attached, times each phase with std::chrono::steady_clock and
 * accumulates calls and nanoseconds per row. Without one, running a phase is a pointer test
 * and an indirect call: the profile costs nothing when off, and it never changes a result.
 *
 * With IPSIM_SEATBELTS (core/seatbelts.hpp), run_quarter() checks at the start of the quarter and
 * after each phase that every firm and fund column has its population's length, and names the
 * phase after which one does not.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/metrics.hpp"
#include "model/phases.hpp"

namespace ipsim::model {

struct State;

/*! @brief When a phase runs. */
enum class Cadence : std::uint8_t {
    quarterly,  //!< every quarter
    yearly,     //!< once a year, in the first quarter (State::is_first_quarter())
};

/*! @brief "quarterly" or "yearly (Q1)". */
[[nodiscard]] const char* cadence_name(Cadence cadence) noexcept;

/*! @brief What a phase may touch: the agents, the record of the quarter, and the sector sums
 *  that summarize_sectors hands to compute_outcomes; and what it may only read, the model. */
struct QuarterContext {
    const Model& model;
    State& state;
    StepRecord& record;
    SectorSums sums;
};

/*! @brief One row of the quarter's table. */
struct Phase {
    const char* name;          //!< the function's name, as in phases.hpp
    Cadence cadence;           //!< when the row runs
    const char* reads;         //!< what it reads (docs/model.md section 2)
    const char* writes;        //!< what it writes (docs/model.md section 2)
    const char* yearly_parts;  //!< yearly steps inside a quarterly body ("" if none)
    void (*run)(QuarterContext&);
};

/*! @brief The phases of a quarter, in the order they run. */
[[nodiscard]] std::span<const Phase> quarter_phases() noexcept;

/*! @brief Whether `phase` runs in the state's current quarter. */
[[nodiscard]] bool runs_now(const Phase& phase, const State& state) noexcept;

/*! @brief Calls and time per phase of the table, accumulated over the quarters of a run. */
class PhaseProfile {
public:
    /*! @brief One entry per row of quarter_phases(), all zero. */
    PhaseProfile();

    /*! @brief Adds one call of row `phase` that took `nanoseconds`. */
    void add_call(std::size_t phase, std::int64_t nanoseconds) noexcept;
    /*! @brief Adds one quarter over `firms` firm rows (the population at the start of the quarter). */
    void add_quarter(std::size_t firms) noexcept;

    [[nodiscard]] std::int64_t calls(std::size_t phase) const noexcept { return calls_[phase]; }
    [[nodiscard]] std::int64_t nanoseconds(std::size_t phase) const noexcept { return nanoseconds_[phase]; }
    [[nodiscard]] std::int64_t quarters() const noexcept { return quarters_; }
    /*! @brief Firm rows summed over the quarters (the divisor of "ns per firm-quarter"). */
    [[nodiscard]] double firm_quarters() const noexcept { return firm_quarters_; }
    /*! @brief Nanoseconds over all phases. */
    [[nodiscard]] std::int64_t total_nanoseconds() const noexcept;

private:
    std::vector<std::int64_t> calls_;
    std::vector<std::int64_t> nanoseconds_;
    std::int64_t quarters_ = 0;
    double firm_quarters_ = 0.0;
};

/*! @brief Runs the phases of the table that are due this quarter, in order; times them into
 *  `profile` when it is not null. Does not advance State::step. */
void run_quarter(QuarterContext& context, PhaseProfile* profile);

}  // namespace ipsim::model
