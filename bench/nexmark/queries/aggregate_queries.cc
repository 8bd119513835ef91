// q15 to q19 (upstream's resources/queries/q*.sql) on the runtime's running aggregate.

#include "bench/nexmark/queries/aggregate_queries.h"

#include "engine/common/timestamp_text.h"
#include "operators/aggregate/aggregates.h"
#include "operators/aggregate/running_aggregate.h"
#include "operators/aggregate/top_n_rows.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <optional>
#include <tuple>
#include <unordered_set>

namespace shardflow::nexmark {
namespace {

/// DATE_FORMAT(dateTime, 'yyyy-MM-dd') in UTC.
std::string day_of(int64_t ms) {
    using namespace std::chrono;
    year_month_day date{floor<days>(sys_time<milliseconds>(milliseconds(ms)))};
    return fmt::format("{:04}-{:02}-{:02}",
                       static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()),
                       static_cast<unsigned>(date.day()));
}

/// "HH:mm" of a time in UTC.
std::string minute_of(int64_t ms) {
    return format_timestamp(ms).substr(11, 5);
}

struct AuctionDay {
    int64_t auction;
    std::string day;
    int64_t price;
    int64_t bidder = 0;
};

struct ChannelDay {
    std::string channel;
    std::string day;
    int64_t date_time;
    int64_t price;
    int64_t bidder;
    int64_t auction;
};

/// count(*), the three price-band counts, min, max, avg (integer, as Flink's AVG of a BIGINT)
/// and sum of a group's prices.
struct AuctionStatistics {
    struct Acc {
        int64_t total = 0, rank1 = 0, rank2 = 0, rank3 = 0;
        int64_t min = std::numeric_limits<int64_t>::max(),
                max = std::numeric_limits<int64_t>::min();
        int64_t sum = 0;
        static auto fields(auto& self) {
            return std::tie(
                self.total, self.rank1, self.rank2, self.rank3, self.min, self.max, self.sum);
        }
    };
    template <class T>
    Acc init() const {
        return {};
    }
    void add(Acc& acc, const AuctionDay& r) const {
        ++acc.total;
        acc.rank1 += r.price < 10'000;
        acc.rank2 += r.price >= 10'000 && r.price < 1'000'000;
        acc.rank3 += r.price >= 1'000'000;
        acc.min = std::min(acc.min, r.price);
        acc.max = std::max(acc.max, r.price);
        acc.sum += r.price;
    }
    void merge(Acc& acc, const Acc& other) const {
        acc.total += other.total;
        acc.rank1 += other.rank1;
        acc.rank2 += other.rank2;
        acc.rank3 += other.rank3;
        acc.min = std::min(acc.min, other.min);
        acc.max = std::max(acc.max, other.max);
        acc.sum += other.sum;
    }
    Acc result(const Acc& acc) const { return acc; }
};

/// q15's aggregate over a day: bids, distinct bidders and distinct auctions, in total and per
/// price band (below 10,000; below 1,000,000; the rest).
struct BiddingStatistics {
    struct Acc {
        std::array<int64_t, 4> bids{};
        std::array<std::unordered_set<int64_t>, 4> bidders;
        std::array<std::unordered_set<int64_t>, 4> auctions;
        static auto fields(auto& self) { return std::tie(self.bids, self.bidders, self.auctions); }
    };
    struct Out {
        std::array<int64_t, 4> bids, bidders, auctions;
    };
    template <class T>
    Acc init() const {
        return {};
    }
    static size_t band(int64_t price) { return price < 10'000 ? 1 : price < 1'000'000 ? 2 : 3; }
    template <class T>  // AuctionDay or ChannelDay
    void add(Acc& acc, const T& r) const {
        for (size_t i : {size_t{0}, band(r.price)}) {
            ++acc.bids[i];
            acc.bidders[i].insert(r.bidder);
            acc.auctions[i].insert(r.auction);
        }
    }
    void merge(Acc& acc, const Acc& other) const {
        for (size_t i = 0; i < 4; ++i) {
            acc.bids[i] += other.bids[i];
            acc.bidders[i].insert(other.bidders[i].begin(), other.bidders[i].end());
            acc.auctions[i].insert(other.auctions[i].begin(), other.auctions[i].end());
        }
    }
    Out result(const Acc& acc) const {
        Out out{acc.bids, {}, {}};
        for (size_t i = 0; i < 4; ++i) {
            out.bidders[i] = static_cast<int64_t>(acc.bidders[i].size());
            out.auctions[i] = static_cast<int64_t>(acc.auctions[i].size());
        }
        return out;
    }
};

/// The bid with the latest dateTime, the later one on a tie: upstream's ROW_NUMBER() OVER
/// (PARTITION BY bidder, auction ORDER BY dateTime DESC) = 1.
struct LatestBid {
    using Acc = std::optional<Bid>;
    template <class T>
    Acc init() const {
        return {};
    }
    void add(Acc& acc, const Bid& b) const {
        if (!acc || b.date_time >= acc->date_time) {
            acc = b;
        }
    }
    void merge(Acc& acc, const Acc& newer) const {
        if (newer && (!acc || newer->date_time >= acc->date_time)) {
            acc = newer;
        }
    }
    Bid result(const Acc& acc) const { return *acc; }
};

}  // namespace

void build_q15(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Row = ops::KeyedResult<std::string, BiddingStatistics::Out>;
    bids(q, std::move(source))
        .map([](const Bid& b) {
            return AuctionDay{b.auction, day_of(b.date_time), b.price, b.bidder};
        })
        .key_by(&AuctionDay::day)
        .apply(ops::RunningAggregate(BiddingStatistics{}))
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            const auto& s = r.value;
            return fmt::format("{} {} {} {}",
                               r.key,
                               fmt::join(s.bids, " "),
                               fmt::join(s.bidders, " "),
                               fmt::join(s.auctions, " "));
        }));
}

