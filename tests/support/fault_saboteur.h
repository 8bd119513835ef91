#pragma once
// While it lives, a thread arms a failing write or sync of the shard logs every 2 ms, so that
// concurrent puts meet I/O errors at every point of their way.

#include "engine/store/log/fault_points.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

namespace shardflow::tests {

class FaultSaboteur {
public:
    FaultSaboteur()
        : thread_([this] {
            for (int i = 0; !done_.load(); ++i) {
                store::log::FaultPoints::arm(i % 2 ? store::log::FaultPoint::kSegmentSync
                                                   : store::log::FaultPoint::kSegmentWrite,
                                             EIO);
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        }) {}

    /// Stops arming and disarms what is armed.
    ~FaultSaboteur() { stop(); }
    void stop() {
        done_ = true;
        if (thread_.joinable()) {
            thread_.join();
        }
        store::log::FaultPoints::disarm_all();
    }

private:
    std::atomic<bool> done_{false};
    std::thread thread_;  // after done_: it starts reading it at once
};

}  // namespace shardflow::tests
