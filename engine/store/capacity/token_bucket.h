#pragma once
// A token bucket for the per-shard throughput limits of provisioned streams.

#include "engine/common/clock.h"

#include <algorithm>

namespace shardflow::store {

/// Refills `rate_per_sec` tokens a second up to one second's worth.
/// Threading: not synchronised; the owner guards it.
class TokenBucket {
public:
    explicit TokenBucket(double rate_per_sec)
        : rate_(rate_per_sec)
        , tokens_(rate_per_sec) {}

    /// Takes `n` tokens if they are all there.
    bool try_take(double n, EpochMillis now_ms) {
        refill(now_ms);
        if (tokens_ < n) {
            return false;
        }
        tokens_ -= n;
        return true;
    }

    /// Takes `n` tokens even into debt: later calls wait until it is paid off.
    void take(double n, EpochMillis now_ms) {
        refill(now_ms);
        tokens_ -= n;
    }

    bool available(EpochMillis now_ms) {
        refill(now_ms);
        return tokens_ > 0;
    }

private:
    void refill(EpochMillis now_ms) {
        if (last_ms_ != 0 && now_ms > last_ms_) {
            tokens_ =
                std::min(rate_, tokens_ + rate_ * static_cast<double>(now_ms - last_ms_) / 1000.0);
        }
        last_ms_ = std::max(last_ms_, now_ms);
    }

    double rate_;
    double tokens_;
    EpochMillis last_ms_ = 0;
};

}  // namespace shardflow::store