void build_q17(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Row = ops::KeyedResult<std::string, AuctionStatistics::Acc>;
    bids(q, std::move(source))
        .map([](const Bid& b) {
            return AuctionDay{b.auction, day_of(b.date_time), b.price, b.bidder};
        })
        .key_by([](const AuctionDay& r) { return fmt::format("{} {}", r.auction, r.day); })
        .apply(ops::RunningAggregate(AuctionStatistics{}))
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            const auto& s = r.value;
            return fmt::format("{} {} {} {} {} {} {} {} {}",
                               r.key,
                               s.total,
                               s.rank1,
                               s.rank2,
                               s.rank3,
                               s.min,
                               s.max,
                               s.sum / s.total,
                               s.sum);
        }));
}

void build_q16(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    // max(DATE_FORMAT(dateTime, 'HH:mm')) of a day is the minute of its latest bid.
    using Row = ops::KeyedResult<std::string, std::tuple<BiddingStatistics::Out, int64_t>>;
    bids(q, std::move(source))
        .map([](Bid& b) {
            return ChannelDay{std::move(b.channel),
                              day_of(b.date_time),
                              b.date_time,
                              b.price,
                              b.bidder,
                              b.auction};
        })
        .key_by([](const ChannelDay& r) { return r.channel + " " + r.day; })
        .apply(ops::RunningAggregate(
            ops::All(BiddingStatistics{}, ops::maximum(&ChannelDay::date_time))))
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) {
            const auto& [s, latest] = r.value;
            return fmt::format("{} {} {} {} {}",
                               r.key,
                               minute_of(latest),
                               fmt::join(s.bids, " "),
                               fmt::join(s.bidders, " "),
                               fmt::join(s.auctions, " "));
        }));
}

void build_q18(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    using Row = ops::KeyedResult<std::string, Bid>;
    bids(q, std::move(source))
        .key_by([](const Bid& b) { return fmt::format("{} {}", b.bidder, b.auction); })
        .apply(ops::RunningAggregate(LatestBid{}))
        .sink(result_sink<Row>(std::move(rows), [](const Row& r) { return bid_text(r.value); }));
}

void build_q19(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    struct Ranked {
        Bid bid;
        size_t rank_number;
    };
    using Top = ops::KeyedResult<int64_t, std::vector<Bid>>;
    bids(q, std::move(source))
        .key_by(&Bid::auction)
        // Upstream's ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) <= 10.
        .apply(ops::RunningAggregate(ops::TopNRows(10, outbids)))
        // An update stream of (auction, rank_number) rows: an auction's rows after each change.
        .flat_map<Ranked>([](const Top& top, std::vector<Ranked>& out) {
            for (size_t i = 0; i < top.value.size(); ++i) {
                out.push_back({top.value[i], i + 1});
            }
        })
        .sink(result_sink<Ranked>(std::move(rows), [](const Ranked& r) {
            const Bid& b = r.bid;
            return fmt::format("{} {} {} {} {} {} {} {}",
                               b.auction,
                               r.rank_number,
                               b.bidder,
                               b.price,
                               b.channel,
                               b.url,
                               format_timestamp(b.date_time),
                               b.extra);
        }));
}

}  // namespace shardflow::nexmark
