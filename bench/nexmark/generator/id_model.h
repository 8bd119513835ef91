#pragma once
// Which person and auction ids exist at a given event id, and random references to recent
// ones: lastBase0PersonId / nextBase0PersonId (PersonGenerator.java) and lastBase0AuctionId /
// nextBase0AuctionId (AuctionGenerator.java). "Base 0" ids lack the kFirst*Id offset.

#include "bench/nexmark/generator/generator_config.h"
#include "bench/nexmark/generator/java_random.h"

#include <cstdint>

namespace shardflow::nexmark {

/// Random references may point this many ids past the newest one (PERSON_ID_LEAD,
/// AUCTION_ID_LEAD): such bids or auctions look as if they came before the person or auction.
inline constexpr int64_t kPersonIdLead = 10;
inline constexpr int64_t kAuctionIdLead = 10;

/// The newest person id at `event_id`; the new person's own id if the event is a person.
int64_t last_base0_person_id(const GeneratorConfig& config, int64_t event_id);

/// One of the last num_active_people people, or up to kPersonIdLead ahead.
int64_t next_base0_person_id(const GeneratorConfig& config, int64_t event_id, JavaRandom& random);

/// The newest auction id at `event_id`; the new auction's own id if the event is an auction.
int64_t last_base0_auction_id(const GeneratorConfig& config, int64_t event_id);

/// One of the last num_in_flight_auctions auctions, or up to kAuctionIdLead ahead.
int64_t next_base0_auction_id(const GeneratorConfig& config, int64_t event_id, JavaRandom& random);

}  // namespace shardflow::nexmark
