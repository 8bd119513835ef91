#pragma once
// Progress of a long-running command on stderr: one line rewritten in place on a terminal,
// otherwise (a log file, a pipe) a line now and then.

#include <chrono>
#include <string>

namespace shardflow::app {

/// Threading: one caller.
class ProgressLine {
public:
    /// `log_every`: how often a line is written when stderr is not a terminal.
    explicit ProgressLine(std::chrono::seconds log_every);

    /// Shows `text` (at most ~5 times a second on a terminal).
    void show(const std::string& text);
    /// Ends the live line so that what follows starts on a line of its own.
    void finish();

private:
    bool tty_;
    std::chrono::steady_clock::duration every_;
    std::chrono::steady_clock::time_point last_{};
    bool shown_ = false;
};

}  // namespace shardflow::app
