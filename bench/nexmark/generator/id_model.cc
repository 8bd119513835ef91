#include "bench/nexmark/generator/id_model.h"

#include "bench/nexmark/generator/random_values.h"

#include <algorithm>

namespace shardflow::nexmark {

int64_t last_base0_person_id(const GeneratorConfig& config, int64_t event_id) {
    const int64_t epoch = event_id / config.total_proportion();
    int64_t offset = event_id % config.total_proportion();
    if (offset >= config.person_proportion) {
        // An auction or a bid: the last person of this epoch.
        offset = config.person_proportion - 1;
    }
    return epoch * config.person_proportion + offset;
}

int64_t next_base0_person_id(const GeneratorConfig& config, int64_t event_id, JavaRandom& random) {
    // Only the most recent people bid or sell, so the bids per person stay the same over a
    // long run.
    const int64_t num_people = last_base0_person_id(config, event_id) + 1;
    const int64_t active_people = std::min<int64_t>(num_people, config.num_active_people);
    const int64_t n = next_long(random, active_people + kPersonIdLead);
    return num_people - active_people + n;
}

int64_t last_base0_auction_id(const GeneratorConfig& config, int64_t event_id) {
    int64_t epoch = event_id / config.total_proportion();
    int64_t offset = event_id % config.total_proportion();
    if (offset < config.person_proportion) {
        // A person: the last auction of the previous epoch (-1 before the first auction).
        --epoch;
        offset = config.auction_proportion - 1;
    } else if (offset >= config.person_proportion + config.auction_proportion) {
        // A bid: the last auction of this epoch.
        offset = config.auction_proportion - 1;
    } else {
        offset -= config.person_proportion;
    }
    return epoch * config.auction_proportion + offset;
}

int64_t next_base0_auction_id(const GeneratorConfig& config, int64_t event_id, JavaRandom& random) {
    // Auctions likely still open, plus a few leads; tracking the open ones exactly would not
    // split across generators.
    const int64_t max_auction = last_base0_auction_id(config, event_id);
    const int64_t min_auction = std::max<int64_t>(max_auction - config.num_in_flight_auctions, 0);
    return min_auction + next_long(random, max_auction - min_auction + 1 + kAuctionIdLead);
}

}  // namespace shardflow::nexmark
