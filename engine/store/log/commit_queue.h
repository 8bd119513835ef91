#pragma once
// The store's commit threads: they sync the shard logs whose appends wait for durability with a
// callback (ShardLog::when_durable), so that no request thread waits for an fsync.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace shardflow::store::log {

class ShardLog;

/// Logs queued for a sync, each at most once, taken by a few threads that do nothing else. Every
/// sync covers all that was written to its log before it started (group commit), and different
/// logs sync in parallel, as their fsyncs overlap on the device.
/// Threading: request() from any thread; destruction finishes every queued commit first.
class CommitQueue {
public:
    explicit CommitQueue(size_t threads);
    ~CommitQueue();
    CommitQueue(const CommitQueue&) = delete;
    CommitQueue& operator=(const CommitQueue&) = delete;

    /// Queues `log` for a ShardLog::commit_pending on one of the threads.
    void request(std::shared_ptr<ShardLog> log);

private:
    void run();

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<ShardLog>> queue_;  // guarded by mu_
    bool stopping_ = false;                        // guarded by mu_
    std::vector<std::thread> threads_;
};

}  // namespace shardflow::store::log
