#pragma once
// A bounded in-memory source for runtime tests and benchmarks: fixed partitions of records,
// each finished once read to its end.

#include "engine/runtime/source.h"
#include "engine/runtime/state_codec.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <vector>

namespace shardflow::tests {

template <class T>
class VectorSource final : public runtime::Source<T> {
public:
    explicit VectorSource(std::vector<std::vector<T>> partitions)
        : partitions_(std::move(partitions))
        , next_(partitions_.size(), 0) {}

    std::string describe() const override { return "vector_source"; }

    Result<std::vector<runtime::PartitionId>> readable_partitions() override {
        done_.insert(finishing_.begin(), finishing_.end());
        finishing_.clear();
        std::vector<runtime::PartitionId> out;
        for (runtime::PartitionId p = 0; p < partitions_.size(); ++p) {
            if (!done_.contains(p)) {
                out.push_back(p);
            }
        }
        return out;
    }

    Result<runtime::PartitionRead> read(runtime::PartitionId p,
                                        size_t max_records,
                                        std::vector<T>& out) override {
        const auto& records = partitions_[p];
        size_t n = std::min(max_records, records.size() - next_[p]);
        out.insert(out.end(),
                   records.begin() + static_cast<ptrdiff_t>(next_[p]),
                   records.begin() + static_cast<ptrdiff_t>(next_[p] + n));
        next_[p] += n;
        bool finished = next_[p] == records.size();
        if (finished) {
            std::lock_guard lock(mu_);
            finishing_.push_back(p);
        }
        return runtime::PartitionRead{n, finished, finished};
    }

    std::string save_positions() const override {
        runtime::StateWriter w;
        runtime::encode(w, next_);
        runtime::encode(w, done_);
        return w.take();
    }
    Status restore_positions(std::string_view saved) override {
        runtime::StateReader r(saved);
        runtime::decode(r, next_);
        runtime::decode(r, done_);
        return r.status();
    }

private:
    std::vector<std::vector<T>> partitions_;
    std::vector<size_t> next_;
    std::mutex mu_;
    std::vector<runtime::PartitionId> finishing_;  // guarded by mu_
    std::set<runtime::PartitionId> done_;
};

}  // namespace shardflow::tests
