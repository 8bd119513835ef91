#include "apps/demo/live_view.h"

#include <fmt/format.h>

#include <unistd.h>

namespace shardflow::app::demo {
namespace {

std::string seconds(std::chrono::milliseconds ms) {
    return fmt::format("{:.1f} s", static_cast<double>(ms.count()) / 1000.0);
}

}  // namespace

LiveView::LiveView(std::FILE* out)
    : out_(out)
    , terminal_(isatty(fileno(out)) != 0) {}

std::vector<std::string> LiveView::render(const DemoSnapshot& s) const {
    std::vector<std::string> lines;
    lines.push_back(fmt::format("── shardflow demo ── {} of {} ── Ctrl-C stops early",
                                seconds(s.elapsed),
                                seconds(s.duration)));
    std::string shards;
    for (size_t i = 0; i < s.shard_records.size(); ++i) {
        shards += fmt::format("  #{} {}", i, s.shard_records[i]);
    }
    lines.push_back(fmt::format("ingest    {} records ({:.0f}/s), {} failed; event time {}",
                                s.produced,
                                s.rate,
                                s.failed,
                                s.event_time));
    lines.push_back(fmt::format("shards   {}", shards));
    std::string lags;
    for (const auto& q : s.queries) {
        lags += fmt::format("  {} {}", q.name, q.behind);
    }
    lines.push_back(fmt::format("lag      {}", lags));
    lines.push_back(fmt::format(
        "files     {} objects delivered ({} KiB)", s.delivered_objects, s.delivered_bytes / 1024));
    if (s.latest_window.empty()) {
        lines.push_back("minute    no window closed yet");
    } else {
        std::string pages;
        for (const auto& [page, views] : s.latest_window_pages) {
            pages += fmt::format("  {} {}", page, views);
        }
        lines.push_back(fmt::format("minute    {} closed:{}", s.latest_window, pages));
    }
    return lines;
}

void LiveView::show(const DemoSnapshot& snapshot) {
    auto lines = render(snapshot);
    if (!terminal_) {  // a log: one line every 5 s
        auto now = std::chrono::steady_clock::now();
        if (now - last_line_ < std::chrono::seconds(5)) {
            return;
        }
        last_line_ = now;
        fmt::print(out_, "{}\n", fmt::join(lines.begin() + 1, lines.end(), " | "));
        std::fflush(out_);
        return;
    }
    std::string frame;
    if (lines_drawn_ > 0) {
        frame += fmt::format("\x1b[{}F", lines_drawn_);  // back to the frame's first line
    }
    for (const auto& line : lines) {
        frame += line;
        frame += "\x1b[K\n";  // clear what a longer previous line left
    }
    lines_drawn_ = lines.size();
    fmt::print(out_, "{}", frame);
    std::fflush(out_);
}

}  // namespace shardflow::app::demo
