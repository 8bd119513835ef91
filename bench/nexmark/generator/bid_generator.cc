#include "bench/nexmark/generator/bid_generator.h"

#include "bench/nexmark/generator/channels.h"
#include "bench/nexmark/generator/id_model.h"
#include "bench/nexmark/generator/random_values.h"
#include "bench/nexmark/generator/strings_generator.h"

namespace shardflow::nexmark {
namespace {

// Hot auctions are the first of each batch of this many auctions (HOT_AUCTION_RATIO), hot
// bidders the second of each batch of people (HOT_BIDDER_RATIO), so they miss hot sellers.
constexpr int64_t kHotAuctionBatch = 100;
constexpr int64_t kHotBidderBatch = 100;

}  // namespace

Bid next_bid(const GeneratorConfig& config,
             int64_t event_id,
             JavaRandom& random,
             int64_t timestamp_ms) {
    Bid bid;
    // P(hot auction) = 1 - 1/hot_auction_ratio.
    if (random.next_int(config.hot_auction_ratio) > 0) {
        bid.auction =
            (last_base0_auction_id(config, event_id) / kHotAuctionBatch) * kHotAuctionBatch;
    } else {
        bid.auction = next_base0_auction_id(config, event_id, random);
    }
    bid.auction += kFirstAuctionId;

    // P(hot bidder) = 1 - 1/hot_bidders_ratio.
    if (random.next_int(config.hot_bidders_ratio) > 0) {
        bid.bidder =
            (last_base0_person_id(config, event_id) / kHotBidderBatch) * kHotBidderBatch + 1;
    } else {
        bid.bidder = next_base0_person_id(config, event_id, random);
    }
    bid.bidder += kFirstPersonId;

    bid.price = next_price(random);

    const ChannelAndUrl& channel = next_channel(random);
    bid.channel = channel.channel;
    bid.url = channel.url;

    if (config.bidder_id_quirk) {
        // Upstream adds FIRST_PERSON_ID a second time (see GeneratorConfig::bidder_id_quirk).
        bid.bidder += kFirstPersonId;
    }
    bid.date_time = timestamp_ms;

    // Upstream counts 4 longs (auction, bidder, price, dateTime), not the channel or URL.
    next_extra(random, 8 + 8 + 8 + 8, config.avg_bid_byte_size, bid.extra);
    return bid;
}

}  // namespace shardflow::nexmark
