/*!
 * @file random.hpp
 * @brief Counter-based random streams: a draw depends only on (seed, purpose, agent, step).
 *
 * Each stream is a Philox4x32-10 generator (Random123) whose key is the run seed and whose
 * counter holds the agent id, the purpose, the step and a block number. Two consequences:
 * draws do not depend on which thread runs which agent (bit-identical results for any thread
 * count), and a counterfactual that changes one mechanism leaves every other mechanism's
 * draws untouched (common random numbers across scenarios).
 */
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <numbers>

namespace ipsim::core {

/*! @brief What a draw is for; each purpose has its own independent streams. */
enum class Purpose : std::uint32_t {
    setup = 1,
    focus = 2,
    fund_selection = 3,
    innovation = 4,
    bailout = 5,
    entry = 6,
    entrant = 7,
    fund_candidates = 8,
    demand_shock = 9,
    refinance = 10,  //!< lenders' decisions on loans falling due
    design = 32,     //!< experiment designs (engine/sweep): random, LHS, Morris
    bootstrap = 33,  //!< bootstrap resamples of sensitivity indices
};

/*! @brief A short-lived stream of uniform, normal and Poisson draws for one agent and step. */
class Stream {
public:
    /*! @brief Stream for `agent` at `step` serving `purpose` under run `seed`. */
    Stream(std::uint64_t seed, Purpose purpose, std::uint64_t agent, std::uint64_t step) noexcept {
        key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32U)}};
        counter_ = {{static_cast<std::uint32_t>(agent),
                     (static_cast<std::uint32_t>(purpose) << 24U) ^ static_cast<std::uint32_t>(agent >> 32U),
                     static_cast<std::uint32_t>(step), 0U}};
    }

    /*! @brief Uniform on the open interval (0, 1), 53 bits. */
    [[nodiscard]] double uniform() noexcept {
        const std::uint64_t hi = next() >> 5U;  // 27 bits
        const std::uint64_t lo = next() >> 6U;  // 26 bits
        return (static_cast<double>((hi << 26U) | lo) + 0.5) * 0x1.0p-53;
    }

    /*! @brief Standard normal (Box-Muller, one value per call). */
    [[nodiscard]] double normal() noexcept {
        const double u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    /*! @brief Poisson count with mean `lambda` (inversion below 30, rounded normal above). */
    [[nodiscard]] std::uint64_t poisson(double lambda) noexcept {
        if (!(lambda > 0.0)) {
            return 0;
        }
        if (lambda > 30.0) {
            const double x = std::round(lambda + std::sqrt(lambda) * normal());
            return x > 0.0 ? static_cast<std::uint64_t>(x) : 0;
        }
        const double limit = std::exp(-lambda);
        std::uint64_t k = 0;
        double product = uniform();
        while (product > limit) {
            ++k;
            product *= uniform();
        }
        return k;
    }

    /*! @brief True with probability p. */
    [[nodiscard]] bool bernoulli(double p) noexcept { return uniform() < p; }

    /*! @brief Uniform integer in [0, n), n > 0. */
    [[nodiscard]] std::uint64_t below(std::uint64_t n) noexcept {
        return static_cast<std::uint64_t>(uniform() * static_cast<double>(n)) % n;
    }

private:
    using Philox = r123::Philox4x32;

    std::uint32_t next() noexcept {
        if (used_ == 4) {
            block_ = Philox{}(counter_, key_);
            ++counter_.v[3];
            used_ = 0;
        }
        return block_.v[used_++];
    }

    Philox::key_type key_{};
    Philox::ctr_type counter_{};
    Philox::ctr_type block_{};
    unsigned used_ = 4;
};

}  // namespace ipsim::core
