// Example: clicks per page per minute, from a stream of JSON click records into a SQLite table.
//
//   clicks_per_minute [DATA_DIR] [RECORDS]
//
// Opens (or creates) a store in DATA_DIR, writes RECORDS JSON clicks to the stream `clicks`
// (4 shards, partition key = user), then replays the stream from TRIM_HORIZON through
//   parse JSON -> event time from "ts" -> key by page -> 1-minute tumbling window
//   -> COUNT(*), SUM(bytes) -> SQLite table clicks_per_minute in DATA_DIR/results.db.
// Records that do not parse go, with the reason, to DATA_DIR/rejected.jsonl; the query goes on.

#include "connectors/shard_source/shard_source.h"
#include "connectors/sinks/json_lines_sink.h"
#include "connectors/sinks/sqlite_table_sink.h"
#include "operators/query.h"
#include "operators/window/tumbling_window.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <atomic>
#include <random>

#include "examples/example_support.h"

using namespace shardflow;
using namespace std::chrono_literals;

namespace {

struct Click {
    std::string page;
    std::string user;
    int64_t bytes = 0;
    int64_t ts = 0;  // event time, ms since the epoch
};

/// Parses one record: {"page": "...", "bytes": n, "ts": epoch_ms}, the user from the partition key.
Result<Click> parse_click(const connectors::ShardRecord& r) {
    boost::system::error_code ec;
    auto value = boost::json::parse(r.data, ec);
    if (ec) {
        return Error::make(ErrorCode::kInvalidArgument, "not JSON: {}", ec.message());
    }
    const auto* o = value.if_object();
    const auto* page = o ? o->if_contains("page") : nullptr;
    const auto* ts = o ? o->if_contains("ts") : nullptr;
    if (!page || !page->is_string() || !ts || !ts->is_int64()) {
        return Error{ErrorCode::kInvalidArgument, "needs a string \"page\" and an integer \"ts\""};
    }
    const auto* bytes = o->if_contains("bytes");
    return Click{std::string(page->as_string()),
                 std::string(r.partition_key),
                 bytes && bytes->is_int64() ? bytes->as_int64() : 0,
                 ts->as_int64()};
}

Status write_clicks(store::StreamStore& store, int count) {
    std::mt19937 rng(42);
    const int64_t start = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    examples::Records records;
    for (int i = 0; i < count; ++i) {
        std::string user = fmt::format("user-{}", rng() % 100);
        records.emplace_back(user,
                             fmt::format(R"({{"page": "/page/{}", "bytes": {}, "ts": {}}})",
                                         rng() % 10,
                                         rng() % 5000,
                                         start + i * 100));
    }
    records.emplace_back("user-0", "not json");  // bad input is set aside, not fatal
    return examples::put_all(store, "clicks", 4, records);
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : "clicks-example-data";
    int count = argc > 2 ? std::atoi(argv[2]) : 10000;
    auto store = examples::open_store(dir);
    if (!store) {
        fmt::print(stderr, "cannot open store: {}\n", store.error().message);
        return 1;
    }
    if (auto written = write_clicks(**store, count); !written) {
        fmt::print(stderr, "cannot write clicks: {}\n", written.error().message);
        return 1;
    }

    using Row = ops::WindowResult<std::string, std::tuple<int64_t, int64_t>>;
    auto table = connectors::SqliteTable::open(dir / "results.db",
                                               {"clicks_per_minute",
                                                {{"page", "TEXT"},
                                                 {"window_start", "INTEGER"},
                                                 {"clicks", "INTEGER"},
                                                 {"bytes", "INTEGER"}},
                                                {"page", "window_start"}});
    if (!table) {
        fmt::print(stderr, "{}\n", table.error().message);
        return 1;
    }
    auto sink =
        std::make_shared<connectors::SqliteTableSink<Row>>(std::move(*table), [](const Row& r) {
            return connectors::SqlRow{
                r.key, r.window_start, std::get<0>(r.value), std::get<1>(r.value)};
        });
    using Rejected = ops::Rejected<connectors::ShardRecord>;
    auto rejected_file = connectors::LineWriter::open(dir / "rejected.jsonl");
    if (!rejected_file) {
        fmt::print(stderr, "{}\n", rejected_file.error().message);
        return 1;
    }
    std::atomic<int64_t> rejected{0};
    auto errors = std::make_shared<connectors::JsonLinesSink<Rejected>>(
        std::move(*rejected_file), [&rejected](const Rejected& r) {
            rejected.fetch_add(1);
            return boost::json::serialize(boost::json::object{
                {"shard", r.record.shard_index}, {"data", r.record.data}, {"reason", r.reason}});
        });

    ops::Query query("clicks_per_minute");
    query
        .source<connectors::ShardRecord>(
            std::make_shared<connectors::ShardSource>(**store, "clicks"))
        .try_map(&parse_click, errors)
        .with_event_time(&Click::ts)
        .key_by(&Click::page)
        .apply(ops::TumblingWindow(1min).aggregate(ops::All(ops::Count{}, ops::Sum{&Click::bytes})))
        .sink(sink);
    runtime::ExecutorOptions run;
    run.bounded = true;
    auto stats = query.run(run);
    if (!stats || !sink->status()) {
        fmt::print(stderr,
                   "query failed: {}\n",
                   stats ? sink->status().error().message : stats.error().message);
        return 1;
    }
    fmt::print("{}: read {} records in {} ms ({} rounds), {} rejected (see {}); results in {}\n",
               query.name(),
               stats->records,
               stats->elapsed.count(),
               stats->rounds,
               rejected.load(),
               (dir / "rejected.jsonl").string(),
               (dir / "results.db").string());
    return 0;
}
