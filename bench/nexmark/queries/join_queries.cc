// q3 and q20 on the runtime's regular join; q4, q6 and q9 on the winning bid of each auction
// (upstream's resources/queries/q*.sql).

#include "bench/nexmark/queries/join_queries.h"

#include "bench/nexmark/queries/winning_bid.h"
#include "engine/common/timestamp_text.h"
#include "operators/aggregate/aggregates.h"
#include "operators/aggregate/running_aggregate.h"
#include "operators/aggregate/top_n_rows.h"
#include "operators/join/regular_join.h"

#include <fmt/format.h>

#include <functional>

namespace shardflow::nexmark {
namespace {

/// Each closed auction with its winning bid: the events keyed by auction id.
auto winning_bids(ops::Query& q, EventSource source) {
    return q.source<Event>(std::move(source))
        .filter([](const Event& e) { return e.index() != 0; })
        .map(either<Auction, Bid>)
        .with_event_time(event_time_ms<Auction, Bid>)
        .key_by([](const AuctionOrBid& e) {
            return e.index() == 0 ? std::get<Auction>(e).id : std::get<Bid>(e).auction;
        })
        .apply(WinningBid{});
}

int64_t final_price(const AuctionWinner& w) {
    return w.bid.price;
}

/// q6's aggregate: the mean final price of a seller's 10 latest closed auctions (by expiry, then
/// id), whatever order their results arrive in.
struct LastTenAverage {
    struct Closed {
        int64_t expires;
        int64_t auction;
        int64_t price;
        auto operator<=>(const Closed&) const = default;
    };
    ops::TopNRows<std::greater<>> latest{10, {}};

    template <class T>
    std::vector<Closed> init() const {
        return {};
    }
    void add(std::vector<Closed>& acc, const AuctionWinner& w) const {
        latest.add(acc, Closed{w.auction.expires, w.auction.id, w.bid.price});
    }
    void merge(std::vector<Closed>& acc, const std::vector<Closed>& other) const {
        latest.merge(acc, other);
    }
    double result(const std::vector<Closed>& acc) const {
        double sum = 0;
        for (const Closed& c : acc) {
            sum += static_cast<double>(c.price);
        }
        return sum / static_cast<double>(acc.size());
    }
};

}  // namespace

void build_q3(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Either = std::variant<Auction, Person>;
    using Row = ops::JoinResult<int64_t, Auction, Person>;
    q.source<Event>(std::move(source))
        .filter([](const Event& e) {  // upstream's WHERE, on each side before the join
            if (const auto* a = std::get_if<Auction>(&e)) {
                return a->category == 10;
            }
            const auto* p = std::get_if<Person>(&e);
            return p && (p->state == "OR" || p->state == "ID" || p->state == "CA");
        })
        .map(either<Auction, Person>)
        .key_by([](const Either& e) {
            return e.index() == 0 ? std::get<Auction>(e).seller : std::get<Person>(e).id;
        })
        .apply(ops::RegularJoin())
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            const Person& p = *r.right;
            return fmt::format("{} {} {} {}", p.name, p.city, p.state, r.left.id);
        }));
}

void build_q4(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Row = ops::KeyedResult<int64_t, double>;
    winning_bids(q, std::move(source))
        .key_by([](const AuctionWinner& w) { return w.auction.category; })
        .apply(ops::RunningAggregate(ops::Avg{final_price}))
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            return fmt::format("{} {}", r.key, decimal_text(r.value));
        }));
}

void build_q6(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Row = ops::KeyedResult<int64_t, double>;
    winning_bids(q, std::move(source))
        .key_by([](const AuctionWinner& w) { return w.auction.seller; })
        .apply(ops::RunningAggregate(LastTenAverage{}))
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            return fmt::format("{} {}", r.key, decimal_text(r.value));
        }));
}

void build_q9(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    winning_bids(q, std::move(source))
        .sink(result_sink<AuctionWinner>(std::move(rows), [](const AuctionWinner& w) {
            const Auction& a = w.auction;
            const Bid& b = w.bid;
            return fmt::format("{} {} {} {} {} {} {}",
                               a.id,
                               auction_text_after_id(a),
                               b.auction,
                               b.bidder,
                               b.price,
                               format_timestamp(b.date_time),
                               b.extra);
        }));
}

void build_q20(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Either = std::variant<Bid, Auction>;
    using Row = ops::JoinResult<int64_t, Bid, Auction>;
    q.source<Event>(std::move(source))
        .filter([](const Event& e) {  // upstream's WHERE, on the auction side before the join
            const auto* a = std::get_if<Auction>(&e);
            return a ? a->category == 10 : e.index() == 2;
        })
        .map(either<Bid, Auction>)
        .key_by([](const Either& e) {
            return e.index() == 0 ? std::get<Bid>(e).auction : std::get<Auction>(e).id;
        })
        .apply(ops::RegularJoin())
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            return fmt::format("{} {}", bid_text(r.left), auction_text_after_id(*r.right));
        }));
}

}  // namespace shardflow::nexmark
