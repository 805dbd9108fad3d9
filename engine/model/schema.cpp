#include "model/schema.hpp"

#include <cmath>
#include <sstream>

namespace ipsim::model {

namespace {

std::string number_text(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

}  // namespace

std::string Range::describe() const {
    const bool has_lo = std::isfinite(lo);
    const bool has_hi = std::isfinite(hi);
    if (has_lo && has_hi) {
        return std::string("in ") + (lo_open ? "(" : "[") + number_text(lo) + ", " + number_text(hi) + (hi_open ? ")" : "]");
    }
    if (has_lo) {
        return std::string(lo_open ? "> " : ">= ") + number_text(lo);
    }
    if (has_hi) {
        return std::string(hi_open ? "< " : "<= ") + number_text(hi);
    }
    return "finite";
}

}  // namespace ipsim::model
