// q0, q1, q2, q13, q14, q21, q22: per-bid maps, filters and a lookup (upstream's
// resources/queries/q*.sql).

#include "bench/nexmark/queries/stateless_queries.h"

#include "bench/nexmark/queries/side_input.h"
#include "engine/common/timestamp_text.h"
#include "sql/binder/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace shardflow::nexmark {
namespace {

struct Q1Row {
    int64_t auction, bidder;
    double price;
    int64_t date_time;
    std::string extra;
};

struct Q2Row {
    int64_t auction, price;
};

struct Q13Row {
    int64_t auction;
    int64_t bidder;
    int64_t price;
    int64_t date_time;
    std::string value;
};

struct Q14Row {
    int64_t auction, bidder;
    double price;
    const char* bid_time_type;
    int64_t date_time;
    std::string extra;
    int64_t c_counts;
};

struct Q21Row {
    int64_t auction, bidder, price;
    std::string channel, channel_id;
};

struct Q22Row {
    int64_t auction, bidder, price;
    std::string channel, dir1, dir2, dir3;
};

/// SPLIT_INDEX(s, '/', n): the n-th (from 0) piece, or nullopt.
std::optional<std::string> split_index(const std::string& s, size_t n) {
    size_t from = 0;
    for (size_t i = 0; i < n; ++i) {
        from = s.find('/', from);
        if (from == std::string::npos) {
            return std::nullopt;
        }
        ++from;
    }
    return s.substr(from, s.find('/', from) - from);
}

/// REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) without a regex engine.
std::optional<std::string> channel_id_of(const std::string& url) {
    static constexpr std::string_view kKey = "channel_id=";
    for (size_t at = url.find(kKey); at != std::string::npos; at = url.find(kKey, at + 1)) {
        if (at == 0 || url[at - 1] == '&') {
            size_t begin = at + kKey.size();
            return url.substr(begin, url.find('&', begin) - begin);
        }
    }
    return std::nullopt;
}

int64_t utc_hour(int64_t ms) {
    return ((ms / 3'600'000) % 24 + 24) % 24;
}

}  // namespace

void build_q0(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source)).sink(result_sink<Bid>(std::move(rows), [](const Bid& b) {
        return fmt::format(
            "{} {} {} {} {}", b.auction, b.bidder, b.price, format_timestamp(b.date_time), b.extra);
    }));
}

void build_q1(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source))
        .map([](Bid& b) {
            return Q1Row{b.auction,
                         b.bidder,
                         0.908 * static_cast<double>(b.price),
                         b.date_time,
                         std::move(b.extra)};
        })
        .sink(result_sink<Q1Row>(std::move(rows), [](const Q1Row& r) {
            return fmt::format("{} {} {} {} {}",
                               r.auction,
                               r.bidder,
                               decimal_text(r.price),
                               format_timestamp(r.date_time),
                               r.extra);
        }));
}

void build_q2(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source))
        .filter([](const Bid& b) { return b.auction % 123 == 0; })
        .map([](Bid& b) {
            return Q2Row{b.auction, b.price};
        })
        .sink(result_sink<Q2Row>(std::move(rows), [](const Q2Row& r) {
            return fmt::format("{} {}", r.auction, r.price);
        }));
}

void build_q13(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    auto side_input = side_input_table();
    if (!side_input) {
        q.fail(side_input.error());
        return;
    }
    size_t value = (*side_input)->column("value").value_or(0);
    bids(q, std::move(source))
        .flat_map<Q13Row>([table = *side_input, value](const Bid& b, std::vector<Q13Row>& out) {
            // An inner join: a bid whose key the table lacks has no row (none, with 10,000 keys).
            if (const auto* row = table->find(std::to_string(b.auction % kSideInputRows))) {
                out.push_back({b.auction,
                               b.bidder,
                               b.price,
                               b.date_time,
                               std::get<std::string>((*row)[value])});
            }
        })
        .sink(result_sink<Q13Row>(std::move(rows), [](const Q13Row& r) {
            return fmt::format("{} {} {} {} {}",
                               r.auction,
                               r.bidder,
                               r.price,
                               format_timestamp(r.date_time),
                               r.value);
        }));
}

void build_q14(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source))
        .filter([](const Bid& b) {
            double price = 0.908 * static_cast<double>(b.price);
            return price > 1'000'000 && price < 50'000'000;
        })
        .map([](Bid& b) {
            int64_t hour = utc_hour(b.date_time);
            const char* type = hour >= 8 && hour <= 18   ? "dayTime"
                               : hour <= 6 || hour >= 20 ? "nightTime"
                                                         : "otherTime";
            auto c_counts = static_cast<int64_t>(std::count(b.extra.begin(), b.extra.end(), 'c'));
            return Q14Row{b.auction,
                          b.bidder,
                          0.908 * static_cast<double>(b.price),
                          type,
                          b.date_time,
                          std::move(b.extra),
                          c_counts};
        })
        .sink(result_sink<Q14Row>(std::move(rows), [](const Q14Row& r) {
            return fmt::format("{} {} {} {} {} {} {}",
                               r.auction,
                               r.bidder,
                               decimal_text(r.price),
                               r.bid_time_type,
                               format_timestamp(r.date_time),
                               r.extra,
                               r.c_counts);
        }));
}

void build_q21(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source))
        .flat_map<Q21Row>([](const Bid& b, std::vector<Q21Row>& out) {
            static const std::map<std::string, std::string> kKnown{
                {"apple", "0"}, {"google", "1"}, {"facebook", "2"}, {"baidu", "3"}};
            std::string channel = sql::lower_name(b.channel);
            auto known = kKnown.find(channel);
            std::optional<std::string> id =
                known != kKnown.end() ? std::optional(known->second) : channel_id_of(b.url);
            if (id) {
                out.push_back(Q21Row{b.auction, b.bidder, b.price, b.channel, std::move(*id)});
            }
        })
        .sink(result_sink<Q21Row>(std::move(rows), [](const Q21Row& r) {
            return fmt::format(
                "{} {} {} {} {}", r.auction, r.bidder, r.price, r.channel, r.channel_id);
        }));
}

void build_q22(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows) {
    bids(q, std::move(source))
        .map([](Bid& b) {
            return Q22Row{b.auction,
                          b.bidder,
                          b.price,
                          std::move(b.channel),
                          split_index(b.url, 3).value_or("NULL"),
                          split_index(b.url, 4).value_or("NULL"),
                          split_index(b.url, 5).value_or("NULL")};
        })
        .sink(result_sink<Q22Row>(std::move(rows), [](const Q22Row& r) {
            return fmt::format("{} {} {} {} {} {} {}",
                               r.auction,
                               r.bidder,
                               r.price,
                               r.channel,
                               r.dir1,
                               r.dir2,
                               r.dir3);
        }));
}

}  // namespace shardflow::nexmark
