#pragma once
// The SQL sessions of a server's clients, by the id each client sends (`x-shardflow-session`),
// so that one client's SET never changes another's statements. Bounded: the least recently used
// session makes room for a new one.

#include "service/statement_io.h"

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace shardflow::app {

inline constexpr std::string_view kSessionHeader = "x-shardflow-session";

/// Threading: every method is safe from any thread.
class SqlSessions {
public:
    explicit SqlSessions(size_t capacity)
        : capacity_(capacity) {}

    /// The session of `id`, new when unknown or forgotten; a request without an id gets a
    /// session of its own, for its statements only.
    std::shared_ptr<service::SqlSession> of(std::string_view id);

private:
    using Order = std::list<std::string>;  // most recently used first
    struct Entry {
        std::shared_ptr<service::SqlSession> session;
        Order::iterator in_order;
    };

    const size_t capacity_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> sessions_;
    Order order_;
};

}  // namespace shardflow::app
