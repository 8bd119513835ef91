#pragma once
// Injectable wall clock: the store reads time only through Clock so tests can move it by hand.

#include <atomic>
#include <cstdint>
#include <string>

namespace shardflow {

/// Milliseconds since the Unix epoch.
using EpochMillis = int64_t;

/// Source of wall-clock time. Implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    virtual EpochMillis now_ms() const = 0;
};

/// `ms` as UTC text in a strftime format, e.g. "%Y%m%dT%H%M%SZ".
std::string format_utc(EpochMillis ms, const char* strftime_format);

/// The real clock (std::chrono::system_clock).
class SystemClock final : public Clock {
public:
    EpochMillis now_ms() const override;
    static SystemClock& instance();
};

/// A clock that only moves when told; for retention, expiry and scaling tests.
class FakeClock final : public Clock {
public:
    explicit FakeClock(EpochMillis start_ms)
        : now_(start_ms) {}
    EpochMillis now_ms() const override { return now_.load(std::memory_order_relaxed); }
    void advance_ms(EpochMillis delta) { now_.fetch_add(delta, std::memory_order_relaxed); }
    void set_ms(EpochMillis t) { now_.store(t, std::memory_order_relaxed); }

private:
    std::atomic<EpochMillis> now_;
};

}  // namespace shardflow
