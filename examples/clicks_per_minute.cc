// Example: clicks per page per minute, from a stream of JSON click records into a SQLite table.
//
//   clicks_per_minute [DATA_DIR] [RECORDS]
//
// Opens (or creates) a store in DATA_DIR, writes RECORDS JSON clicks to the stream `clicks`
// (4 shards, partition key = user), then replays the stream from TRIM_HORIZON through
//   parse JSON -> event time from "ts" -> key by page -> 1-minute tumbling window
//   -> COUNT(*), SUM(bytes) -> SQLite table clicks_per_minute in DATA_DIR/results.db.
// Records that do not parse go, with the reason, to DATA_DIR/rejected.jsonl; the query goes on.

#include "connectors/sinks/json_lines_sink.h"
#include "examples/clicks_per_minute_query.h"
#include "examples/example_support.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <random>

using namespace shardflow;

namespace {

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

    auto sink = examples::clicks_per_minute_table(dir / "results.db");
    if (!sink) {
        fmt::print(stderr, "{}\n", sink.error().message);
        return 1;
    }
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
    examples::clicks_per_minute(query, **store, "clicks", errors, *sink);
    runtime::ExecutorOptions run;
    run.bounded = true;  // a backfill: from TRIM_HORIZON to the tail, then stop
    auto last_report = std::chrono::steady_clock::now();
    run.on_progress = [&last_report](uint64_t records, runtime::EventTime watermark) {
        if (std::chrono::steady_clock::now() - last_report >= std::chrono::seconds(1)) {
            last_report = std::chrono::steady_clock::now();
            fmt::print(stderr,
                       "  ... {} records read, event time up to {}\n",
                       records,
                       watermark == runtime::kMinEventTime
                           ? std::string("(none yet)")
                           : format_utc(watermark, "%Y-%m-%dT%H:%M:%SZ"));
        }
    };
    auto stats = query.run(run);
    if (!stats || !(*sink)->status()) {
        fmt::print(stderr,
                   "query failed: {}\n",
                   stats ? (*sink)->status().error().message : stats.error().message);
        return 1;
    }
    fmt::print(
        "{}: read {} records in {} ms ({} rounds), {} rejected (see {}), {} late; results in {}\n",
        query.name(),
        stats->records,
        stats->elapsed.count(),
        stats->rounds,
        rejected.load(),
        (dir / "rejected.jsonl").string(),
        stats->late_records,
        (dir / "results.db").string());
    return 0;
}
