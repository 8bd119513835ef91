#pragma once
// Small random values shared by the event generators: LongGenerator.java and
// PriceGenerator.java of nexmark-flink (generator/model).

#include "bench/nexmark/generator/java_random.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace shardflow::nexmark {

/// A random long in [0, n): nextInt(n) when n fits an int, else upstream's (skewed)
/// abs(nextLong() % n), kept because it decides which draws follow.
inline int64_t next_long(JavaRandom& random, int64_t n) {
    if (n < std::numeric_limits<int32_t>::max()) {
        return random.next_int(static_cast<int32_t>(n));
    }
    return java_abs(random.next_long() % n);
}

/// A log-uniform price in cents, 100 .. 100,000,000: round(10^(U[0,1) * 6) * 100).
inline int64_t next_price(JavaRandom& random) {
    return java_round(std::pow(10.0, random.next_double() * 6.0) * 100.0);
}

}  // namespace shardflow::nexmark
