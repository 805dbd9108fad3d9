#include "model/simulation.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/seatbelts.hpp"
#include "model/phases.hpp"
#include "model/quarter.hpp"
#include "model/run_checks.hpp"

namespace ipsim::model {
namespace {

/*! Throws if a recorded value is NaN or infinite, naming the series, entity and quarter. */
void check_finite(const StepRecord& r, const Scenario& sc) {
    auto fail = [&](const MetricInfo& m, const std::string& entity) {
        throw std::runtime_error("non-finite value in " + std::string(scope_group(m.scope)) + "/" + m.name +
                                 (entity.empty() ? "" : " for " + entity) + " at " + std::to_string(r.year) +
                                 " (a parameter combination the model cannot handle; check the scenario)");
    };
    std::size_t index[4] = {0, 0, 0, 0};
    for (const auto& m : metric_catalog()) {
        const auto k = index[static_cast<int>(m.scope)]++;
        switch (m.scope) {
            case Scope::sector:
                for (std::size_t s = 0; s < r.n_sectors; ++s) {
                    if (!std::isfinite(r.sector_value(k, s))) {
                        fail(m, sc.sectors[s].name);
                    }
                }
                break;
            case Scope::region:
                for (std::size_t g = 0; g < r.n_regions; ++g) {
                    if (!std::isfinite(r.region_value(k, g))) {
                        fail(m, sc.regions[g].name);
                    }
                }
                break;
            case Scope::national:
                if (!std::isfinite(r.national_value(k))) {
                    fail(m, "");
                }
                break;
            case Scope::region_sector:
                break;
        }
    }
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, std::uint64_t seed)
    : scenario_(scenario), model_(build_model(scenario)), state_(std::make_unique<State>()) {
    // The model's scenario-only parts exist before setup; setup_state builds the agents and fills
    // the parts calibrated on them. From here on the model is only read.
    state_->seed = seed;
    setup_state(model_, *state_);
    if constexpr (core::kSeatbelts) {
        state_->firms.check_column_lengths("after setup_state");
        state_->funds.check_column_lengths("after setup_state");
    }
    record_.resize(scenario_.sectors.size(), scenario_.regions.size());
}

Simulation::~Simulation() = default;

void Simulation::step() {
    QuarterContext context{model_, *state_, record_, {}};
    run_quarter(context, profile_);
    check_finite(record_, scenario_);
    if constexpr (core::kSeatbelts) {
        // Seatbelts: money is conserved every quarter, whoever receives the record (run() and
        // sweeps check it again in ResidualCheckedSink; tests and benchmarks attach no sink).
        check_accounting_residual(record_, static_cast<std::size_t>(state_->step) + 1);
    }
    ++state_->step;
}

void Simulation::set_profile(PhaseProfile* profile) noexcept { profile_ = profile; }

std::int64_t Simulation::steps_done() const noexcept { return state_->step; }

std::int64_t Simulation::steps_total() const noexcept { return scenario_.time.quarters; }

const StepRecord& Simulation::record() const noexcept { return record_; }

const State& Simulation::state() const noexcept { return *state_; }

void run(const Scenario& scenario, std::uint64_t seed, const RunInfo& info, ResultSink& sink, const RunHooks& hooks) {
    Simulation sim(scenario, seed);
    sim.set_profile(hooks.profile);
    sink.begin(info);
    const auto total = sim.steps_total();
    while (sim.steps_done() < total) {
        if (hooks.cancel != nullptr && hooks.cancel->load()) {
            throw RunCancelled{};
        }
        sim.step();
        sink.write_step(sim.record());
        if (hooks.on_step) {
            hooks.on_step(sim.steps_done(), total);
        }
    }
    sink.finish();
}

}  // namespace ipsim::model
