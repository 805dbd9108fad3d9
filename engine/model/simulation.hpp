/*!
 * @file simulation.hpp
 * @brief One run of the model: build the agents from a scenario, step quarters, emit records.
 *
 * A quarter is the table of phases in quarter.hpp (see also docs/model.md section 2). Each phase is
 * parallel over agents; every random draw comes from a counter-based stream keyed by
 * (seed, purpose, agent, step) and every reduction has a fixed order, so the records are
 * bit-identical whatever the number of threads. The thread count is set by the caller with
 * oneTBB's global_control.
 */
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "model/metrics.hpp"
#include "model/model.hpp"
#include "model/scenario.hpp"

namespace ipsim::model {

struct State;
class PhaseProfile;

/*! @brief A simulation in progress. Owns the run's Model (fixed for the run) and its State (the
 *  agent populations). */
class Simulation {
public:
    /*! @brief Builds the initial populations. The scenario must outlive the simulation. */
    Simulation(const Scenario& scenario, std::uint64_t seed);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    /*! @brief Advances one quarter and computes its record. */
    void step();
    /*! @brief Quarters done so far. */
    [[nodiscard]] std::int64_t steps_done() const noexcept;
    /*! @brief Quarters in the horizon. */
    [[nodiscard]] std::int64_t steps_total() const noexcept;
    /*! @brief Outcomes of the last completed quarter. */
    [[nodiscard]] const StepRecord& record() const noexcept;
    /*! @brief Read access to the agents, for tests and diagnostics. */
    [[nodiscard]] const State& state() const noexcept;
    /*! @brief What is fixed for the run (built before the agents, calibrated by their setup). */
    [[nodiscard]] const Model& model() const noexcept { return model_; }
    [[nodiscard]] const Scenario& scenario() const noexcept { return scenario_; }
    /*! @brief Times each phase of the following quarters into `profile` (null: no timing). The
     *  profile must outlive the steps; it never changes a result. */
    void set_profile(PhaseProfile* profile) noexcept;

private:
    const Scenario& scenario_;
    Model model_;  // mutable only while the constructor sets up the state (setup_state calibrates it)
    std::unique_ptr<State> state_;
    StepRecord record_;
    PhaseProfile* profile_ = nullptr;
};

/*! @brief Hooks for a long run: progress reports and cooperative cancellation. */
struct RunHooks {
    std::function<void(std::int64_t done, std::int64_t total)> on_step;  //!< after each quarter
    const std::atomic<bool>* cancel = nullptr;                           //!< when set to true, run() throws RunCancelled
    PhaseProfile* profile = nullptr;                                     //!< when set, calls and time per phase (quarter.hpp)
};

/*! @brief Thrown by run() when RunHooks::cancel becomes true. */
struct RunCancelled {};

/*! @brief Runs a whole scenario into a sink: begin, one write per quarter, finish. */
void run(const Scenario& scenario, std::uint64_t seed, const RunInfo& info, ResultSink& sink,
         const RunHooks& hooks = {});

}  // namespace ipsim::model
