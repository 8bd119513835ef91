#pragma once
// The Nexmark queries as C++ operator graphs over the generator's events, by name ("q0" ...),
// each writing its result rows to a sink that counts them and, for cross-checks, can keep them
// as text.

#include "bench/nexmark/generator/model.h"
#include "engine/common/timestamp_text.h"
#include "engine/runtime/downstream.h"
#include "engine/runtime/source.h"
#include "operators/query.h"
#include "sql/value_ops.h"

#include <fmt/format.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace shardflow::nexmark {

/// Where a query's rows go: counted; kept as text lines when asked (small runs only).
class ResultRows {
public:
    explicit ResultRows(bool keep)
        : keep_(keep) {}

    void add(size_t count) { count_.fetch_add(count, std::memory_order_relaxed); }
    bool keeping() const { return keep_; }
    void keep(std::vector<std::string> lines) {
        std::lock_guard lock(mu_);
        lines_.insert(lines_.end(), lines.begin(), lines.end());
    }
    uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mu_);
        return lines_;
    }

private:
    bool keep_;
    std::atomic<uint64_t> count_{0};
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
};

/// A sink for rows of T: counts them into `rows`, and formats them with `text` when it keeps.
template <class T>
class ResultSink final : public runtime::Downstream<T> {
public:
    ResultSink(std::shared_ptr<ResultRows> rows, std::function<std::string(const T&)> text)
        : rows_(std::move(rows))
        , text_(std::move(text)) {}

    void on_batch(std::span<T> batch) override {
        rows_->add(batch.size());
        if (rows_->keeping()) {
            std::vector<std::string> lines;
            for (const T& row : batch) {
                lines.push_back(text_(row));
            }
            rows_->keep(std::move(lines));
        }
    }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

private:
    std::shared_ptr<ResultRows> rows_;
    std::function<std::string(const T&)> text_;
};

using EventSource = std::shared_ptr<runtime::Source<Event>>;

/// Result text is in the form SQL results take (format_timestamp, sql::value_text), so the
/// C++ graphs and the SQL queries compare line for line.
inline std::string decimal_text(double value) {
    return sql::value_text(value, sql::SqlType::kDouble);
}

/// An update stream's final rows: the last line of each group, the group being the first
/// `key_words` words of a line.
std::vector<std::string> last_row_per_group(const std::vector<std::string>& lines,
                                            size_t key_words);

/// The better of two bids on one auction: the higher price, then the earlier (upstream's
/// ORDER BY price DESC, dateTime ASC), then the lower bidder id, so ties are deterministic.
inline bool outbids(const Bid& a, const Bid& b) {
    return std::tuple(-a.price, a.date_time, a.bidder) <
           std::tuple(-b.price, b.date_time, b.bidder);
}

/// An event of type A or B as a std::variant<A, B>, for joins of two event types (filter the
/// third type out first).
template <class A, class B>
std::variant<A, B> either(Event& e) {
    if (auto* a = std::get_if<A>(&e)) {
        return std::move(*a);
    }
    return std::move(std::get<B>(e));
}

/// A bid's columns as upstream's bid table orders them, in the text of SQL results.
inline std::string bid_text(const Bid& b) {
    return fmt::format("{} {} {} {} {} {} {}",
                       b.auction,
                       b.bidder,
                       b.price,
                       b.channel,
                       b.url,
                       format_timestamp(b.date_time),
                       b.extra);
}

/// An auction's columns after its id, as upstream's auction table orders them.
inline std::string auction_text_after_id(const Auction& a) {
    return fmt::format("{} {} {} {} {} {} {} {} {}",
                       a.item_name,
                       a.description,
                       a.initial_bid,
                       a.reserve,
                       format_timestamp(a.date_time),
                       format_timestamp(a.expires),
                       a.seller,
                       a.category,
                       a.extra);
}

/// The bids of the event stream (persons and auctions dropped).
inline ops::Stream<Bid> bids(ops::Query& q, EventSource source) {
    return q.source<Event>(std::move(source))
        .filter([](const Event& e) { return e.index() == 2; })
        .map([](Event& e) { return std::move(std::get<Bid>(e)); });
}

template <class T>
std::shared_ptr<ResultSink<T>> result_sink(std::shared_ptr<ResultRows> rows,
                                           std::function<std::string(const T&)> text) {
    return std::make_shared<ResultSink<T>>(std::move(rows), std::move(text));
}
using QueryBuilder = std::function<void(ops::Query&, EventSource, std::shared_ptr<ResultRows>)>;

struct QueryInfo {
    std::string meaning;
    QueryBuilder build;
};

/// Every query with a C++ graph, by name.
const std::map<std::string, QueryInfo>& cpp_queries();

}  // namespace shardflow::nexmark
