// q5, q7, q8, q11, q12 (upstream's resources/queries/q*.sql) on the runtime's windows.

#include "bench/nexmark/queries/window_queries.h"

#include "engine/common/clock.h"
#include "engine/common/timestamp_text.h"
#include "operators/window/hopping_window.h"
#include "operators/window/session_window.h"
#include "operators/window/tumbling_window.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace shardflow::nexmark {
namespace {

using namespace std::chrono_literals;

/// q7's aggregate: the window's highest price and every bid that has it.
struct HighestBids {
    struct Acc {
        int64_t price = -1;
        std::vector<Bid> bids;  // not checkpointable: the benchmark does not checkpoint
    };
    template <class T>
    Acc init() const {
        return {};
    }
    void add(Acc& acc, const Bid& b) const {
        if (b.price > acc.price) {
            acc.price = b.price;
            acc.bids.clear();
        }
        if (b.price == acc.price) {
            acc.bids.push_back(b);
        }
    }
    void merge(Acc& acc, const Acc& other) const {
        for (const Bid& b : other.bids) {
            add(acc, b);
        }
    }
    const std::vector<Bid>& result(const Acc& acc) const { return acc.bids; }
};

/// q5's second stage, over the bid counts per auction of one window: the auctions with the
/// most bids (all of them on a tie, as upstream's join on num >= max(num) keeps).
struct HotItems {
    using Count = ops::WindowResult<int64_t, int64_t>;  // an auction's bids in a window
    struct Item {
        int64_t auction;
        int64_t num;
    };
    struct Acc {
        int64_t most = 0;
        std::vector<Item> items;
    };
    template <class T>
    Acc init() const {
        return {};
    }
    void add(Acc& acc, const Count& c) const {
        if (c.value > acc.most) {
            acc.most = c.value;
            acc.items.clear();
        }
        if (c.value == acc.most) {
            acc.items.push_back({c.key, c.value});
        }
    }
    void merge(Acc& acc, const Acc& other) const {
        for (const Item& i : other.items) {
            add(acc, Count{i.auction, 0, 0, i.num});
        }
    }
    const std::vector<Item>& result(const Acc& acc) const { return acc.items; }
};

/// q8's aggregate over a (person id or seller, window): the person's name, if the person
/// joined in the window, and whether they created an auction in it.
struct NewSeller {
    struct Acc {
        std::optional<std::string> name;
        bool sold = false;
        static auto fields(auto& self) { return std::tie(self.name, self.sold); }
    };
    template <class T>
    Acc init() const {
        return {};
    }
    void add(Acc& acc, const std::variant<Person, Auction>& e) const {
        if (const auto* p = std::get_if<Person>(&e)) {
            acc.name = p->name;
        } else {
            acc.sold = true;
        }
    }
    void merge(Acc& acc, const Acc& other) const {
        acc.name = acc.name ? acc.name : other.name;
        acc.sold = acc.sold || other.sold;
    }
    Acc result(const Acc& acc) const { return acc; }
};

struct BidTime {
    int64_t bidder;
    int64_t date_time;
};

/// q11's and q12's rows: bidder, bid_count, starttime, endtime.
std::shared_ptr<ResultSink<ops::WindowResult<int64_t, int64_t>>> bid_count_sink(
    std::shared_ptr<ResultRows> rows) {
    using Row = ops::WindowResult<int64_t, int64_t>;
    return result_sink<Row>(std::move(rows), [](const Row& r) {
        return fmt::format("{} {} {} {}",
                           r.key,
                           r.value,
                           format_timestamp(r.window_start),
                           format_timestamp(r.window_end));
    });
}

}  // namespace

void build_q5(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Window = ops::WindowResult<int64_t, std::vector<HotItems::Item>>;
    bids(q, std::move(source))
        .with_event_time(&Bid::date_time)
        .key_by(&Bid::auction)
        .apply(ops::HoppingWindow(10s, 2s).aggregate(ops::Count{}))
        // Then each window's counts together: a count is stamped with its window's last
        // millisecond, and hopping windows end 2 s apart, so a 2 s tumbling window holds one.
        .with_event_time([](const HotItems::Count& c) { return c.window_end - 1; })
        .key_by(&HotItems::Count::window_start)
        .apply(ops::TumblingWindow(2s).aggregate(HotItems{}))
        .flat_map<HotItems::Item>([](const Window& w, std::vector<HotItems::Item>& out) {
            out.insert(out.end(), w.value.begin(), w.value.end());
        })
        .sink(result_sink<HotItems::Item>(std::move(rows), [](const HotItems::Item& i) {
            return fmt::format("{} {}", i.auction, i.num);
        }));
}

void build_q7(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Window = ops::WindowResult<int, std::vector<Bid>>;
    bids(q, std::move(source))
        .with_event_time(&Bid::date_time)
        .key_by([](const Bid&) { return 0; })  // one maximum per window over all bids
        .apply(ops::TumblingWindow(10s).aggregate(HighestBids{}))
        .flat_map<Bid>([](const Window& w, std::vector<Bid>& out) {
            out.insert(out.end(), w.value.begin(), w.value.end());
        })
        .sink(result_sink<Bid>(std::move(rows), [](const Bid& b) {
            return fmt::format("{} {} {} {} {}",
                               b.auction,
                               b.price,
                               b.bidder,
                               format_timestamp(b.date_time),
                               b.extra);
        }));
}

void build_q8(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Either = std::variant<Person, Auction>;
    using Row = ops::WindowResult<int64_t, NewSeller::Acc>;
    q.source<Event>(std::move(source))
        .filter([](const Event& e) { return e.index() != 2; })
        .map(either<Person, Auction>)
        .with_event_time(event_time_ms<Person, Auction>)
        .key_by([](const Either& e) {
            return e.index() == 0 ? std::get<Person>(e).id : std::get<Auction>(e).seller;
        })
        .apply(ops::TumblingWindow(10s).aggregate(NewSeller{}))
        .filter([](const Row& r) { return r.value.name && r.value.sold; })
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            return fmt::format("{} {} {}", r.key, *r.value.name, format_timestamp(r.window_start));
        }));
}

void build_q11(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source))
        .map([](const Bid& b) {
            return BidTime{b.bidder, b.date_time};
        })
        .with_event_time(&BidTime::date_time)
        .key_by(&BidTime::bidder)
        .apply(ops::SessionWindow(10s).aggregate(ops::Count{}))
        .sink(bid_count_sink(std::move(rows)));
}

void build_q12(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source))
        .map([](const Bid& b) {  // PROCTIME(): when the bid reaches the query
            return BidTime{b.bidder, SystemClock::instance().now_ms()};
        })
        .with_event_time(&BidTime::date_time)
        .key_by(&BidTime::bidder)
        .apply(ops::TumblingWindow(10s).aggregate(ops::Count{}))
        .sink(bid_count_sink(std::move(rows)));
}

}  // namespace shardflow::nexmark
