#pragma once
// New auctions: AuctionGenerator.nextAuction of nexmark-flink (generator/model), without the
// extendedBidMode branch (seller and category derived from the auction id).

#include "bench/nexmark/generator/generator_config.h"
#include "bench/nexmark/generator/java_random.h"
#include "bench/nexmark/generator/model.h"

#include <cstdint>

namespace shardflow::nexmark {

/// Categories are kFirstCategoryId .. kFirstCategoryId + kNumCategories - 1 (10..14).
inline constexpr int32_t kNumCategories = 5;

/// The auction of event `event_id`, the `events_so_far`-th event of its generator (the auction
/// length is measured in events ahead of it). Draw order as upstream: seller, category,
/// initial bid, length, item name, description, reserve, extra.
Auction next_auction(const GeneratorConfig& config,
                     int64_t events_so_far,
                     int64_t event_id,
                     JavaRandom& random,
                     int64_t timestamp_ms);

}  // namespace shardflow::nexmark
