#pragma once
// Lines for the SQL REPL: with line editing and a history kept across sessions (editline,
// BSD-licensed) when stdin is a terminal; plain reads when it is a pipe or a file.

#include <filesystem>
#include <optional>
#include <string>

namespace shardflow::app {

class LineReader {
public:
    /// `history`: where entered statements are kept (read at start, appended as they run).
    explicit LineReader(std::filesystem::path history);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    /// The next line without its newline, or nullopt at end of input (Ctrl-D).
    std::optional<std::string> read(const std::string& prompt);
    /// Adds a statement (one entry, even when it spans lines) to the history.
    void remember(const std::string& statement);

private:
    std::filesystem::path history_;
    bool terminal_;
};

}  // namespace shardflow::app
