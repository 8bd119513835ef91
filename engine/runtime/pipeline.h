#pragma once
// A runnable pipeline, type-erased for the executor: a reader side that pulls batches from the
// partitions of a source through stateless stages into an exchange, and a worker side where each
// worker runs its own copy of the keyed stages on the records the exchange gave it.

#include "engine/common/error.h"
#include "engine/runtime/event_time.h"
#include "engine/runtime/source.h"
#include "engine/runtime/state_codec.h"

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace shardflow::runtime {

/// A stage that counts records it could not use because they came after their window or join
/// buffer closed; the executor reports the sum in RunStats.
class CountsLateRecords {
public:
    virtual ~CountsLateRecords() = default;
    virtual uint64_t late_records() const = 0;
};

/// Owns the stages built for one partition or one worker (stages of different types), and
/// lists those with state for checkpoints, in the order they were built.
class StageArena {
public:
    template <class Stage, class... Args>
    Stage& make(Args&&... args) {
        auto stage = std::make_shared<Stage>(std::forward<Args>(args)...);
        Stage& ref = *stage;
        if constexpr (std::is_base_of_v<Stateful, Stage>) {
            stateful_.push_back(&ref);
        }
        if constexpr (std::is_base_of_v<CountsLateRecords, Stage>) {
            late_counters_.push_back(&ref);
        }
        stages_.push_back(std::move(stage));
        return ref;
    }

    const std::vector<Stateful*>& stateful() const { return stateful_; }

    uint64_t late_records() const {
        uint64_t total = 0;
        for (const CountsLateRecords* stage : late_counters_) {
            total += stage->late_records();
        }
        return total;
    }

private:
    std::vector<std::shared_ptr<void>> stages_;
    std::vector<Stateful*> stateful_;
    std::vector<CountsLateRecords*> late_counters_;
};

/// What one read of a partition produced, for the executor's bookkeeping.
struct ReadReport {
    PartitionRead read;
    bool has_event_time = false;
    EventTime max_event_time = kMinEventTime;
};

/// Threading: prepare() and readable_partitions() from the executor's thread; read() concurrently
/// for distinct partitions; run_worker()/end_worker() concurrently for distinct workers of one
/// phase, never at the same time as read() or another phase.
class Pipeline {
public:
    virtual ~Pipeline() = default;
    virtual std::string describe() const = 0;
    virtual Result<std::vector<PartitionId>> readable_partitions() = 0;
    /// Builds the reader chain of each new partition and the worker chains.
    virtual void prepare(std::span<const PartitionId> partitions, size_t workers) = 0;
    virtual Result<ReadReport> read(PartitionId partition, size_t max_records) = 0;
    /// Worker phases per round: one per exchange (the first after the reader side, one more
    /// for each re-key between keyed stages), run in order.
    virtual size_t phases() const = 0;
    /// Hands worker `worker` what the phase's exchange holds for it (in phase 0, partitions in
    /// the given order), then the watermark.
    virtual void run_worker(size_t phase,
                            size_t worker,
                            std::span<const PartitionId> order,
                            EventTime watermark) = 0;
    /// After the last round, phase by phase: a finished input first closes every window
    /// (watermark +inf).
    virtual void end_worker(size_t phase, size_t worker, bool input_finished) = 0;
    /// A finished partition whose records have all been handed to the workers.
    virtual void release(PartitionId partition) = 0;

    // Checkpoints, taken between rounds (nothing is in flight then). Worker state is one blob
    // per worker, as keys are partitioned by worker.
    virtual std::vector<std::string> snapshot_workers() const = 0;
    virtual Status restore_workers(std::span<const std::string> states) = 0;
    /// Records the workers' windows and joins set aside as late, in total (from checkpoints too).
    virtual uint64_t late_records() const = 0;
    virtual std::string save_positions() const = 0;
    virtual Status restore_positions(std::string_view positions) = 0;
};

}  // namespace shardflow::runtime
