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

#include <array>
#include <cmath>
#include <cstddef>
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

/*! @brief Uniform on the open interval (0, 1) from two 32-bit words (27 and 26 bits kept, 53 bits). */
[[nodiscard]] inline double uniform_from(std::uint32_t first, std::uint32_t second) noexcept {
    const std::uint64_t hi = first >> 5U;
    const std::uint64_t lo = second >> 6U;
    return (static_cast<double>((hi << 26U) | lo) + 0.5) * 0x1.0p-53;
}

class Stream;

/*!
 * @brief The streams of one (seed, purpose, step), one per agent, with their common work done once.
 *
 * A `Stream` built for each agent recomputes the Philox key schedule (the same for every agent
 * under one seed) and the half of the first round that reads only the step and the purpose.
 * A family computes both once, so `first_uniform(agent)` costs the rest of one block; its value
 * is exactly `Stream(seed, purpose, agent, step).uniform()` (tests/core/test_random.cpp checks
 * it against Random123), and `stream(agent)` is that stream itself, for agents drawing more.
 */
class StreamFamily {
public:
    /*! @brief Streams of `purpose` at `step` under run `seed`. */
    StreamFamily(std::uint64_t seed, Purpose purpose, std::uint64_t step) noexcept
        : seed_(seed), purpose_(purpose), step_(step) {
        auto k0 = static_cast<std::uint32_t>(seed);
        auto k1 = static_cast<std::uint32_t>(seed >> 32U);
        for (std::size_t r = 0; r < kRounds; ++r) {
            keys_[r] = {k0, k1};
            k0 += kW0;
            k1 += kW1;
        }
        // First round, counter words 1 and 2: (purpose << 24) ^ agent_hi and the step.
        const std::uint64_t product = static_cast<std::uint64_t>(kM1) * static_cast<std::uint32_t>(step);
        first_word0_ = static_cast<std::uint32_t>(product >> 32U) ^ (static_cast<std::uint32_t>(purpose) << 24U) ^ keys_[0][0];
        first_word1_ = static_cast<std::uint32_t>(product);
    }

    /*! @brief The first uniform of agent `agent`'s stream: `Stream(seed, purpose, agent, step).uniform()`. */
    [[nodiscard]] double first_uniform(std::uint64_t agent) const noexcept {
        const auto block = first_block(agent);
        return uniform_from(block[0], block[1]);
    }

    /*! @brief The first two uniforms of agent `agent`'s stream, as two `uniform()` calls on
     *  `Stream(seed, purpose, agent, step)` return them (both come from its first block). */
    [[nodiscard]] std::array<double, 2> first_two_uniforms(std::uint64_t agent) const noexcept {
        const auto block = first_block(agent);
        return {uniform_from(block[0], block[1]), uniform_from(block[2], block[3])};
    }

    /*! @brief first_two_uniforms of agents[0, n): first[j] and second[j]. The blocks are computed
     *  in a loop of their own, which the compiler vectorizes (32 x 32 -> 64-bit products); inlined,
     *  so that a caller compiled for a wider vector ISA gets the wider loop. */
    [[gnu::always_inline]] void first_two_uniforms(const std::uint64_t* agents, std::size_t n, double* first, double* second) const noexcept {
        constexpr std::size_t kChunk = 64;
        std::array<std::uint32_t, kChunk> w0;
        std::array<std::uint32_t, kChunk> w1;
        std::array<std::uint32_t, kChunk> w2;
        std::array<std::uint32_t, kChunk> w3;
        for (std::size_t lo = 0; lo < n; lo += kChunk) {
            const std::size_t m = n - lo < kChunk ? n - lo : kChunk;
            for (std::size_t j = 0; j < m; ++j) {
                const auto block = first_block(agents[lo + j]);
                w0[j] = block[0];
                w1[j] = block[1];
                w2[j] = block[2];
                w3[j] = block[3];
            }
            for (std::size_t j = 0; j < m; ++j) {
                first[lo + j] = uniform_from(w0[j], w1[j]);
                second[lo + j] = uniform_from(w2[j], w3[j]);
            }
        }
    }

    /*! @brief Agent `agent`'s whole stream. */
    [[nodiscard]] inline Stream stream(std::uint64_t agent) const noexcept;

private:
    /*! The first Philox block of agent `agent`'s stream, counter {agent_lo, (purpose << 24) ^
     *  agent_hi, step, 0}, with round 1's step half precomputed. */
    [[nodiscard]] std::array<std::uint32_t, 4> first_block(std::uint64_t agent) const noexcept {
        const std::uint64_t p0 = static_cast<std::uint64_t>(kM0) * static_cast<std::uint32_t>(agent);
        std::uint32_t c0 = first_word0_ ^ static_cast<std::uint32_t>(agent >> 32U);
        std::uint32_t c1 = first_word1_;
        std::uint32_t c2 = static_cast<std::uint32_t>(p0 >> 32U) ^ keys_[0][1];
        std::uint32_t c3 = static_cast<std::uint32_t>(p0);
#pragma GCC unroll 16
        for (std::size_t r = 1; r < kRounds; ++r) {
            const std::uint64_t q0 = static_cast<std::uint64_t>(kM0) * c0;
            const std::uint64_t q1 = static_cast<std::uint64_t>(kM1) * c2;
            c0 = static_cast<std::uint32_t>(q1 >> 32U) ^ c1 ^ keys_[r][0];
            c1 = static_cast<std::uint32_t>(q1);
            c2 = static_cast<std::uint32_t>(q0 >> 32U) ^ c3 ^ keys_[r][1];
            c3 = static_cast<std::uint32_t>(q0);
        }
        return {c0, c1, c2, c3};
    }

    static constexpr std::size_t kRounds = 10;  // Philox4x32-10, as r123::Philox4x32
    static constexpr std::uint32_t kM0 = 0xD2511F53U;
    static constexpr std::uint32_t kM1 = 0xCD9E8D57U;
    static constexpr std::uint32_t kW0 = 0x9E3779B9U;
    static constexpr std::uint32_t kW1 = 0xBB67AE85U;

    std::uint64_t seed_;
    Purpose purpose_;
    std::uint64_t step_;
    std::array<std::array<std::uint32_t, 2>, kRounds> keys_{};
    std::uint32_t first_word0_ = 0;
    std::uint32_t first_word1_ = 0;
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
        const std::uint32_t first = next();
        return uniform_from(first, next());
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

inline Stream StreamFamily::stream(std::uint64_t agent) const noexcept { return {seed_, purpose_, agent, step_}; }

}  // namespace ipsim::core
