// The Nexmark C++ query graphs against references computed here, independently, from the
// generated events (brute force over the whole sequence), at 1 and 2 workers.

#include "bench/nexmark/generator/event_json.h"
#include "bench/nexmark/generator/nexmark_generator.h"
#include "bench/nexmark/queries/query_set.h"
#include "bench/nexmark/source/generator_source.h"
#include "bench/nexmark/source/store_event_source.h"
#include "engine/common/timestamp_text.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"
#include "tests/unit/bench/processing_time_rows.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <regex>
#include <set>

namespace shardflow::nexmark {
namespace {

constexpr uint64_t kEvents = 30000;

GeneratorConfig config() {
    GeneratorConfig c;
    c.first_event_rate = c.next_event_rate = 1000;  // 30 s of event time: several windows
    return c;
}

std::vector<Event> all_events() {
    std::vector<Event> events;
    for (uint64_t i = 0; i < kEvents; ++i) {
        events.push_back(generate_event(config(), i));
    }
    return events;
}

std::vector<std::string> run(const std::string& query,
                             size_t workers,
                             EventSource source = nullptr) {
    auto rows = std::make_shared<ResultRows>(true);
    ops::Query q(query);
    if (!source) {
        source = std::make_shared<GeneratorSource>(config(), kEvents, 3);
    }
    cpp_queries().at(query).build(q, std::move(source), rows);
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.batch_size = 500;
    options.bounded = true;
    auto stats = q.run(options);
    EXPECT_TRUE(stats) << stats.error().message;
    return rows->lines();  // in the order the sink saw them
}

std::vector<std::string> sorted(std::vector<std::string> lines) {
    std::sort(lines.begin(), lines.end());
    return lines;
}

void expect_query(const std::string& query, std::vector<std::string> expected) {
    std::sort(expected.begin(), expected.end());
    ASSERT_FALSE(expected.empty()) << query << ": the reference is empty, the test proves nothing";
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(run(query, workers)), expected)
            << query << " at " << workers << " workers";
    }
}

std::vector<Bid> bids() {
    std::vector<Bid> out;
    for (auto& e : all_events()) {
        if (auto* b = std::get_if<Bid>(&e)) {
            out.push_back(*b);
        }
    }
    return out;
}

// q0 passes every bid through; q1 converts its price to euros (0.908 per dollar); q14 keeps the
// bids between 1 M and 50 M euros, with their time of day and how many 'c' their extra holds.
TEST(NexmarkQueries, Q0Q1AndQ14MapEveryBidAsUpstreamDoes) {
    std::vector<std::string> q0, q1, q14;
    for (const Bid& b : bids()) {
        const std::string when = format_timestamp(b.date_time);  // "YYYY-MM-DD HH:MM:SS.mmm"
        const double euros = 0.908 * static_cast<double>(b.price);
        q0.push_back(fmt::format("{} {} {} {} {}", b.auction, b.bidder, b.price, when, b.extra));
        q1.push_back(
            fmt::format("{} {} {} {} {}", b.auction, b.bidder, decimal_text(euros), when, b.extra));
        if (euros > 1e6 && euros < 5e7) {
            const int hour = std::stoi(when.substr(11, 2));
            const char* type = hour >= 8 && hour <= 18   ? "dayTime"
                               : hour >= 20 || hour <= 6 ? "nightTime"
                                                         : "otherTime";
            q14.push_back(fmt::format("{} {} {} {} {} {} {}",
                                      b.auction,
                                      b.bidder,
                                      decimal_text(euros),
                                      type,
                                      when,
                                      b.extra,
                                      std::count(b.extra.begin(), b.extra.end(), 'c')));
        }
    }
    expect_query("q0", q0);
    expect_query("q1", q1);
    expect_query("q14", q14);
}

TEST(NexmarkQueries, Q2SelectsAuctionsDivisibleBy123) {
    std::vector<std::string> expected;
    for (const Bid& b : bids()) {
        if (b.auction % 123 == 0) {
            expected.push_back(fmt::format("{} {}", b.auction, b.price));
        }
    }
    expect_query("q2", expected);
}

TEST(NexmarkQueries, Q7KeepsTheHighestBidsOfEachWindow) {
    std::map<int64_t, std::vector<Bid>> windows;
    for (const Bid& b : bids()) {
        windows[b.date_time / 10000].push_back(b);
    }
    std::vector<std::string> expected;
    for (const auto& [w, list] : windows) {
        int64_t top = 0;
        for (const Bid& b : list) {
            top = std::max(top, b.price);
        }
        for (const Bid& b : list) {
            if (b.price == top) {
                expected.push_back(fmt::format("{} {} {} {} {}",
                                               b.auction,
                                               b.price,
                                               b.bidder,
                                               format_timestamp(b.date_time),
                                               b.extra));
            }
        }
    }
    expect_query("q7", expected);
}

