#pragma once
// java.util.Random, bit for bit: the 48-bit linear congruential generator of the JDK
// (java/util/Random.java, whose algorithm the Javadoc specifies), and the java.lang.Math
// helpers the Nexmark generator leans on. Upstream seeds one Random per event, so the
// same seed must give the same draws here as in a JVM.

#include <cmath>
#include <cstdint>

namespace shardflow::nexmark {

class JavaRandom {
public:
    explicit JavaRandom(int64_t seed)
        : seed_((static_cast<uint64_t>(seed) ^ kMultiplier) & kMask) {}

    /// Random.next(bits): advances the LCG and returns its top `bits` bits (as a signed int).
    int32_t next(int bits) {
        seed_ = (seed_ * kMultiplier + kAddend) & kMask;
        return static_cast<int32_t>(static_cast<uint32_t>(seed_ >> (48 - bits)));
    }

    int32_t next_int() { return next(32); }

    /// Random.nextInt(bound), bound > 0: the power-of-two shortcut, else the rejection loop
    /// that drops the top partial range (its `u - r + m < 0` test relies on int overflow).
    int32_t next_int(int32_t bound) {
        int32_t r = next(31);
        const int32_t m = bound - 1;
        if ((bound & m) == 0) {
            return static_cast<int32_t>((static_cast<int64_t>(bound) * r) >> 31);
        }
        for (int32_t u = r; wrapping_add(u - (r = u % bound), m) < 0; u = next(31)) {
        }
        return r;
    }

    /// Random.nextLong(): ((long) next(32) << 32) + next(32), the low half sign-extended.
    int64_t next_long() {
        const uint64_t high = static_cast<uint64_t>(static_cast<int64_t>(next(32))) << 32;
        const uint64_t low = static_cast<uint64_t>(static_cast<int64_t>(next(32)));
        return static_cast<int64_t>(high + low);
    }

    /// Random.nextDouble(): 53 random bits scaled to [0, 1).
    double next_double() {
        const int64_t high = static_cast<int64_t>(next(26)) << 27;
        return static_cast<double>(high + next(27)) * 0x1.0p-53;
    }

    float next_float() { return static_cast<float>(next(24)) / static_cast<float>(1 << 24); }

    bool next_boolean() { return next(1) != 0; }

private:
    static constexpr uint64_t kMultiplier = 0x5DEECE66DULL;
    static constexpr uint64_t kAddend = 0xBULL;
    static constexpr uint64_t kMask = (1ULL << 48) - 1;

    // Java int addition wraps; signed overflow in C++ is undefined, so add as unsigned.
    static int32_t wrapping_add(int32_t a, int32_t b) {
        return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
    }

    uint64_t seed_;
};

/// Math.round(double): the nearest long, ties toward positive infinity (not away from zero,
/// and exact for 0.49999999999999994, unlike floor(x + 0.5)).
inline int64_t java_round(double x) {
    const double floor = std::floor(x);
    return static_cast<int64_t>(x - floor >= 0.5 ? floor + 1.0 : floor);
}

/// Math.abs(int): wraps, so Math.abs(Integer.MIN_VALUE) stays negative.
inline int32_t java_abs(int32_t x) {
    return x < 0 ? static_cast<int32_t>(0U - static_cast<uint32_t>(x)) : x;
}

/// Math.abs(long), wrapping like Java.
inline int64_t java_abs(int64_t x) {
    return x < 0 ? static_cast<int64_t>(0ULL - static_cast<uint64_t>(x)) : x;
}

/// Integer.reverse(int): the 32 bits in reverse order.
inline int32_t java_integer_reverse(int32_t value) {
    uint32_t x = static_cast<uint32_t>(value);
    x = ((x & 0x55555555U) << 1) | ((x >> 1) & 0x55555555U);
    x = ((x & 0x33333333U) << 2) | ((x >> 2) & 0x33333333U);
    x = ((x & 0x0F0F0F0FU) << 4) | ((x >> 4) & 0x0F0F0F0FU);
    x = (x << 24) | ((x & 0xFF00U) << 8) | ((x >> 8) & 0xFF00U) | (x >> 24);
    return static_cast<int32_t>(x);
}

}  // namespace shardflow::nexmark
