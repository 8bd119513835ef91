#pragma once
// The Pipeline the builder produces for an exchanged record type T: per-partition reader chains
// ending in an ExchangeWriter<T>, and per-worker chains starting with a Downstream<T>.

#include "engine/runtime/exchange.h"
#include "engine/runtime/pipeline.h"
#include "engine/runtime/worker_exchange.h"

#include <functional>
#include <map>

namespace shardflow::runtime {

/// Reads one partition's batch and pushes it through the partition's stages.
class ReaderChain {
public:
    virtual ~ReaderChain() = default;
    virtual Result<PartitionRead> read(PartitionId partition, size_t max_records) = 0;
};

/// The head of a reader chain: pulls from the source into a reusable buffer.
template <class S>
class SourceReader final : public ReaderChain {
public:
    SourceReader(Source<S>& source, Downstream<S>& next)
        : source_(source)
        , next_(next) {}

    Result<PartitionRead> read(PartitionId partition, size_t max_records) override {
        buffer_.clear();
        SF_ASSIGN_OR_RETURN(auto result, source_.read(partition, max_records, buffer_));
        if (!buffer_.empty()) {
            next_.on_batch(buffer_);
        }
        return result;
    }

private:
    Source<S>& source_;
    Downstream<S>& next_;
    std::vector<S> buffer_;
};

/// How to build the reader side of a stream whose records are T at its end.
template <class T>
struct ReaderPlan {
    std::shared_ptr<void> source;  // keeps the source alive
    std::function<std::string()> describe;
    std::function<Result<std::vector<PartitionId>>()> readable_partitions;
    std::function<std::string()> save_positions;
    std::function<Status(std::string_view)> restore_positions;
    /// The chain of one partition (partitions of a union come from different inputs).
    std::function<std::unique_ptr<ReaderChain>(PartitionId, Downstream<T>& tail, StageArena& arena)>
        build;
};

/// Builds worker `worker`'s chain for exchanged records T and returns its head. A chain with
/// later exchanges ends each stage before one in the exchange's writer for the worker and
/// registers the next stage's head with it.
template <class T>
using WorkerPlan = std::function<Downstream<T>&(StageArena& arena, size_t worker)>;

template <class T>
class TypedPipeline final : public Pipeline {
public:
    TypedPipeline(std::string description,
                  ReaderPlan<T> reader,
                  ExchangeSpec<T> spec,
                  WorkerPlan<T> worker,
                  std::vector<std::shared_ptr<WorkerExchange>> later_exchanges = {})
        : description_(std::move(description))
        , reader_(std::move(reader))
        , spec_(std::move(spec))
        , worker_(std::move(worker))
        , later_exchanges_(std::move(later_exchanges)) {}

    std::string describe() const override { return description_; }

    Result<std::vector<PartitionId>> readable_partitions() override {
        return reader_.readable_partitions();
    }

    void prepare(std::span<const PartitionId> partitions, size_t workers) override {
        for (auto& exchange : later_exchanges_) {
            exchange->prepare(workers);  // the worker chains end in their writers
        }
        while (inboxes_.size() < workers) {
            auto& arena = *worker_arenas_.emplace_back(std::make_unique<StageArena>());
            Downstream<T>& head = worker_(arena, inboxes_.size());
            inboxes_.emplace_back().set_head(head);
        }
        for (PartitionId id : partitions) {
            if (slots_.contains(id)) {
                continue;
            }
            auto slot = std::make_unique<Slot>();
            slot->exchange = &slot->arena.template make<ExchangeWriter<T>>(spec_, id, workers);
            slot->chain = reader_.build(id, *slot->exchange, slot->arena);
            slots_.emplace(id, std::move(slot));
        }
    }

    Result<ReadReport> read(PartitionId partition, size_t max_records) override {
        Slot& slot = *slots_.at(partition);
        ReadReport report;
        SF_ASSIGN_OR_RETURN(report.read, slot.chain->read(partition, max_records));
        report.has_event_time = static_cast<bool>(spec_.event_time);
        report.max_event_time = slot.exchange->take_max_event_time();
        return report;
    }

    size_t phases() const override { return 1 + later_exchanges_.size(); }

    void run_worker(size_t phase,
                    size_t worker,
                    std::span<const PartitionId> order,
                    EventTime watermark) override {
        if (phase > 0) {
            later_exchanges_[phase - 1]->run_worker(worker, watermark);
            return;
        }
        WorkerInbox<T>& inbox = inboxes_[worker];
        for (PartitionId id : order) {
            inbox.take(slots_.at(id)->exchange->outbox(worker));
        }
        inbox.advance(watermark);
    }

    void end_worker(size_t phase, size_t worker, bool input_finished) override {
        if (phase > 0) {
            later_exchanges_[phase - 1]->end_worker(worker, input_finished);
            return;
        }
        if (input_finished) {
            inboxes_[worker].head().on_watermark(kMaxEventTime);
        }
        inboxes_[worker].head().on_end();
    }

    void release(PartitionId partition) override { slots_.erase(partition); }

    std::vector<std::string> snapshot_workers() const override {
        std::vector<std::string> states;
        for (const auto& arena : worker_arenas_) {
            StateWriter w;
            for (const Stateful* stage : arena->stateful()) {
                stage->snapshot(w);
            }
            states.push_back(w.take());
        }
        return states;
    }

    Status restore_workers(std::span<const std::string> states) override {
        if (states.size() != worker_arenas_.size()) {
            return Error::make(
                ErrorCode::kInvalidArgument,
                "the checkpoint was taken with {} workers, this run has {}; run with {}",
                states.size(),
                worker_arenas_.size(),
                states.size());
        }
        for (size_t i = 0; i < states.size(); ++i) {
            StateReader r(states[i]);
            for (Stateful* stage : worker_arenas_[i]->stateful()) {
                stage->restore(r);
            }
            SF_TRY(r.status());
        }
        return ok();
    }

    uint64_t late_records() const override {
        uint64_t total = 0;
        for (const auto& arena : worker_arenas_) {
            total += arena->late_records();
        }
        return total;
    }

    std::string save_positions() const override { return reader_.save_positions(); }
    Status restore_positions(std::string_view positions) override {
        return reader_.restore_positions(positions);
    }

private:
    struct Slot {
        StageArena arena;
        ExchangeWriter<T>* exchange = nullptr;
        std::unique_ptr<ReaderChain> chain;
    };

    std::string description_;
    ReaderPlan<T> reader_;
    ExchangeSpec<T> spec_;
    WorkerPlan<T> worker_;
    std::vector<std::shared_ptr<WorkerExchange>> later_exchanges_;
    std::map<PartitionId, std::unique_ptr<Slot>> slots_;
    std::vector<std::unique_ptr<StageArena>> worker_arenas_;
    std::vector<WorkerInbox<T>> inboxes_;
};

}  // namespace shardflow::runtime