TEST(NexmarkQueries, Q8FindsPersonsWhoSoldInTheWindowTheyJoined) {
    std::map<std::pair<int64_t, int64_t>, std::string> joined;  // (id, window) -> name
    std::set<std::pair<int64_t, int64_t>> sold;
    for (const Event& e : all_events()) {
        if (const auto* p = std::get_if<Person>(&e)) {
            joined[{p->id, p->date_time / 10000}] = p->name;
        } else if (const auto* a = std::get_if<Auction>(&e)) {
            sold.insert({a->seller, a->date_time / 10000});
        }
    }
    std::vector<std::string> expected;
    for (const auto& [key, name] : joined) {
        if (sold.contains(key)) {
            expected.push_back(
                fmt::format("{} {} {}", key.first, name, format_timestamp(key.second * 10000)));
        }
    }
    expect_query("q8", expected);
}

TEST(NexmarkQueries, Q11CountsBidsPerSessionWithATenSecondGap) {
    std::map<int64_t, std::vector<int64_t>> times;
    for (const Bid& b : bids()) {
        times[b.bidder].push_back(b.date_time);
    }
    std::vector<std::string> expected;
    for (auto& [bidder, ts] : times) {
        std::sort(ts.begin(), ts.end());
        size_t start = 0;
        for (size_t i = 1; i <= ts.size(); ++i) {
            if (i == ts.size() || ts[i] - ts[i - 1] >= 10000) {
                expected.push_back(fmt::format("{} {} {} {}",
                                               bidder,
                                               i - start,
                                               format_timestamp(ts[start]),
                                               format_timestamp(ts[i - 1] + 10000)));
                start = i;
            }
        }
    }
    expect_query("q11", expected);
}

TEST(NexmarkQueries, Q17ReportsEachAuctionsDay) {
    struct Stats {
        int64_t total = 0, rank1 = 0, rank2 = 0, rank3 = 0, min = INT64_MAX, max = INT64_MIN,
                sum = 0;
    };
    std::map<std::pair<int64_t, std::string>, Stats> groups;
    for (const Bid& b : bids()) {
        Stats& s = groups[{b.auction, format_timestamp(b.date_time).substr(0, 10)}];
        ++s.total;
        s.rank1 += b.price < 10000;
        s.rank2 += b.price >= 10000 && b.price < 1000000;
        s.rank3 += b.price >= 1000000;
        s.min = std::min(s.min, b.price);
        s.max = std::max(s.max, b.price);
        s.sum += b.price;
    }
    std::vector<std::string> expected;
    for (const auto& [key, s] : groups) {
        expected.push_back(fmt::format("{} {} {} {} {} {} {} {} {} {}",
                                       key.first,
                                       key.second,
                                       s.total,
                                       s.rank1,
                                       s.rank2,
                                       s.rank3,
                                       s.min,
                                       s.max,
                                       s.sum / s.total,
                                       s.sum));
    }
    std::sort(expected.begin(), expected.end());
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(last_row_per_group(run("q17", workers), 2)), expected)
            << workers << " workers";
    }
}

/// q15's and q16's figures over the bids of each price band (0: all of them): the bids, then the
/// distinct bidders, then the distinct auctions.
std::string band_statistics(const std::array<std::vector<const Bid*>, 4>& bands) {
    std::vector<size_t> counts, bidders, auctions;
    for (const auto& band : bands) {
        std::set<int64_t> who, what;
        for (const Bid* b : band) {
            who.insert(b->bidder);
            what.insert(b->auction);
        }
        counts.push_back(band.size());
        bidders.push_back(who.size());
        auctions.push_back(what.size());
    }
    return fmt::format(
        "{} {} {}", fmt::join(counts, " "), fmt::join(bidders, " "), fmt::join(auctions, " "));
}

TEST(NexmarkQueries, Q15CountsBidsBiddersAndAuctionsPerPriceBand) {
    std::map<std::string, std::array<std::vector<const Bid*>, 4>> days;
    auto all = bids();
    for (const Bid& b : all) {
        auto& bands = days[format_timestamp(b.date_time).substr(0, 10)];
        bands[0].push_back(&b);
        bands[b.price < 10000 ? 1 : b.price < 1000000 ? 2 : 3].push_back(&b);
    }
    std::vector<std::string> expected;
    for (const auto& [day, bands] : days) {
        expected.push_back(day + " " + band_statistics(bands));
    }
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(last_row_per_group(run("q15", workers), 1)), expected)
            << workers << " workers";
    }
}

