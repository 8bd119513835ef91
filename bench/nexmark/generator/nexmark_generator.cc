#include "bench/nexmark/generator/nexmark_generator.h"

#include "bench/nexmark/generator/auction_generator.h"
#include "bench/nexmark/generator/bid_generator.h"
#include "bench/nexmark/generator/java_random.h"
#include "bench/nexmark/generator/person_generator.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace shardflow::nexmark {

Event generate_event(const GeneratorConfig& config, uint64_t index) {
    const auto events_so_far = static_cast<int64_t>(index);
    const int64_t event_number = config.adjusted_event_number(events_so_far);
    const int64_t timestamp_ms = config.timestamp_for_event(event_number);
    const int64_t event_id = config.first_event_id + event_number;
    JavaRandom random(event_id);

    const int64_t rem = event_id % config.total_proportion();
    if (rem < config.person_proportion) {
        return next_person(config, event_id, random, timestamp_ms);
    }
    if (rem < config.person_proportion + config.auction_proportion) {
        return next_auction(config, events_so_far, event_id, random, timestamp_ms);
    }
    return next_bid(config, event_id, random, timestamp_ms);
}

NexmarkGenerator::NexmarkGenerator(GeneratorConfig config, uint64_t first_event, uint64_t count)
    : config_(config)
    , next_event_(first_event)
    , end_event_(count > std::numeric_limits<uint64_t>::max() - first_event
                     ? std::numeric_limits<uint64_t>::max()
                     : first_event + count) {}

Event NexmarkGenerator::next() {
    assert(has_next());
    return generate_event(config_, next_event_++);
}

size_t NexmarkGenerator::next_batch(std::vector<Event>& out, size_t max) {
    const auto n = static_cast<size_t>(std::min<uint64_t>(max, end_event_ - next_event_));
    for (size_t i = 0; i < n; ++i) {
        out.push_back(generate_event(config_, next_event_++));
    }
    return n;
}

}  // namespace shardflow::nexmark
