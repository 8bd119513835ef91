#pragma once
// The clicks-per-minute query, shared by examples/clicks_per_minute.cc and the backfill
// benchmark (bench/backfill): JSON clicks -> event time from "ts" -> key by page -> 1-minute
// tumbling COUNT(*) and SUM(bytes) -> a SQLite table (page, window_start, clicks, bytes).

#include "connectors/formats/json_fields.h"
#include "connectors/shard_source/shard_source.h"
#include "connectors/sinks/sqlite_table_sink.h"
#include "operators/query.h"
#include "operators/window/tumbling_window.h"

namespace shardflow::examples {

struct Click {
    std::string page;
    int64_t bytes = 0;
    int64_t ts = 0;  // event time, ms since the epoch
};

/// {"page": "...", "bytes": n, "ts": epoch_ms}; anything else is rejected with the reason.
inline Result<Click> parse_click(const connectors::ShardRecord& r) {
    thread_local connectors::JsonFields fields({"page", "bytes", "ts"});
    SF_TRY(fields.scan(r.data));
    SF_ASSIGN_OR_RETURN(auto page, fields.string(0));
    SF_ASSIGN_OR_RETURN(auto bytes, fields.int64(1));
    SF_ASSIGN_OR_RETURN(auto ts, fields.int64(2));
    return Click{std::string(page), bytes, ts};
}

using ClicksPerMinute = ops::WindowResult<std::string, std::tuple<int64_t, int64_t>>;

inline Result<std::shared_ptr<connectors::SqliteTableSink<ClicksPerMinute>>>
clicks_per_minute_table(const std::filesystem::path& db) {
    SF_ASSIGN_OR_RETURN(auto table,
                        connectors::SqliteTable::open(db,
                                                      {"clicks_per_minute",
                                                       {{"page", "TEXT"},
                                                        {"window_start", "INTEGER"},
                                                        {"clicks", "INTEGER"},
                                                        {"bytes", "INTEGER"}},
                                                       {"page", "window_start"}}));
    return std::make_shared<connectors::SqliteTableSink<
        ClicksPerMinute>>(std::move(table), [](const ClicksPerMinute& r) {
        return shardflow::Row{r.key, r.window_start, std::get<0>(r.value), std::get<1>(r.value)};
    });
}

/// Builds the query over `stream`; records that do not parse go to `rejected` (may be null).
inline void clicks_per_minute(
    ops::Query& query,
    store::StreamStore& store,
    const std::string& stream,
    std::shared_ptr<runtime::Downstream<ops::Rejected<connectors::ShardRecord>>> rejected,
    std::shared_ptr<connectors::SqliteTableSink<ClicksPerMinute>> sink) {
    using namespace std::chrono_literals;
    query.source<connectors::ShardRecord>(std::make_shared<connectors::ShardSource>(store, stream))
        .try_map(&parse_click, std::move(rejected))
        .with_event_time(&Click::ts)
        .key_by(&Click::page)
        .apply(ops::TumblingWindow(1min).aggregate(ops::All(ops::Count{}, ops::Sum{&Click::bytes})))
        .sink(std::move(sink));
}

}  // namespace shardflow::examples
