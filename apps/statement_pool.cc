#include "apps/statement_pool.h"

namespace shardflow::app {

StatementPool::StatementPool(size_t threads, size_t max_queued)
    : max_queued_(max_queued) {
    for (size_t i = 0; i < threads; ++i) {
        threads_.emplace_back([this] { work(); });
    }
}

StatementPool::~StatementPool() {
    {
        std::lock_guard lock(mu_);
        closing_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) {
        t.join();
    }
}

bool StatementPool::submit(std::function<void()> job) {
    {
        std::lock_guard lock(mu_);
        if (queue_.size() >= max_queued_) {
            return false;
        }
        queue_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
}

void StatementPool::work() {
    while (true) {
        std::function<void()> job;
        {
            std::unique_lock lock(mu_);
            ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // closing, and nothing left to answer
            }
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        job();
    }
}

}  // namespace shardflow::app