TEST(NexmarkQueries, Q5FindsTheAuctionsWithTheMostBidsOfEachHoppingWindow) {
    // Every 10 s window starting at a multiple of 2 s that holds a bid.
    std::map<int64_t, std::map<int64_t, int64_t>> windows;  // start -> auction -> bids
    for (const Bid& b : bids()) {
        for (int64_t start = b.date_time - b.date_time % 2000; start > b.date_time - 10000;
             start -= 2000) {
            ++windows[start][b.auction];
        }
    }
    std::vector<std::string> expected;
    for (const auto& [start, counts] : windows) {
        int64_t most = 0;
        for (const auto& [auction, num] : counts) {
            most = std::max(most, num);
        }
        for (const auto& [auction, num] : counts) {
            if (num == most) {
                expected.push_back(fmt::format("{} {}", auction, num));
            }
        }
    }
    std::sort(expected.begin(), expected.end());
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(run("q5", workers)), expected) << workers << " workers";
    }
}

TEST(NexmarkQueries, Q12CountsEveryBidOnceInAlignedProcessingTimeWindows) {
    std::map<int64_t, int64_t> expected;
    for (const Bid& b : bids()) {
        ++expected[b.bidder];
    }
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(bids_per_bidder(run("q12", workers)), expected) << workers << " workers";
    }
}

TEST(NexmarkQueries, Q13EnrichesEveryBidFromTheSideInputTable) {
    std::vector<std::string> expected;
    for (const Bid& b : bids()) {
        expected.push_back(fmt::format("{} {} {} {} {}",
                                       b.auction,
                                       b.bidder,
                                       b.price,
                                       format_timestamp(b.date_time),
                                       b.auction % 10000));
    }
    std::sort(expected.begin(), expected.end());
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(run("q13", workers)), expected) << workers << " workers";
    }
}

TEST(NexmarkQueries, Q16CountsPerChannelAndDayWithTheLatestMinute) {
    struct Group {
        std::array<std::vector<const Bid*>, 4> bands;
        int64_t latest = 0;
    };
    std::map<std::pair<std::string, std::string>, Group> groups;
    auto all = bids();
    for (const Bid& b : all) {
        auto& g = groups[{b.channel, format_timestamp(b.date_time).substr(0, 10)}];
        g.bands[0].push_back(&b);
        g.bands[b.price < 10000 ? 1 : b.price < 1000000 ? 2 : 3].push_back(&b);
        g.latest = std::max(g.latest, b.date_time);
    }
    std::vector<std::string> expected;
    for (const auto& [key, g] : groups) {
        expected.push_back(fmt::format("{} {} {} {}",
                                       key.first,
                                       key.second,
                                       format_timestamp(g.latest).substr(11, 5),
                                       band_statistics(g.bands)));
    }
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(last_row_per_group(run("q16", workers), 2)), expected)
            << workers << " workers";
    }
}

TEST(NexmarkQueries, Q18KeepsTheLatestBidOfEachBidderOnEachAuction) {
    std::map<std::pair<int64_t, int64_t>, Bid> latest;
    for (const Bid& b : bids()) {
        auto [it, fresh] = latest.try_emplace({b.bidder, b.auction}, b);
        if (!fresh && b.date_time >= it->second.date_time) {
            it->second = b;
        }
    }
    std::vector<std::string> expected;
    for (const auto& [key, b] : latest) {
        expected.push_back(fmt::format("{} {} {} {} {} {} {}",
                                       b.auction,
                                       b.bidder,
                                       b.price,
                                       b.channel,
                                       b.url,
                                       format_timestamp(b.date_time),
                                       b.extra));
    }
    std::sort(expected.begin(), expected.end());
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(last_row_per_group(run("q18", workers), 2)), expected)
            << workers << " workers";
    }
}

TEST(NexmarkQueries, Q19KeepsTheTenBestBidsOfEachAuction) {
    std::map<int64_t, std::vector<Bid>> per_auction;
    for (const Bid& b : bids()) {
        per_auction[b.auction].push_back(b);
    }
    std::vector<std::string> expected;
    for (auto& [auction, list] : per_auction) {
        std::sort(list.begin(), list.end(), [](const Bid& a, const Bid& b) {
            return std::tuple(-a.price, a.date_time, a.bidder) <
                   std::tuple(-b.price, b.date_time, b.bidder);
        });
        for (size_t i = 0; i < std::min<size_t>(list.size(), 10); ++i) {
            const Bid& b = list[i];
            expected.push_back(fmt::format("{} {} {} {} {} {} {} {}",
                                           b.auction,
                                           i + 1,
                                           b.bidder,
                                           b.price,
                                           b.channel,
                                           b.url,
                                           format_timestamp(b.date_time),
                                           b.extra));
        }
    }
    std::sort(expected.begin(), expected.end());
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(last_row_per_group(run("q19", workers), 2)), expected)
            << workers << " workers";
    }
}

