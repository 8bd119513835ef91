// The round loop: read phase, watermark, worker phase; bounded runs stop at the tail.

#include "engine/runtime/executor.h"

#include "engine/runtime/parallel.h"

#include <tbb/info.h>

#include <optional>
#include <set>
#include <thread>

namespace shardflow::runtime {

Executor::Executor(ExecutorOptions options)
    : options_(std::move(options)) {
    if (options_.workers == 0) {
        options_.workers = static_cast<size_t>(tbb::info::default_concurrency());
    }
}

Result<RunStats> Executor::run(Pipeline& pipeline) {
    const size_t workers = options_.workers;
    tbb::task_arena arena(static_cast<int>(workers));
    WatermarkTracker watermarks(options_.watermarks, *options_.clock);
    std::set<PartitionId> known;
    std::vector<PartitionId> previous;
    RunStats stats;
    auto started = std::chrono::steady_clock::now();
    bool input_finished = false;
    const CancelCheck* cancel = options_.cancelled ? &options_.cancelled : nullptr;
    const RunContext context{cancel, options_.state_budget};
    auto abandoned = [&]() -> std::optional<Error> {
        if (cancel && (*cancel)()) {
            return Error{ErrorCode::kCancelled, "the run was cancelled"};
        }
        if (const StateBudget* state = options_.state_budget; state && state->exceeded()) {
            constexpr double kMiB = 1 << 20;
            return Error::make(ErrorCode::kLimitExceeded,
                               "the query keeps {:.1f} MiB of state, more than its limit of "
                               "{:.1f} MiB",
                               static_cast<double>(state->held()) / kMiB,
                               static_cast<double>(state->limit()) / kMiB);
        }
        return std::nullopt;
    };
    pipeline.prepare({}, workers);  // worker stages exist before their state is restored
    {
        RunScope scope(context);  // restored state counts against the budget too
        SF_TRY(restore(pipeline, watermarks, stats));
    }
    auto last_checkpoint = std::chrono::steady_clock::now();

    while (!(options_.stop && options_.stop->load())) {
        if (auto error = abandoned()) {
            return *error;
        }
        SF_ASSIGN_OR_RETURN(auto partitions, pipeline.readable_partitions());
        for (PartitionId id : partitions) {
            if (known.insert(id).second) {
                watermarks.add(id);
            }
        }
        pipeline.prepare(partitions, workers);

        std::vector<std::optional<Result<ReadReport>>> reports(partitions.size());
        parallel_for_each(arena, partitions.size(), [&](size_t i) {
            RunScope scope(context);
            reports[i].emplace(pipeline.read(partitions[i], options_.batch_size));
        });
        uint64_t read = 0;
        bool all_at_tail = true;
        std::vector<PartitionId> finished;
        for (size_t i = 0; i < partitions.size(); ++i) {
            if (!*reports[i]) {
                return reports[i]->error();
            }
            const ReadReport& report = reports[i]->value();
            read += report.read.records;
            all_at_tail = all_at_tail && report.read.at_tail;
            if (report.has_event_time && report.read.records > 0) {
                watermarks.observe(partitions[i], report.max_event_time);
            }
            if (report.read.finished) {
                watermarks.finish(partitions[i]);
                finished.push_back(partitions[i]);
            }
        }
        EventTime watermark = watermarks.advance();
        for (size_t phase = 0; phase < pipeline.phases(); ++phase) {
            parallel_for_each(arena, workers, [&](size_t w) {
                RunScope scope(context);
                pipeline.run_worker(phase, w, partitions, watermark);
            });
        }
        if (auto error = abandoned()) {  // the operators may have left the round unfinished
            return *error;
        }
        for (PartitionId id : finished) {
            pipeline.release(id);
        }
        if (options_.checkpoints.store &&
            std::chrono::steady_clock::now() - last_checkpoint >= options_.checkpoints.interval) {
            SF_TRY(checkpoint(pipeline, watermark, stats));
            last_checkpoint = std::chrono::steady_clock::now();
        }

        stats.records += read;
        stats.rounds += 1;
        stats.watermark = watermark;
        if (options_.on_progress) {
            options_.on_progress(stats.records, watermark);
        }
        if (read == 0 && all_at_tail && finished.empty() && partitions == previous) {
            if (options_.bounded) {
                input_finished = true;
                break;
            }
            std::this_thread::sleep_for(options_.poll_interval);
        }
        previous = std::move(partitions);
    }

    for (size_t phase = 0; phase < pipeline.phases(); ++phase) {
        parallel_for_each(
            arena, workers, [&](size_t w) { pipeline.end_worker(phase, w, input_finished); });
    }
    if (options_.checkpoints.store) {
        SF_TRY(checkpoint(pipeline, input_finished ? kMaxEventTime : watermarks.current(), stats));
    }
    stats.late_records = pipeline.late_records();
    stats.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    return stats;
}

Status Executor::restore(Pipeline& pipeline, WatermarkTracker& watermarks, RunStats& stats) {
    CheckpointStore* store = options_.checkpoints.store;
    if (!store) {
        return ok();
    }
    SF_ASSIGN_OR_RETURN(auto saved, store->load(options_.checkpoints.query));
    if (!saved) {
        return ok();
    }
    SF_TRY(pipeline.restore_workers(saved->worker_states));
    SF_TRY(pipeline.restore_positions(saved->positions));
    watermarks.restore(saved->watermark);
    checkpoint_id_ = saved->id;
    stats.resumed = true;
    return ok();
}

Status Executor::checkpoint(Pipeline& pipeline, EventTime watermark, RunStats& stats) {
    Checkpoint c{
        ++checkpoint_id_, pipeline.save_positions(), pipeline.snapshot_workers(), watermark};
    SF_TRY(options_.checkpoints.store->save(
        options_.checkpoints.query, c, options_.checkpoints.participants));
    ++stats.checkpoints;
    return ok();
}

}  // namespace shardflow::runtime
