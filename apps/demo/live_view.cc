#include "apps/demo/live_view.h"

#include <fmt/format.h>

#include <cstdint>

#include <sys/ioctl.h>
#include <unistd.h>

namespace shardflow::app::demo {
namespace {

std::string seconds(std::chrono::milliseconds ms) {
    return fmt::format("{:.1f} s", static_cast<double>(ms.count()) / 1000.0);
}

/// The terminal's width in columns (80 if it does not say).
size_t terminal_width(std::FILE* out) {
    winsize size{};
    return ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
}

/// `line` cut to `columns` characters (UTF-8: continuation bytes take no column), so that no
/// line wraps and redrawing in place stays aligned.
std::string fit(const std::string& line, size_t columns) {
    size_t used = 0;
    for (size_t i = 0; i < line.size(); ++i) {
        bool continuation = (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80;
        if (!continuation && ++used > columns) {
            return line.substr(0, i);
        }
    }
    return line;
}

}  // namespace

LiveView::LiveView(std::FILE* out)
    : out_(out)
    , terminal_(isatty(fileno(out)) != 0) {}

std::vector<std::string> LiveView::render(const DemoSnapshot& s, size_t width) const {
    constexpr std::string_view kIndent = "          ";  // under the labels, which are this wide
    std::vector<std::string> lines;
    lines.push_back(fmt::format("── shardflow demo ── {} of {} ── Ctrl-C stops early",
                                seconds(s.elapsed),
                                seconds(s.duration)));
    lines.push_back(fmt::format("ingest    {} records ({:.0f}/s), {} failed; event time {}",
                                s.produced,
                                s.rate,
                                s.failed,
                                s.event_time));
    lines.push_back("shards    ");
    for (size_t i = 0; i < s.shard_records.size(); ++i) {
        lines.back() += fmt::format("{}#{} {}", i ? "  " : "", i, s.shard_records[i]);
    }
    lines.push_back("lag       ");  // records each query has yet to read
    for (const auto& q : s.queries) {
        std::string entry = fmt::format("{} {}", q.name, q.behind);
        if (lines.back().size() > kIndent.size()) {
            if (lines.back().size() + 2 + entry.size() > width) {
                lines.emplace_back(kIndent);
            } else {
                lines.back() += "  ";
            }
        }
        lines.back() += entry;
    }
    lines.push_back(fmt::format(
        "files     {} objects delivered ({} KiB)", s.delivered_objects, s.delivered_bytes / 1024));
    if (s.latest_window.empty()) {
        lines.push_back("minute    no window closed yet");
    } else {
        lines.push_back(fmt::format("minute    {} closed:", s.latest_window));
        for (const auto& [page, views] : s.latest_window_pages) {
            lines.back() += fmt::format("  {} {}", page, views);
        }
    }
    return lines;
}

void LiveView::show(const DemoSnapshot& snapshot) {
    const size_t width = terminal_ ? terminal_width(out_) - 1 : SIZE_MAX;
    auto lines = render(snapshot, width);
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
        frame += fit(line, width);
        frame += "\x1b[K\n";  // clear what a longer previous line left
    }
    frame += "\x1b[J";  // and what a taller previous frame left below
    lines_drawn_ = lines.size();
    fmt::print(out_, "{}", frame);
    std::fflush(out_);
}

}  // namespace shardflow::app::demo
