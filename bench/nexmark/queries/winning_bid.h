#pragma once
// The auction/bid join of q4, q6 and q9 (upstream: `auction A, bid B WHERE A.id = B.auction AND
// B.dateTime BETWEEN A.dateTime AND A.expires`, reduced to each auction's best bid), emitted once
// per auction when it closes: when the watermark passes its expiry no bid in its range can still
// come, so the winner is final (upstream's update stream reaches the same row; the original
// Nexmark calls these "closed auctions").

#include "bench/nexmark/queries/query_set.h"
#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace shardflow::nexmark {

using AuctionOrBid = std::variant<Auction, Bid>;

struct AuctionWinner {
    Auction auction;
    Bid bid;
};

/// Input keyed by auction id. A bid that arrives before its auction waits for it until the
/// watermark passes the bid's time (an auction is never younger than its bids); an auction that
/// never comes leaves its bids unmatched, as an inner join does. Threading: one per worker.
class WinningBidOperator final : public runtime::Downstream<AuctionOrBid>,
                                 public runtime::CountsLateRecords {
public:
    explicit WinningBidOperator(runtime::Downstream<AuctionWinner>& next)
        : next_(next) {}

    void on_batch(std::span<AuctionOrBid> batch) override;
    void on_watermark(runtime::EventTime watermark) override;
    void on_end() override { next_.on_end(); }
    uint64_t late_records() const override { return late_records_; }

private:
    struct Open {
        std::optional<Auction> auction;
        std::optional<Bid> best;
        std::vector<Bid> waiting;  // bids that came before their auction
        runtime::EventTime scheduled = runtime::kMaxEventTime;  // its earliest entry in due_
    };

    void add_auction(Auction& auction);
    void add_bid(Bid& bid);
    /// Keeps `bid` if it is in the auction's range and better than the best so far.
    static void offer(Open& open, Bid& bid);
    void schedule(int64_t id, Open& open, runtime::EventTime when);
    /// What the watermark settles for one auction id; false when nothing is left of it.
    bool settle(Open& open);

    runtime::Downstream<AuctionWinner>& next_;
    std::unordered_map<int64_t, Open> open_;          // by auction id
    std::multimap<runtime::EventTime, int64_t> due_;  // when an id has something to settle
    runtime::EventTime watermark_ = runtime::kMinEventTime;
    std::vector<AuctionWinner> out_;
    uint64_t late_records_ = 0;
};

/// The spec for `connect(...).key_by(auction id).apply(WinningBid{})`.
struct WinningBid {
    template <class T, class K>
    using Output = AuctionWinner;

    bool needs_event_time() const { return true; }
    std::string describe() const { return "winning_bid"; }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)>,
                                  std::function<runtime::EventTime(const T&)>,
                                  runtime::Downstream<AuctionWinner>& next) const {
        static_assert(std::is_same_v<T, AuctionOrBid>, "keyed by auction id");
        return arena.make<WinningBidOperator>(next);
    }
};

}  // namespace shardflow::nexmark
