#pragma once
// Bids: BidGenerator.nextBid of nexmark-flink (generator/model), without extendedBidMode.

#include "bench/nexmark/generator/generator_config.h"
#include "bench/nexmark/generator/java_random.h"
#include "bench/nexmark/generator/model.h"

#include <cstdint>

namespace shardflow::nexmark {

/// The bid of event `event_id`. Draw order as upstream: auction, bidder, price, channel,
/// extra.
Bid next_bid(const GeneratorConfig& config,
             int64_t event_id,
             JavaRandom& random,
             int64_t timestamp_ms);

}  // namespace shardflow::nexmark
