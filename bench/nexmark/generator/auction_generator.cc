#include "bench/nexmark/generator/auction_generator.h"

#include "bench/nexmark/generator/id_model.h"
#include "bench/nexmark/generator/random_values.h"
#include "bench/nexmark/generator/strings_generator.h"

#include <algorithm>

namespace shardflow::nexmark {
namespace {

// Hot sellers are the first of each batch of this many people (HOT_SELLER_RATIO).
constexpr int64_t kHotSellerBatch = 100;

int64_t next_base0_seller_id(const GeneratorConfig& config, int64_t event_id, JavaRandom& random) {
    // P(hot seller) = 1 - 1/hot_sellers_ratio.
    if (random.next_int(config.hot_sellers_ratio) > 0) {
        return (last_base0_person_id(config, event_id) / kHotSellerBatch) * kHotSellerBatch;
    }
    return next_base0_person_id(config, event_id, random);
}

// nextAuctionLengthMs: uniform in [1, 2 * horizon], horizon being the time until the auction
// num_in_flight_auctions ahead is generated, so about that many auctions are open at once.
int64_t next_auction_length_ms(const GeneratorConfig& config,
                               int64_t events_so_far,
                               JavaRandom& random,
                               int64_t timestamp_ms) {
    const int64_t current_event_number = config.adjusted_event_number(events_so_far);
    const int64_t events_for_auctions =
        (int64_t{config.num_in_flight_auctions} * config.total_proportion()) /
        config.auction_proportion;
    const int64_t future_auction_ms =
        config.timestamp_for_event(current_event_number + events_for_auctions);
    const int64_t horizon_ms = future_auction_ms - timestamp_ms;
    return 1 + next_long(random, std::max<int64_t>(horizon_ms * 2, 1));
}

}  // namespace

Auction next_auction(const GeneratorConfig& config,
                     int64_t events_so_far,
                     int64_t event_id,
                     JavaRandom& random,
                     int64_t timestamp_ms) {
    Auction auction;
    auction.id = last_base0_auction_id(config, event_id) + kFirstAuctionId;
    auction.seller = next_base0_seller_id(config, event_id, random) + kFirstPersonId;
    auction.category = kFirstCategoryId + random.next_int(kNumCategories);
    auction.initial_bid = next_price(random);
    auction.date_time = timestamp_ms;
    auction.expires =
        timestamp_ms + next_auction_length_ms(config, events_so_far, random, timestamp_ms);
    append_next_string(random, 20, ' ', auction.item_name);
    append_next_string(random, 100, ' ', auction.description);
    auction.reserve = auction.initial_bid + next_price(random);

    const auto current_size = static_cast<int32_t>(8 + auction.item_name.size() +
                                                   auction.description.size() + 8 + 8 + 8 + 8 + 8);
    next_extra(random, current_size, config.avg_auction_byte_size, auction.extra);
    return auction;
}

}  // namespace shardflow::nexmark
