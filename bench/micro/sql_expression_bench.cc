// SQL expressions evaluated over rows, without a source or a graph: Nexmark q21's filter and
// channel-id CASE (regex functions, LOWER, comparisons and IN over columns and constants) and a
// plain arithmetic projection, over 10,000 bids with Nexmark-shaped channels and URLs.

#include "sql/binder/bound_expression.h"
#include "sql/parser/parser.h"

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

namespace {

using namespace shardflow;
using namespace shardflow::sql;

const Schema& bid_schema() {
    static const Schema schema{{{"auction", SqlType::kBigint, ""},
                                {"bidder", SqlType::kBigint, ""},
                                {"price", SqlType::kBigint, ""},
                                {"channel", SqlType::kVarchar, ""},
                                {"url", SqlType::kVarchar, ""}}};
    return schema;
}

/// Bids as Nexmark's generator makes them: a channel out of a few names or "channel-N", a URL
/// with a channel_id parameter for most of them.
const std::vector<Row>& bids() {
    static const auto rows = [] {
        const char* channels[] = {"Google", "Facebook", "Baidu", "Apple"};
        std::mt19937_64 rng(1);
        std::vector<Row> out;
        for (int i = 0; i < 10'000; ++i) {
            const bool named = rng() % 10 < 7;
            const int64_t n = static_cast<int64_t>(rng() % 10'000);
            std::string channel = named ? channels[rng() % 4] : "channel-" + std::to_string(n);
            std::string url = "https://www.nexmark.com/kvpw/zyrd/fwsq/item.htm?query=1";
            if (!named) {
                url += "&channel_id=" + std::to_string(1'000'000 + n);
            }
            out.push_back(Row{int64_t{i}, n, n * 10, std::move(channel), std::move(url)});
        }
        return out;
    }();
    return rows;
}

BoundExpr bind(const std::string& expression) {
    auto script = parse_script("SELECT " + expression + " FROM bid");
    auto bound = bind_expression(*std::get<Select>(script->front().node).items.front().expr,
                                 BindScope{bid_schema(), "SELECT"});
    if (!bound) {
        std::abort();
    }
    return std::move(*bound);
}

void evaluate(benchmark::State& state, const std::string& expression) {
    const BoundExpr e = bind(expression);
    const auto& rows = bids();
    for (auto _ : state) {
        for (const Row& row : rows) {
            benchmark::DoNotOptimize(e.eval(row));
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()));
}

void BM_Q21Filter(benchmark::State& state) {
    evaluate(state,
             "REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) IS NOT NULL "
             "OR LOWER(channel) IN ('apple', 'google', 'facebook', 'baidu')");
}
BENCHMARK(BM_Q21Filter);

void BM_Q21ChannelId(benchmark::State& state) {
    evaluate(state,
             "CASE WHEN LOWER(channel) = 'apple' THEN '0' WHEN LOWER(channel) = 'google' THEN '1' "
             "WHEN LOWER(channel) = 'facebook' THEN '2' WHEN LOWER(channel) = 'baidu' THEN '3' "
             "ELSE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) END");
}
BENCHMARK(BM_Q21ChannelId);

void BM_ArithmeticOverColumns(benchmark::State& state) {
    evaluate(state, "price * 908 / 1000 + auction");
}
BENCHMARK(BM_ArithmeticOverColumns);

}  // namespace

BENCHMARK_MAIN();
