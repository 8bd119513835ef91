#pragma once
// What the executor reads from: a set of partitions (shards) that may change while it runs.

#include "engine/common/error.h"
#include "engine/runtime/event_time.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::runtime {

using PartitionId = uint32_t;

/// How a read of one partition ended.
struct PartitionRead {
    size_t records = 0;
    bool at_tail = false;   // nothing more to read right now
    bool finished = false;  // closed and drained: it will never have more (its children may)
};

/// A partitioned input of T. Records of one partition are read in order by one thread at a time;
/// different partitions are read in parallel. Views in a T stay valid until the next read of
/// the same partition.
template <class T>
class Source {
public:
    virtual ~Source() = default;
    virtual std::string describe() const = 0;
    /// The partitions to read now: for shards, parents come before their children, so a child
    /// appears only once its parents are finished. Called between rounds.
    virtual Result<std::vector<PartitionId>> readable_partitions() = 0;
    /// Appends up to `max_records` records of `partition` to `out`.
    virtual Result<PartitionRead> read(PartitionId partition,
                                       size_t max_records,
                                       std::vector<T>& out) = 0;

    /// Where every partition is, for a checkpoint; restore_positions() resumes from it before
    /// the first round. A source that cannot resume says so.
    virtual std::string save_positions() const { return {}; }
    virtual Status restore_positions(std::string_view positions) {
        if (positions.empty()) {
            return ok();
        }
        return Error::make(
            ErrorCode::kInvalidArgument, "{} cannot resume from a checkpoint", describe());
    }
};

}  // namespace shardflow::runtime
