// Example: sessions per user with a 30 s gap, exactly once into a SQLite table.
//
//   user_sessions [DATA_DIR] [USERS]
//
// Writes three bursts of clicks per user (clicks seconds apart, bursts minutes apart) to the
// stream `clicks`, then replays it: key by user -> session windows (30 s gap) -> clicks and
// distinct pages per session -> table `sessions` in DATA_DIR/results.db, which is also the
// query's checkpoint store: kill it and run it again, and the table comes out the same.

#include "connectors/shard_source/shard_source.h"
#include "connectors/sinks/sqlite_table_sink.h"
#include "examples/example_support.h"
#include "operators/aggregate/distinct.h"
#include "operators/query.h"
#include "operators/window/session_window.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <random>

using namespace shardflow;
using namespace std::chrono_literals;

namespace {

struct Click {
    std::string user;
    std::string page;
    int64_t ts = 0;
};

Result<Click> parse_click(const connectors::ShardRecord& r) {
    boost::system::error_code ec;
    auto value = boost::json::parse(r.data, ec);
    const auto* o = ec ? nullptr : value.if_object();
    const auto* page = o ? o->if_contains("page") : nullptr;
    const auto* ts = o ? o->if_contains("ts") : nullptr;
    if (!page || !page->is_string() || !ts || !ts->is_int64()) {
        return Error{ErrorCode::kInvalidArgument, "needs a string \"page\" and an integer \"ts\""};
    }
    return Click{std::string(r.partition_key), std::string(page->as_string()), ts->as_int64()};
}

/// Every user gets three bursts of 5 to 15 clicks, 1 to 10 s apart, bursts 2 to 5 minutes apart.
examples::Records generate(int users) {
    std::mt19937 rng(7);
    std::vector<std::pair<int64_t, std::pair<std::string, std::string>>> clicks;
    const int64_t start = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    for (int u = 0; u < users; ++u) {
        int64_t t = start + static_cast<int64_t>(rng() % 60'000);
        for (int burst = 0; burst < 3; ++burst) {
            int n = 5 + static_cast<int>(rng() % 11);
            for (int i = 0; i < n; ++i) {
                t += 1'000 + static_cast<int64_t>(rng() % 9'000);
                clicks.push_back({t,
                                  {fmt::format("user-{}", u),
                                   fmt::format(R"({{"page": "/p/{}", "ts": {}}})", rng() % 8, t)}});
            }
            t += 120'000 + static_cast<int64_t>(rng() % 180'000);
        }
    }
    std::sort(clicks.begin(), clicks.end());  // arrival in event-time order, as a live site sends
    examples::Records records;
    for (auto& c : clicks) {
        records.push_back(std::move(c.second));
    }
    return records;
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : "sessions-example-data";
    int users = argc > 2 ? std::atoi(argv[2]) : 200;
    auto store = examples::open_store(dir);
    auto checkpoints = store ? runtime::CheckpointStore::open(dir / "results.db")
                             : Result<std::unique_ptr<runtime::CheckpointStore>>(store.error());
    if (!checkpoints) {
        fmt::print(stderr, "{}\n", checkpoints.error().message);
        return 1;
    }
    if (auto described = (*store)->describe_stream("clicks"); !described) {
        if (auto written = examples::put_all(**store, "clicks", 4, generate(users)); !written) {
            fmt::print(stderr, "cannot write clicks: {}\n", written.error().message);
            return 1;
        }
    }

    using Row = ops::WindowResult<std::string, std::tuple<int64_t, int64_t>>;
    auto sink = connectors::ExactlyOnceTableSink<Row>::create(
        **checkpoints,
        {"sessions",
         {{"user", "TEXT"},
          {"session_start", "INTEGER"},
          {"session_end", "INTEGER"},
          {"clicks", "INTEGER"},
          {"pages", "INTEGER"}},
         {"user", "session_start"}},
        [](const Row& r) {
            return shardflow::Row{
                r.key, r.window_start, r.window_end, std::get<0>(r.value), std::get<1>(r.value)};
        });
    if (!sink) {
        fmt::print(stderr, "{}\n", sink.error().message);
        return 1;
    }
    ops::Query query("user_sessions");
    query
        .source<connectors::ShardRecord>(
            std::make_shared<connectors::ShardSource>(**store, "clicks"))
        .try_map(&parse_click, nullptr)
        .with_event_time(&Click::ts)
        .key_by(&Click::user)
        .apply(ops::SessionWindow(30s).aggregate(
            ops::All(ops::Count{}, ops::CountDistinct{&Click::page})))
        .sink(*sink);
    runtime::ExecutorOptions run;
    run.bounded = true;
    run.checkpoints.store = checkpoints->get();
    auto stats = query.run(run);
    if (!stats) {
        fmt::print(stderr, "query failed: {}\n", stats.error().message);
        return 1;
    }
    fmt::print("{}: read {} records in {} ms, {} checkpoints{}; sessions in {} (table sessions)\n",
               query.name(),
               stats->records,
               stats->elapsed.count(),
               stats->checkpoints,
               stats->resumed ? ", resumed from the last one" : "",
               (dir / "results.db").string());
    return 0;
}
