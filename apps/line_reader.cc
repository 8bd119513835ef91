#include "apps/line_reader.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <editline/readline.h>
#include <unistd.h>

namespace shardflow::app {

LineReader::LineReader(std::filesystem::path history)
    : history_(std::move(history))
    , terminal_(isatty(STDIN_FILENO) != 0) {
    if (terminal_) {
        using_history();
        read_history(history_.c_str());  // none yet is fine
    }
}

LineReader::~LineReader() = default;

std::optional<std::string> LineReader::read(const std::string& prompt) {
    if (terminal_) {
        char* line = readline(prompt.c_str());
        if (!line) {
            return std::nullopt;
        }
        std::string out(line);
        std::free(line);
        return out;
    }
    fmt::print("{}", prompt);
    std::fflush(stdout);
    std::string line;
    if (!std::getline(std::cin, line)) {
        return std::nullopt;
    }
    return line;
}

void LineReader::remember(const std::string& statement) {
    std::string entry;
    for (char c : statement) {  // one history entry per statement, recalled whole
        entry += c == '\n' ? ' ' : c;
    }
    while (!entry.empty() && entry.back() == ' ') {
        entry.pop_back();
    }
    if (entry.empty() || history_.empty()) {
        return;
    }
    if (terminal_) {
        add_history(entry.c_str());
        write_history(history_.c_str());
    } else if (std::FILE* f = std::fopen(history_.c_str(), "a")) {
        fmt::print(f, "{}\n", entry);
        std::fclose(f);
    }
}

}  // namespace shardflow::app
