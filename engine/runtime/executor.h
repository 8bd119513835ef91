#pragma once
// Runs a pipeline in rounds on a oneTBB arena: in each round every readable partition reads one
// batch in parallel, then every worker processes what the exchange routed to it in parallel, then
// the watermark advances. Rounds bound memory (back-pressure: a slow worker delays the next
// read) and give a consistent cut between them, where checkpoints go.

#include "engine/common/clock.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/watermark_tracker.h"

#include <atomic>
#include <chrono>
#include <functional>

namespace shardflow::runtime {

struct ExecutorOptions {
    size_t workers = 0;                           // 0: one per core
    size_t batch_size = 4096;                     // records per partition per round
    bool bounded = false;                         // stop at the tail of every partition (backfill)
    std::chrono::milliseconds poll_interval{50};  // wait when a live round read nothing
    WatermarkOptions watermarks;
    const Clock* clock = &SystemClock::instance();
    const std::atomic<bool>* stop = nullptr;  // a live run ends when this becomes true
    /// Called after every round with the records read so far (progress bars).
    std::function<void(uint64_t records, EventTime watermark)> on_progress;
};

struct RunStats {
    uint64_t records = 0;
    uint64_t rounds = 0;
    std::chrono::milliseconds elapsed{0};
    EventTime watermark = kMinEventTime;
};

class Executor {
public:
    explicit Executor(ExecutorOptions options);

    /// Runs until the input is drained (bounded) or `stop` is set; then ends every worker.
    Result<RunStats> run(Pipeline& pipeline);

private:
    ExecutorOptions options_;
};

}  // namespace shardflow::runtime
