#pragma once
// Callbacks told when a shard's durable end advances, so that readers waiting for new records
// (SubscribeToShard) push them at once instead of polling.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace shardflow::store::log {

/// Threading: add/remove/notify from any thread. A callback runs on the thread whose commit
/// made records durable, so it must be quick (a flag and a wake-up) and must not call back in.
class DurableListeners {
public:
    using Id = uint64_t;

    Id add(std::function<void()> callback) {
        std::unique_lock lock(mu_);
        callbacks_.emplace(++last_id_, std::move(callback));
        return last_id_;
    }

    /// Once it returns, the callback is not running and will not run again.
    void remove(Id id) {
        std::unique_lock lock(mu_);
        callbacks_.erase(id);
    }

    void notify() const {
        std::shared_lock lock(mu_);
        for (const auto& [id, callback] : callbacks_) {
            callback();
        }
    }

private:
    mutable std::shared_mutex mu_;
    std::map<Id, std::function<void()>> callbacks_;
    Id last_id_ = 0;
};

}  // namespace shardflow::store::log
