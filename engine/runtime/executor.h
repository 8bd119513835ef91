#pragma once
// Runs a pipeline in rounds on a oneTBB arena: in each round every readable partition reads one
// batch in parallel, then every worker processes what the exchange routed to it in parallel, then
// the watermark advances. Rounds bound memory (back-pressure: a slow worker delays the next
// read) and give a consistent cut between them, where checkpoints go.

#include "engine/common/clock.h"
#include "engine/runtime/checkpoint/checkpoint_store.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/run_scope.h"
#include "engine/runtime/watermark_tracker.h"

#include <atomic>
#include <chrono>
#include <functional>

namespace shardflow::runtime {

/// Where and how often a query checkpoints; no store means no checkpoints.
struct CheckpointOptions {
    CheckpointStore* store = nullptr;
    std::string query;  // the checkpoint's name: the query's
    std::chrono::milliseconds interval{1000};
    std::vector<CheckpointParticipant*> participants;  // exactly-once sinks
};

struct ExecutorOptions {
    size_t workers = 0;                           // 0: one per core
    size_t batch_size = 4096;                     // records per partition per round
    bool bounded = false;                         // stop at the tail of every partition (backfill)
    std::chrono::milliseconds poll_interval{50};  // wait when a live round read nothing
    WatermarkOptions watermarks;
    const Clock* clock = &SystemClock::instance();
    const std::atomic<bool>* stop = nullptr;  // a live run ends when this becomes true
    /// Abandons the run as soon as it answers true (between rounds, and mid-batch where an
    /// operator asks): the run fails with kCancelled, with no final checkpoint and no end of
    /// input. For runs whose output is thrown away then, such as a SELECT past its timeout.
    CancelCheck cancelled;
    /// What the operators count of the state they keep; the run fails with kLimitExceeded after
    /// the round that takes it past its limit.
    StateBudget* state_budget = nullptr;
    /// A run with a store resumes from the query's last checkpoint and checkpoints after a round
    /// every `interval`, and once more when it ends.
    CheckpointOptions checkpoints;
    /// Called after every round with the records read so far (progress bars).
    std::function<void(uint64_t records, EventTime watermark)> on_progress;
};

struct RunStats {
    uint64_t records = 0;
    uint64_t rounds = 0;
    uint64_t checkpoints = 0;
    bool resumed = false;  // started from a checkpoint
    std::chrono::milliseconds elapsed{0};
    EventTime watermark = kMinEventTime;
    uint64_t late_records = 0;  // after their window or join buffer closed (see the late outputs)
};

class Executor {
public:
    explicit Executor(ExecutorOptions options);

    /// Runs until the input is drained (bounded) or `stop` is set; then ends every worker. Fails
    /// with kCancelled when `cancelled` says so, kLimitExceeded past the state budget.
    Result<RunStats> run(Pipeline& pipeline);

private:
    Status restore(Pipeline& pipeline, WatermarkTracker& watermarks, RunStats& stats);
    Status checkpoint(Pipeline& pipeline, EventTime watermark, RunStats& stats);

    ExecutorOptions options_;
    uint64_t checkpoint_id_ = 0;
};

}  // namespace shardflow::runtime
