/*!
 * @file run_checks.hpp
 * @brief Checks every quarter of a run must pass for its results to be kept, shared by
 *        `ipsim run` (which stops with exit 1) and `ipsim sweep` (where the run becomes a failed
 *        run): money is conserved up to rounding. With IPSIM_SEATBELTS, Simulation::step() also
 *        applies check_accounting_residual to every quarter, so runs without a checked sink
 *        (tests, benchmarks) stop on the first quarter that breaks it.
 */
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "model/metrics.hpp"

namespace ipsim::model {

/*! @brief Largest accounting residual (bn CNY) accepted as rounding; anything more is a bug or
 *         a scenario whose values overflow the accounting (shipped scenarios: about 1e-9). */
inline constexpr double kMaxAccountingResidual = 1.0;

/*! @brief "2019Q3" for a calendar time given in years (2019.5 -> 2019Q3). */
[[nodiscard]] std::string quarter_label(double year);

/*! @brief Thrown by check_accounting_residual: the run's results cannot be trusted. */
class AccountingResidualError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/*! @brief Throws AccountingResidualError, naming the quarter, if the record's accounting
 *         residual is not finite or beyond kMaxAccountingResidual. `quarter` counts from 1. */
void check_accounting_residual(const StepRecord& record, std::size_t quarter);

/*! @brief A sink that checks every quarter with check_accounting_residual before passing it on. */
class ResidualCheckedSink final : public ResultSink {
public:
    explicit ResidualCheckedSink(ResultSink& inner) : inner_(inner) {}
    void begin(const RunInfo& info) override { inner_.begin(info); }
    void write_step(const StepRecord& record) override {
        check_accounting_residual(record, ++steps_);
        inner_.write_step(record);
    }
    void finish() override { inner_.finish(); }

private:
    ResultSink& inner_;
    std::size_t steps_ = 0;
};

}  // namespace ipsim::model