/// Each auction with a bid in [dateTime, expires], with its highest, earliest such bid.
std::vector<std::pair<Auction, Bid>> auction_winners() {
    std::map<int64_t, Auction> auctions;
    for (const Event& e : all_events()) {
        if (const auto* a = std::get_if<Auction>(&e)) {
            auctions[a->id] = *a;
        }
    }
    std::map<int64_t, Bid> best;
    for (const Bid& b : bids()) {
        auto a = auctions.find(b.auction);
        if (a == auctions.end() || b.date_time < a->second.date_time ||
            b.date_time > a->second.expires) {
            continue;
        }
        auto [it, fresh] = best.try_emplace(b.auction, b);
        if (!fresh && std::tuple(-b.price, b.date_time, b.bidder) <
                          std::tuple(-it->second.price, it->second.date_time, it->second.bidder)) {
            it->second = b;
        }
    }
    std::vector<std::pair<Auction, Bid>> out;
    for (const auto& [id, b] : best) {
        out.emplace_back(auctions[id], b);
    }
    return out;
}

TEST(NexmarkQueries, Q9FindsTheWinningBidOfEveryAuction) {
    std::vector<std::string> expected;
    for (const auto& [a, b] : auction_winners()) {
        expected.push_back(fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {}",
                                       a.id,
                                       a.item_name,
                                       a.description,
                                       a.initial_bid,
                                       a.reserve,
                                       format_timestamp(a.date_time),
                                       format_timestamp(a.expires),
                                       a.seller,
                                       a.category,
                                       a.extra,
                                       b.auction,
                                       b.bidder,
                                       b.price,
                                       format_timestamp(b.date_time),
                                       b.extra));
    }
    expect_query("q9", expected);
}

TEST(NexmarkQueries, Q4AveragesTheClosingPricesOfEachCategory) {
    std::map<int64_t, std::pair<double, int>> categories;  // sum, count
    for (const auto& [a, b] : auction_winners()) {
        categories[a.category].first += static_cast<double>(b.price);
        ++categories[a.category].second;
    }
    std::vector<std::string> expected;
    for (const auto& [category, total] : categories) {
        expected.push_back(
            fmt::format("{} {}", category, decimal_text(total.first / total.second)));
    }
    ASSERT_GT(expected.size(), 1u);
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(last_row_per_group(run("q4", workers), 1)), expected)
            << workers << " workers";
    }
}

TEST(NexmarkQueries, Q6AveragesTheLastTenClosingPricesOfEachSeller) {
    std::map<int64_t, std::vector<std::pair<Auction, Bid>>> sellers;
    for (const auto& winner : auction_winners()) {
        sellers[winner.first.seller].push_back(winner);
    }
    std::vector<std::string> expected;
    bool some_seller_has_more_than_ten = false;
    for (auto& [seller, sold] : sellers) {
        std::sort(sold.begin(), sold.end(), [](const auto& x, const auto& y) {
            return std::pair(x.first.expires, x.first.id) > std::pair(y.first.expires, y.first.id);
        });
        some_seller_has_more_than_ten = some_seller_has_more_than_ten || sold.size() > 10;
        sold.resize(std::min<size_t>(sold.size(), 10));
        double sum = 0;
        for (const auto& [a, b] : sold) {
            sum += static_cast<double>(b.price);
        }
        expected.push_back(fmt::format("{} {}", seller, decimal_text(sum / sold.size())));
    }
    EXPECT_TRUE(some_seller_has_more_than_ten) << "the test does not reach the last-10 limit";
    std::sort(expected.begin(), expected.end());
    for (size_t workers : {1, 2}) {
        EXPECT_EQ(sorted(last_row_per_group(run("q6", workers), 1)), expected)
            << workers << " workers";
    }
}

