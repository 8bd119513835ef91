#pragma once
// Collects every record in memory: for tests, examples and small result sets.

#include "engine/runtime/downstream.h"

#include <mutex>
#include <vector>

namespace shardflow::connectors {

/// Threading: shared by every worker; on_batch locks.
template <class T>
class CollectSink final : public runtime::Downstream<T> {
public:
    void on_batch(std::span<T> batch) override {
        std::lock_guard lock(mu_);
        records_.insert(records_.end(), batch.begin(), batch.end());
    }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

    std::vector<T> records() const {
        std::lock_guard lock(mu_);
        return records_;
    }

private:
    mutable std::mutex mu_;
    std::vector<T> records_;
};

}  // namespace shardflow::connectors
