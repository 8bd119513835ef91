#pragma once
// The demo's producer: click events from a record template, at a steady rate, sent with
// PutRecords to the demo's own server (the path any Kinesis producer takes). Event time runs
// `speed` times faster than the wall clock so that minute windows close while the demo runs.

#include "engine/common/error.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace shardflow::app::demo {

struct ProducerOptions {
    std::string endpoint;
    std::string stream;
    double rate = 200;  // records per second of wall-clock time
    int speed = 20;     // seconds of event time per second of wall-clock time
    uint64_t seed = 1;
};

struct ProducerStats {
    uint64_t sent = 0;       // acknowledged
    uint64_t failed = 0;     // given up after retries
    std::string event_time;  // of the latest click
};

/// Threading: start and stop from one thread; stats() from any.
class ClickProducer {
public:
    static Result<std::unique_ptr<ClickProducer>> start(ProducerOptions options);
    ~ClickProducer();
    /// Sends what is due, then stops.
    void stop();
    ProducerStats stats() const;

private:
    struct State;
    explicit ClickProducer(std::unique_ptr<State> state);
    void run();

    std::unique_ptr<State> state_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace shardflow::app::demo
