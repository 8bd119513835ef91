#pragma once
// SIGINT and SIGTERM for long-running commands: blocked in every thread (threads started
// afterwards inherit the mask) and waited for between the command's pauses, so a command can
// finish its work (flush, checkpoint, summary) instead of dying mid-write.

#include <chrono>
#include <csignal>
#include <optional>

namespace shardflow::app {

/// Construct it before starting threads. Threading: one caller.
class StopSignal {
public:
    using SteadyClock = std::chrono::steady_clock;

    /// After `deadline`, if one is given, wait() answers true as if a signal had come.
    explicit StopSignal(std::optional<SteadyClock::time_point> deadline = std::nullopt);

    /// Sleeps up to `pause` (not past the deadline); true once it is time to stop.
    bool wait(std::chrono::milliseconds pause);
    /// SIGINT or SIGTERM once one has come, else 0.
    int received() const { return received_; }

private:
    sigset_t signals_;
    std::optional<SteadyClock::time_point> deadline_;
    int received_ = 0;
    bool stopped_ = false;
};

}  // namespace shardflow::app
