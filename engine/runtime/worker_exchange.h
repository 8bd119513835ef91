#pragma once
// A later exchange, between the workers: the records one keyed stage emits, routed by a new key
// to the worker that runs the next keyed stage for it (counts per auction, then the maximum per
// window). The executor runs it as a phase of its own after the stage before it, so a round
// moves everything the first stage emitted through the second before the next read.

#include "engine/runtime/exchange.h"

#include <functional>
#include <memory>
#include <vector>

namespace shardflow::runtime {

/// Threading: prepare() alone; run_worker()/end_worker() concurrently for distinct workers.
class WorkerExchange {
public:
    virtual ~WorkerExchange() = default;
    virtual void prepare(size_t workers) = 0;
    /// Hands worker `worker` what every worker's stage before routed to it, in worker order,
    /// then the watermark.
    virtual void run_worker(size_t worker, EventTime watermark) = 0;
    /// After the last round, once the stage before has ended on every worker.
    virtual void end_worker(size_t worker, bool input_finished) = 0;
};

template <class T>
class TypedWorkerExchange final : public WorkerExchange {
public:
    explicit TypedWorkerExchange(std::function<size_t(const T&)> key_hash)
        : spec_{std::move(key_hash), nullptr} {}

    void prepare(size_t workers) override {
        while (writers_.size() < workers) {
            writers_.push_back(
                std::make_unique<ExchangeWriter<T>>(spec_, writers_.size(), workers));
            inboxes_.emplace_back();
        }
    }

    /// The tail of worker `worker`'s stage before the exchange.
    ExchangeWriter<T>& writer(size_t worker) { return *writers_.at(worker); }
    /// The head of worker `worker`'s stage after the exchange.
    void set_head(size_t worker, Downstream<T>& head) { inboxes_.at(worker).set_head(head); }

    void run_worker(size_t worker, EventTime watermark) override {
        WorkerInbox<T>& inbox = inboxes_[worker];
        for (auto& writer : writers_) {
            inbox.take(writer->outbox(worker));
        }
        inbox.advance(watermark);
    }

    void end_worker(size_t worker, bool input_finished) override {
        run_worker(worker, input_finished ? kMaxEventTime : kMinEventTime);
        inboxes_[worker].head().on_end();
    }

private:
    ExchangeSpec<T> spec_;
    std::vector<std::unique_ptr<ExchangeWriter<T>>> writers_;
    std::vector<WorkerInbox<T>> inboxes_;
};

}  // namespace shardflow::runtime
