#pragma once
// The part of a sink that can fail: batches are written one at a time under a lock, and the
// first failure stops the sink and stays in status() for the query's owner to report.

#include "engine/common/error.h"
#include "engine/runtime/downstream.h"

#include <mutex>
#include <optional>
#include <vector>

namespace shardflow::connectors {

/// Derived sinks encode a batch outside the lock, then call write() to store it.
template <class T>
class FailingSink : public runtime::Downstream<T> {
public:
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

    Status status() const {
        std::lock_guard lock(mu_);
        if (error_) {
            return *error_;
        }
        return ok();
    }

protected:
    /// Runs `store()` (which returns a Status) unless an earlier write failed.
    template <class Store>
    void write(Store&& store) {
        std::lock_guard lock(mu_);
        if (error_) {
            return;
        }
        if (Status s = store(); !s) {
            error_ = s.error();
        }
    }

private:
    mutable std::mutex mu_;
    std::optional<Error> error_;
};

}  // namespace shardflow::connectors
