/*!
 * @file bench_memory.cpp
 * @brief The machine's streaming memory bandwidth, the floor under any pass over firm columns.
 *
 * docs/performance.md divides the bytes a quarter moves per firm (measured with callgrind's cache
 * simulation) by these rates to give the time no implementation of the same passes can beat.
 * Each benchmark thread streams its own arrays, four times the last-level cache together, so
 * every pass comes from memory; bytes counted are those the loop reads and writes (a store also
 * costs a read for ownership on this hardware, which the counter leaves out, as STREAM does).
 */
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

// 32 MiB of last-level cache on the project's machine; four times it over all threads.
constexpr std::size_t kBytesPerThreadAtOne = std::size_t{128} << 20;

std::size_t doubles_per_thread(const benchmark::State& bs) {
    return kBytesPerThreadAtOne / sizeof(double) / static_cast<std::size_t>(bs.threads());
}

/*! Reads: a sum with eight accumulators, so the adds' latency does not bound the loop. */
void BM_StreamRead(benchmark::State& bs) {
    const std::vector<double> a(doubles_per_thread(bs), 1.0);
    for (auto _ : bs) {
        std::array<double, 8> acc{};
        for (std::size_t i = 0; i + 8 <= a.size(); i += 8) {
            for (std::size_t k = 0; k < 8; ++k) {
                acc[k] += a[i + k];
            }
        }
        benchmark::DoNotOptimize(acc);
    }
    bs.SetBytesProcessed(bs.iterations() * static_cast<std::int64_t>(a.size() * sizeof(double)));
}

/*! Triad a = b + s c: two streams read, one written, the shape of a typical firm pass. */
void BM_StreamTriad(benchmark::State& bs) {
    const std::size_t n = doubles_per_thread(bs) / 3;
    std::vector<double> a(n, 0.0);
    const std::vector<double> b(n, 1.0);
    const std::vector<double> c(n, 2.0);
    for (auto _ : bs) {
        for (std::size_t i = 0; i < n; ++i) {
            a[i] = b[i] + 0.5 * c[i];
        }
        benchmark::DoNotOptimize(a.data());
        benchmark::ClobberMemory();
    }
    bs.SetBytesProcessed(bs.iterations() * static_cast<std::int64_t>(3 * n * sizeof(double)));
}

BENCHMARK(BM_StreamRead)->Threads(1)->Threads(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamTriad)->Threads(1)->Threads(2)->Unit(benchmark::kMillisecond);

}  // namespace
