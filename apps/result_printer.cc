#include "apps/result_printer.h"

#include <fmt/format.h>

#include <algorithm>

namespace shardflow::app {
namespace {

/// Display width: code points, not bytes (UTF-8 page names line up).
size_t width(const std::string& s) {
    return static_cast<size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void print_line(std::FILE* out,
                const std::vector<std::string>& cells,
                const std::vector<size_t>& widths) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
        line += (i ? " | " : " ") + cells[i] + std::string(widths[i] - width(cells[i]), ' ');
    }
    fmt::print(out, "{}\n", line);
}

}  // namespace

void print_result(std::FILE* out, const service::ResultSet& result) {
    if (!result.columns.empty()) {
        std::vector<size_t> widths;
        for (const auto& c : result.columns) {
            widths.push_back(width(c));
        }
        for (const auto& row : result.rows) {
            for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
                widths[i] = std::max(widths[i], width(row[i]));
            }
        }
        print_line(out, result.columns, widths);
        std::string rule;
        for (size_t i = 0; i < widths.size(); ++i) {
            rule += (i ? "-+-" : "-") + std::string(widths[i], '-');
        }
        fmt::print(out, "{}\n", rule);
        for (const auto& row : result.rows) {
            print_line(out, row, widths);
        }
        fmt::print(out, "({} row{})\n", result.rows.size(), result.rows.size() == 1 ? "" : "s");
    }
    if (!result.message.empty()) {
        fmt::print(out, "{}\n", result.message);
    }
}

}  // namespace shardflow::app
