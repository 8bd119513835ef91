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
            heads_.push_back(nullptr);
            last_watermark_.push_back(kMinEventTime);
        }
    }

    /// The tail of worker `worker`'s stage before the exchange.
    ExchangeWriter<T>& writer(size_t worker) { return *writers_.at(worker); }
    /// The head of worker `worker`'s stage after the exchange.
    void set_head(size_t worker, Downstream<T>& head) { heads_.at(worker) = &head; }

    void run_worker(size_t worker, EventTime watermark) override {
        Downstream<T>& head = *heads_[worker];
        for (auto& writer : writers_) {
            auto& box = writer->outbox(worker);
            if (!box.empty()) {
                head.on_batch(box);
                box.clear();
            }
        }
        if (watermark > last_watermark_[worker]) {
            last_watermark_[worker] = watermark;
            head.on_watermark(watermark);
        }
    }

    void end_worker(size_t worker, bool input_finished) override {
        run_worker(worker, input_finished ? kMaxEventTime : kMinEventTime);
        heads_[worker]->on_end();
    }

private:
    ExchangeSpec<T> spec_;
    std::vector<std::unique_ptr<ExchangeWriter<T>>> writers_;
    std::vector<Downstream<T>*> heads_;
    std::vector<EventTime> last_watermark_;
};

}  // namespace shardflow::runtime
