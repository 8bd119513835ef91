#pragma once
// What rendering one record needs besides the template: a seeded PRNG, the record's sequence
// number and the time it was made.

#include "engine/common/clock.h"

#include <cstdint>

namespace shardflow::connectors {

/// splitmix64 (Steele, Lea, Flood 2014): small, fast, and the same numbers everywhere for a
/// seed, unlike the distributions of <random>, whose output differs between libraries.
class TemplateRng {
public:
    explicit TemplateRng(uint64_t seed)
        : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n) (the modulo bias is below 2^-40 for the ranges templates use).
    uint64_t below(uint64_t n) { return n == 0 ? next() : next() % n; }
    /// Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    uint64_t state_;
};

/// Per generator; every placeholder of one record sees the same `sequence` and `now_ms`.
struct RenderState {
    TemplateRng rng;
    uint64_t sequence = 0;  // 1 for the first record
    EpochMillis now_ms = 0;
};

}  // namespace shardflow::connectors
