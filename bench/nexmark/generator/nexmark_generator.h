#pragma once
// The Nexmark event stream: NexmarkGenerator.java of nexmark-flink (generator/), as a port
// that yields the same events for the same GeneratorConfig on every run and machine.
//
// Event i of the sequence (i = events generated so far) has
//   number = first_event_number + i   (permuted within out-of-order groups),
//   id     = first_event_id + number  → type by id % 50: 0 person, 1..3 auction, 4..49 bid,
//   time   = base_time + (long)(number * inter_event_delay_us) / 1000,
// and all its random fields are drawn from java.util.Random seeded with its id.
//
// Seeding: nexmark's first Flink generator (as Beam's, which it was ported from) creates
// `new Random(getNextEventId())` per event; later upstream versions switched to one unseeded
// Random, then an unseeded SplittableRandom, per generator, which makes their streams differ
// per run. We keep the per-event seed, so any event can be generated on its own and a
// generator may start anywhere. For a JVM running the per-event-seeded generator with today's
// model classes, every field is value-for-value the same except `url` and `extra`, whose
// sources upstream leaves unseeded (see channels.cc and strings_generator.h).

#include "bench/nexmark/generator/generator_config.h"
#include "bench/nexmark/generator/model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace shardflow::nexmark {

/// Events [first_event, first_event + count) of the sequence. Not thread-safe; use one
/// generator per thread (splitting the range) for parallel generation.
class NexmarkGenerator {
public:
    explicit NexmarkGenerator(GeneratorConfig config,
                              uint64_t first_event = 0,
                              uint64_t count = UINT64_MAX);

    bool has_next() const { return next_event_ < end_event_; }

    /// The next event; has_next() must be true.
    Event next();

    /// Appends up to `max` events to `out`; returns how many.
    size_t next_batch(std::vector<Event>& out, size_t max);

    /// Index in the sequence of the event next() returns.
    uint64_t next_index() const { return next_event_; }

    const GeneratorConfig& config() const { return config_; }

private:
    GeneratorConfig config_;
    uint64_t next_event_;
    uint64_t end_event_;
};

/// Event `index` of the sequence, alone.
Event generate_event(const GeneratorConfig& config, uint64_t index);

}  // namespace shardflow::nexmark
