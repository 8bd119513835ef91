#pragma once
// The edge between two stages of a pipeline: batches of records, then watermarks, then the end.

#include "engine/runtime/event_time.h"

#include <span>

namespace shardflow::runtime {

/// Receives what an upstream stage emits. A stage may move out of the batch's elements.
/// Threading: one instance is driven by one thread at a time (the executor's partitioning
/// guarantees it); sinks shared between workers lock internally.
template <class T>
class Downstream {
public:
    virtual ~Downstream() = default;
    virtual void on_batch(std::span<T> batch) = 0;
    /// No record with an event time at or below `watermark` is expected any more (except late
    /// ones).
    virtual void on_watermark(EventTime watermark) = 0;
    /// The input is finished (bounded runs); flush everything.
    virtual void on_end() = 0;
};

/// A stage that only transforms batches: watermarks and the end pass through unchanged.
template <class In, class Out>
class PassThroughTime : public Downstream<In> {
public:
    explicit PassThroughTime(Downstream<Out>& next)
        : next_(next) {}
    void on_watermark(EventTime watermark) override { next_.on_watermark(watermark); }
    void on_end() override { next_.on_end(); }

protected:
    Downstream<Out>& next_;
};

}  // namespace shardflow::runtime
