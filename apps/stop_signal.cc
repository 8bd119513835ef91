#include "apps/stop_signal.h"

#include <algorithm>

namespace shardflow::app {

StopSignal::StopSignal(std::optional<SteadyClock::time_point> deadline)
    : deadline_(deadline) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

bool StopSignal::wait(std::chrono::milliseconds pause) {
    if (stopped_) {
        return true;
    }
    if (deadline_) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - SteadyClock::now());
        pause = std::clamp(left, std::chrono::milliseconds(0), pause);
    }
    timespec timeout{static_cast<time_t>(pause.count() / 1000),
                     static_cast<long>(pause.count() % 1000) * 1000000L};
    int signal = sigtimedwait(&signals_, nullptr, &timeout);
    if (signal > 0) {
        received_ = signal;
    }
    stopped_ = received_ != 0 || (deadline_ && SteadyClock::now() >= *deadline_);
    return stopped_;
}

}  // namespace shardflow::app
