// The system clock and UTC formatting.

#include "engine/common/clock.h"

#include <chrono>
#include <ctime>

namespace shardflow {

EpochMillis SystemClock::now_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_utc(EpochMillis ms, const char* strftime_format) {
    std::time_t secs = ms / 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char out[64];
    size_t n = std::strftime(out, sizeof out, strftime_format, &tm);
    return std::string(out, n);
}

SystemClock& SystemClock::instance() {
    static SystemClock clock;
    return clock;
}

}  // namespace shardflow