TEST(NexmarkQueries, Q3JoinsCategoryTenAuctionsWithTheirSellersInOregonIdahoOrCalifornia) {
    std::vector<Auction> auctions;
    std::map<int64_t, Person> persons;
    for (const Event& e : all_events()) {
        if (const auto* a = std::get_if<Auction>(&e); a && a->category == 10) {
            auctions.push_back(*a);
        } else if (const auto* p = std::get_if<Person>(&e)) {
            persons[p->id] = *p;
        }
    }
    std::vector<std::string> expected;
    for (const Auction& a : auctions) {
        auto p = persons.find(a.seller);
        if (p != persons.end() &&
            std::set<std::string>{"OR", "ID", "CA"}.contains(p->second.state)) {
            expected.push_back(
                fmt::format("{} {} {} {}", p->second.name, p->second.city, p->second.state, a.id));
        }
    }
    expect_query("q3", expected);
}

TEST(NexmarkQueries, Q20ExpandsEveryBidOnACategoryTenAuction) {
    std::map<int64_t, Auction> auctions;
    for (const Event& e : all_events()) {
        if (const auto* a = std::get_if<Auction>(&e); a && a->category == 10) {
            auctions[a->id] = *a;
        }
    }
    std::vector<std::string> expected;
    for (const Bid& b : bids()) {
        auto it = auctions.find(b.auction);
        if (it == auctions.end()) {
            continue;
        }
        const Auction& a = it->second;
        expected.push_back(fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}",
                                       b.auction,
                                       b.bidder,
                                       b.price,
                                       b.channel,
                                       b.url,
                                       format_timestamp(b.date_time),
                                       b.extra,
                                       a.item_name,
                                       a.description,
                                       a.initial_bid,
                                       a.reserve,
                                       format_timestamp(a.date_time),
                                       format_timestamp(a.expires),
                                       a.seller,
                                       a.category,
                                       a.extra));
    }
    expect_query("q20", expected);
}

TEST(NexmarkQueries, Q21ExtractsChannelIdsAsTheUpstreamRegexDoes) {
    const std::regex channel_id("(&|^)channel_id=([^&]*)");
    std::vector<std::string> expected;
    for (const Bid& b : bids()) {
        std::string lower = b.channel;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        std::map<std::string, std::string> known{
            {"apple", "0"}, {"google", "1"}, {"facebook", "2"}, {"baidu", "3"}};
        std::smatch m;
        std::string id;
        if (known.contains(lower)) {
            id = known[lower];
        } else if (std::regex_search(b.url, m, channel_id)) {
            id = m[2];
        } else {
            continue;
        }
        expected.push_back(
            fmt::format("{} {} {} {} {}", b.auction, b.bidder, b.price, b.channel, id));
    }
    expect_query("q21", expected);
}

TEST(NexmarkQueries, Q22SplitsTheUrlIntoDirectories) {
    std::vector<std::string> expected;
    for (const Bid& b : bids()) {
        std::vector<std::string> parts;
        size_t from = 0;
        for (size_t at; (at = b.url.find('/', from)) != std::string::npos; from = at + 1) {
            parts.push_back(b.url.substr(from, at - from));
        }
        parts.push_back(b.url.substr(from));
        auto part = [&](size_t i) {
            return i < parts.size() ? parts[i] : std::string("NULL");
        };
        expected.push_back(fmt::format("{} {} {} {} {} {} {}",
                                       b.auction,
                                       b.bidder,
                                       b.price,
                                       b.channel,
                                       part(3),
                                       part(4),
                                       part(5)));
    }
    expect_query("q22", expected);
}

TEST(NexmarkQueries, ThroughTheStoreGiveTheSameRowsAsInProcess) {
    tests::TempDir dir;
    auto store = tests::open_test_store(dir.path());
    ASSERT_TRUE(write_events(*store, "nexmark", 3, config(), kEvents));
    for (const char* query : {"q5", "q8", "q9", "q11", "q22"}) {
        auto through_store = run(query, 2, std::make_shared<StoreEventSource>(*store, "nexmark"));
        EXPECT_EQ(sorted(through_store), sorted(run(query, 2))) << query;
    }
}

TEST(NexmarkQueries, AStoredRecordThatIsNotAnEventStopsTheQueryWithTheReason) {
    EventDecoder decode;
    EXPECT_EQ(decode(R"({"event_type": 7})").error().message, "event_type 7 is not 0, 1 or 2");
    EXPECT_FALSE(decode(R"({"event_type": 2, "bid": {"auction": "x"}})"));
    EXPECT_FALSE(decode("not json"));
    auto bid = decode(event_json(generate_event(config(), 10)));
    ASSERT_TRUE(bid);
    EXPECT_EQ(*bid, generate_event(config(), 10));
}

}  // namespace
}  // namespace shardflow::nexmark
