// Commit threads: take a queued log, sync it, complete the callbacks its sync covers.

#include "engine/store/log/commit_queue.h"

#include "engine/store/log/shard_log.h"

namespace shardflow::store::log {

CommitQueue::CommitQueue(size_t threads) {
    threads_.reserve(threads);
    for (size_t i = 0; i < threads; ++i) {
        threads_.emplace_back([this] { run(); });
    }
}

CommitQueue::~CommitQueue() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) {
        t.join();
    }
}

void CommitQueue::request(std::shared_ptr<ShardLog> log) {
    {
        std::lock_guard lock(mu_);
        queue_.push_back(std::move(log));
    }
    cv_.notify_one();
}

void CommitQueue::run() {
    std::unique_lock lock(mu_);
    while (true) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) {
            return;  // stopping, and nothing left to commit
        }
        std::shared_ptr<ShardLog> log = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        log->commit_pending();
        log.reset();  // the last reference may be this one: destroy it outside the lock
        lock.lock();
    }
}

}  // namespace shardflow::store::log
