#pragma once
// Knobs of the generator with upstream's defaults: NexmarkConfiguration.java (the values) and
// generator/GeneratorConfig.java (the event-number → id/time arithmetic), nexmark-flink.

#include <cstdint>

namespace shardflow::nexmark {

/// Ids start here so that queries find matches even on few events (GeneratorConfig.java).
inline constexpr int64_t kFirstPersonId = 1000;
inline constexpr int64_t kFirstAuctionId = 1000;
inline constexpr int64_t kFirstCategoryId = 10;

/// Upstream defaults `baseTime` to the wall clock at start; a fixed time keeps our stream
/// deterministic. 2015-07-15T00:00:00Z, the base time of Beam's Nexmark (NexmarkUtils.BASE_TIME).
inline constexpr int64_t kDefaultBaseTimeMs = 1'436'918'400'000;

struct GeneratorConfig {
    /// Events per second on the event-time axis (upstream firstEventRate; nextEventRate exists
    /// upstream too, but GeneratorConfig only ever uses the first rate).
    int32_t first_event_rate = 10'000;
    int32_t next_event_rate = 10'000;
    /// Generators sharing the rate, each on its own timeline (Flink sets it to the parallelism).
    int32_t num_event_generators = 1;

    int32_t person_proportion = 1;
    int32_t auction_proportion = 3;
    int32_t bid_proportion = 46;

    /// Idealized event sizes in bytes; `extra` pads each event to about this.
    int32_t avg_person_byte_size = 200;
    int32_t avg_auction_byte_size = 500;
    int32_t avg_bid_byte_size = 100;

    /// A bid goes to a hot auction with P = 1 - 1/ratio, and so on.
    int32_t hot_auction_ratio = 2;
    int32_t hot_sellers_ratio = 4;
    int32_t hot_bidders_ratio = 4;

    /// Auctions and people that random references are drawn from.
    int32_t num_in_flight_auctions = 100;
    int32_t num_active_people = 1000;

    /// 1: in order. n > 1: event numbers are permuted within groups of n.
    int64_t out_of_order_group_size = 1;

    int64_t base_time_ms = kDefaultBaseTimeMs;

    /// Where the event id and event number sequences start. Flink's table source creates its
    /// config with firstEventId = 1 and firstEventNumber = 1 (NexmarkTableSourceFactory.java), so
    /// its first event is the auction 1001 at baseTime + one inter-event delay; these defaults
    /// reproduce that. Set both to 0 for the plain sequence that starts with person 1000.
    int64_t first_event_id = 1;
    int64_t first_event_number = 1;

    /// BidGenerator.nextBid adds FIRST_PERSON_ID to the bidder twice, so bidders are offset by
    /// 2000 while person ids start at 1000. On: counts match Flink's (q23 joins P.id = B.bidder).
    bool bidder_id_quirk = true;

    int64_t total_proportion() const {
        return int64_t{person_proportion} + auction_proportion + bid_proportion;
    }

    /// Microseconds between events on one generator's timeline (interEventDelayUs).
    double inter_event_delay_us() const {
        return 1000000.0 / first_event_rate * num_event_generators;
    }

    /// nextAdjustedEventNumber: the event number after `events_so_far` events, permuted within
    /// out-of-order groups.
    int64_t adjusted_event_number(int64_t events_so_far) const {
        const int64_t n = out_of_order_group_size;
        const int64_t event_number = first_event_number + events_so_far;
        return (event_number / n) * n + (event_number * 953) % n;
    }

    /// The event id, which picks the event's type and seeds its random draws (getNextEventId).
    int64_t event_id(int64_t events_so_far) const {
        return first_event_id + adjusted_event_number(events_so_far);
    }

    /// timestampForEvent: baseTime + (long)(eventNumber * interEventDelayUs) / 1000.
    int64_t timestamp_for_event(int64_t event_number) const {
        const auto us =
            static_cast<int64_t>(static_cast<double>(event_number) * inter_event_delay_us());
        return base_time_ms + us / 1000;
    }
};

}  // namespace shardflow::nexmark
