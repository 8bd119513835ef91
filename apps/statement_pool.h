#pragma once
// The threads SQL statements run on, so that a long statement never holds an I/O thread, with a
// bounded queue so that a flood of statements is refused instead of piling up.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace shardflow::app {

/// Threading: submit() from any thread; the destructor runs what is queued, then joins.
class StatementPool {
public:
    StatementPool(size_t threads, size_t max_queued);
    ~StatementPool();
    StatementPool(const StatementPool&) = delete;
    StatementPool& operator=(const StatementPool&) = delete;

    /// Queues `job` for the next free thread; false when max_queued jobs wait already.
    bool submit(std::function<void()> job);

    size_t threads() const { return threads_.size(); }
    size_t max_queued() const { return max_queued_; }

private:
    void work();

    const size_t max_queued_;
    std::mutex mu_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> queue_;
    bool closing_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace shardflow::app
