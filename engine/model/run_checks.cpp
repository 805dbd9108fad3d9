#include "model/run_checks.hpp"

#include <cmath>
#include <sstream>

namespace ipsim::model {

std::string quarter_label(double year) {
    const double whole = std::floor(year + 1e-6);
    const int quarter = static_cast<int>(std::floor((year - whole) * 4.0 + 1e-6)) + 1;
    return std::to_string(static_cast<long long>(whole)) + "Q" + std::to_string(quarter);
}

void check_accounting_residual(const StepRecord& record, std::size_t quarter) {
    const double residual = record.national_value(static_cast<std::size_t>(NationalMetric::accounting_residual));
    if (std::isfinite(residual) && std::abs(residual) <= kMaxAccountingResidual) {
        return;
    }
    std::ostringstream msg;
    msg << "accounting residual of " << residual << " bn CNY in " << quarter_label(record.year) << " (quarter " << quarter
        << "): money is not conserved, so the results cannot be trusted; the run is stopped"
        << " and no output written (extreme values or a very long horizon in the scenario?)";
    throw AccountingResidualError(msg.str());
}

}  // namespace ipsim::model
