// The system clock.

#include "engine/common/clock.h"

#include <chrono>

namespace shardflow {

EpochMillis SystemClock::now_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

SystemClock& SystemClock::instance() {
    static SystemClock clock;
    return clock;
}

}  // namespace shardflow
