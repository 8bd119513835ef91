#pragma once
// The demo's terminal view: ingest rate, per-shard counts, query lag, files delivered and the
// latest closed window, redrawn in place on a terminal and printed as a line every few seconds
// when the output is a file or a pipe.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace shardflow::app::demo {

struct QueryLag {
    std::string name;
    uint64_t behind = 0;  // records in the stream it has not read yet
};

struct DemoSnapshot {
    std::chrono::milliseconds elapsed{0};
    std::chrono::milliseconds duration{0};
    uint64_t produced = 0;  // acknowledged by the server
    uint64_t failed = 0;    // given up after retries
    double rate = 0;        // records/s since the previous snapshot
    std::vector<uint64_t> shard_records;
    std::vector<QueryLag> queries;
    std::string event_time;  // of the latest click generated
    uint64_t delivered_objects = 0;
    uint64_t delivered_bytes = 0;
    std::string latest_window;  // the last closed minute of page views, or empty
    std::vector<std::pair<std::string, std::string>> latest_window_pages;  // page, views
};

class LiveView {
public:
    /// Redraws in place when `out` is a terminal.
    explicit LiveView(std::FILE* out);
    void show(const DemoSnapshot& snapshot);

private:
    /// Lines of at most `width` columns where it can (the lag entries wrap).
    std::vector<std::string> render(const DemoSnapshot& snapshot, size_t width) const;

    std::FILE* out_;
    bool terminal_;
    size_t lines_drawn_ = 0;
    std::chrono::steady_clock::time_point last_line_{};
};

}  // namespace shardflow::app::demo
