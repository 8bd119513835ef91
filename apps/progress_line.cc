// Terminal or log: where a progress line goes, and how often.

#include "apps/progress_line.h"

#include <fmt/format.h>

#include <cstdio>

#include <unistd.h>

namespace shardflow::app {

ProgressLine::ProgressLine(std::chrono::seconds log_every)
    : tty_(isatty(fileno(stderr)) != 0)
    , every_(tty_ ? std::chrono::steady_clock::duration(std::chrono::milliseconds(200))
                  : std::chrono::steady_clock::duration(log_every))
    , last_(std::chrono::steady_clock::now()) {}

void ProgressLine::show(const std::string& text) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < every_) {
        return;
    }
    last_ = now;
    shown_ = true;
    if (tty_) {
        fmt::print(stderr, "\r{}\x1b[K", text);
    } else {
        fmt::print(stderr, "{}\n", text);
    }
    std::fflush(stderr);
}

void ProgressLine::finish() {
    if (tty_ && shown_) {
        fmt::print(stderr, "\n");
    }
    shown_ = false;
}

}  // namespace shardflow::app
