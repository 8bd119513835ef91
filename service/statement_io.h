#pragma once
// What a statement is given (its client's session, where push rows go, when to stop) and what it
// answers.

#include "engine/common/error.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace shardflow::service {

/// What a statement answers: rows (SELECT, SHOW, DESCRIBE, EXPLAIN) or a message.
struct ResultSet {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::string message;  // "Stream clicks created.", or empty

    static ResultSet say(std::string text) { return ResultSet{{}, {}, std::move(text)}; }
};

struct ScriptResult {
    std::vector<ResultSet> results;
    std::optional<Error> error;  // the first failing statement stops the script
};

/// Where a push query (SELECT ... EMIT CHANGES) sends its rows, and when it stops (its LIMIT,
/// or these).
struct PushOptions {
    /// Each row as it comes; when empty, rows are gathered into the statement's ResultSet and
    /// the query stops after `max_duration` (an HTTP answer cannot stream).
    std::function<void(const std::vector<std::string>& row)> output;
    const std::atomic<bool>* stop = nullptr;  // the caller's (Ctrl-C, the server stopping)
    std::chrono::milliseconds max_duration{10000};
};

/// What SET changes, for the client that said it: each client of a server has its own.
struct SqlSession {
    bool batch = false;  // execution.runtime-mode
};

/// When a statement must give up: at its timeout (none when zero), or when its caller stops.
class StatementDeadline {
public:
    StatementDeadline(std::chrono::milliseconds timeout, const std::atomic<bool>* stop)
        : timeout_(timeout)
        , at_(std::chrono::steady_clock::now() + timeout)
        , stop_(stop) {}

    bool timed_out() const {
        return timeout_.count() > 0 && std::chrono::steady_clock::now() > at_;
    }
    bool stopped() const { return stop_ && stop_->load(); }
    bool over() const { return stopped() || timed_out(); }
    std::chrono::milliseconds timeout() const { return timeout_; }

    /// Why the statement ended early; call when over().
    Error reason(std::string_view statement) const;

private:
    std::chrono::milliseconds timeout_;
    std::chrono::steady_clock::time_point at_;
    const std::atomic<bool>* stop_;
};

}  // namespace shardflow::service
