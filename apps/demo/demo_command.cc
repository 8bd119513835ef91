// `shardflow demo`: the whole pipeline on an embedded default. A server in-process, a stream of
// clicks fed by a producer, continuous SQL queries into SQLite tables, the raw records
// delivered to files, a live view, a summary, and a backfill that must equal the live result.

#include "apps/commands.h"
#include "apps/demo/backfill_check.h"
#include "apps/demo/click_producer.h"
#include "apps/demo/demo_script.h"
#include "apps/demo/live_view.h"
#include "apps/options.h"
#include "apps/server_stack.h"
#include "apps/stop_signal.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

namespace shardflow::app {
namespace {

using namespace std::chrono_literals;
using demo::DemoSnapshot;

struct DemoSettings {
    std::chrono::milliseconds duration{30000};
    double rate = 200;
    int speed = 20;
    uint64_t seed = 1;
    uint16_t port = 0;
    std::filesystem::path data_dir;
};

Result<DemoSettings> parse_settings(const std::vector<std::string>& args) {
    SF_ASSIGN_OR_RETURN(auto o,
                        Options::parse(args,
                                       {{"duration", "30"},
                                        {"rate", "200"},
                                        {"speed", "20"},
                                        {"seed", "1"},
                                        {"port", "0"},
                                        {"data-dir", ""}}));
    DemoSettings s;
    SF_ASSIGN_OR_RETURN(int64_t duration, o.get_int("duration"));
    SF_ASSIGN_OR_RETURN(int64_t rate, o.get_int("rate"));
    SF_ASSIGN_OR_RETURN(int64_t speed, o.get_int("speed"));
    SF_ASSIGN_OR_RETURN(int64_t seed, o.get_int("seed"));
    SF_ASSIGN_OR_RETURN(int64_t port, o.get_int("port"));
    if (duration < 1 || duration > 24 * 3600 || rate < 1 || rate > 100000 || speed < 1 ||
        speed > 3600 || port < 0 || port > 65535) {
        return Error{ErrorCode::kInvalidArgument,
                     "--duration must be 1..86400 s, --rate 1..100000 records/s, --speed "
                     "1..3600, --port 0..65535"};
    }
    s.duration = std::chrono::seconds(duration);
    s.rate = static_cast<double>(rate);
    s.speed = static_cast<int>(speed);
    s.seed = static_cast<uint64_t>(seed);
    s.port = static_cast<uint16_t>(port);
    s.data_dir = o.get("data-dir");
    if (s.data_dir.empty()) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "shardflow-demo-XXXXXX").string();
        if (!mkdtemp(pattern.data())) {
            return Error{ErrorCode::kIoError, "cannot create a temporary directory"};
        }
        s.data_dir = pattern;
    } else if (std::filesystem::exists(s.data_dir / "sql.db")) {
        return Error{ErrorCode::kInvalidArgument,
                     fmt::format("{} already holds a demo's data: choose a new --data-dir or "
                                 "delete it (or look at it with shardflow sql --data-dir {})",
                                 s.data_dir.string(),
                                 s.data_dir.string())};
    }
    s.data_dir = std::filesystem::absolute(s.data_dir);
    return s;
}

std::filesystem::path delivery_dir(const DemoSettings& s) {
    return s.data_dir / "delivered";
}

/// Delivered objects (whole files; names starting with '.' are still being written).
void count_delivered(const std::filesystem::path& dir, DemoSnapshot& s) {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->path().filename().string().starts_with(".")) {
            if (it->is_directory()) {
                it.disable_recursion_pending();
            }
            continue;
        }
        if (it->is_regular_file()) {
            ++s.delivered_objects;
            s.delivered_bytes += it->file_size();
        }
    }
}

/// The pages of the latest minute the live query closed, most viewed first.
void latest_window(service::SqlEngine& engine, DemoSnapshot& s) {
    auto latest =
        demo::query(engine, fmt::format("SELECT MAX(window_start) FROM {}", demo::kViewsTable));
    if (!latest || latest->rows.empty() || latest->rows[0][0] == "NULL") {
        return;
    }
    s.latest_window = latest->rows[0][0];
    auto pages = demo::query(engine,
                             fmt::format("SELECT page, views FROM {} WHERE window_start = '{}' "
                                         "ORDER BY views DESC, page LIMIT 4",
                                         demo::kViewsTable,
                                         s.latest_window));
    if (pages) {
        for (auto& row : pages->rows) {
            s.latest_window_pages.emplace_back(row[0], row[1]);
        }
    }
}

class Demo {
public:
    Demo(DemoSettings settings, ServerStack& stack)
        : settings_(std::move(settings))
        , stack_(stack) {}

    DemoSnapshot snapshot(const demo::ProducerStats& produced, std::chrono::milliseconds elapsed) {
        DemoSnapshot s;
        s.elapsed = elapsed;
        s.duration = settings_.duration;
        s.produced = produced.sent;
        s.failed = produced.failed;
        s.event_time = produced.event_time;
        auto now = std::chrono::steady_clock::now();
        double seconds = std::chrono::duration<double>(now - last_at_).count();
        s.rate = seconds > 0 ? static_cast<double>(produced.sent - last_sent_) / seconds : 0;
        last_at_ = now;
        last_sent_ = produced.sent;
        uint64_t in_stream = 0;
        for (uint32_t shard = 0; shard < demo::kShards; ++shard) {
            auto end = stack_.store().shard_position(
                demo::kStream, shard, store::IteratorRequest{store::IteratorType::kLatest, {}, 0});
            s.shard_records.push_back(end ? *end : 0);
            in_stream += s.shard_records.back();
        }
        for (const auto& q : stack_.sql().query_progress()) {
            // ctas_page_views_per_minute, sink_raw_clicks: shown as the table or sink name.
            std::string name = q.name.substr(q.name.find('_') + 1);
            s.queries.push_back(
                {std::move(name), in_stream > q.records_read ? in_stream - q.records_read : 0});
        }
        count_delivered(delivery_dir(settings_), s);
        latest_window(stack_.sql(), s);
        return s;
    }

private:
    DemoSettings settings_;
    ServerStack& stack_;
    std::chrono::steady_clock::time_point last_at_ = std::chrono::steady_clock::now();
    uint64_t last_sent_ = 0;
};

bool caught_up(const DemoSnapshot& s) {
    for (const auto& q : s.queries) {
        if (q.behind > 0) {
            return false;
        }
    }
    return true;
}

Result<std::string> table_summary(service::SqlEngine& engine, const char* table) {
    SF_ASSIGN_OR_RETURN(auto count,
                        demo::query(engine, fmt::format("SELECT COUNT(*) FROM {}", table)));
    return fmt::format("{:<22} {:>6} rows", table, count.rows[0][0]);
}

/// `last` has the delivered files counted after the queries stopped (stopping delivers what the
/// files sink still buffered).
void print_summary(const DemoSettings& s,
                   const std::vector<std::string>& tables,
                   const DemoSnapshot& last,
                   const demo::BackfillReport& backfill) {
    std::string shards;
    for (uint64_t n : last.shard_records) {
        shards += fmt::format("{}{}", shards.empty() ? "" : " / ", n);
    }
    fmt::print("\nSummary\n");
    fmt::print(
        "  produced   {} click records in {:.1f} s into stream {} ({} shards: {}), {} failed\n",
        last.produced,
        std::chrono::duration<double>(last.elapsed).count(),
        demo::kStream,
        demo::kShards,
        shards,
        last.failed);
    fmt::print("  results    {}/sql.db\n", s.data_dir.string());
    for (const auto& line : tables) {
        fmt::print("             {}\n", line);
    }
    fmt::print("  delivered  {} objects ({} KiB of gzip JSON lines) under {}/\n",
               last.delivered_objects,
               last.delivered_bytes / 1024,
               delivery_dir(s).string());
    fmt::print(
        "  backfill   replayed {} from TRIM_HORIZON into {}: {} views in all; the {} minutes the "
        "live query closed ({} rows) are {}; {} more minute(s) were still open live\n",
        demo::kStream,
        demo::kBackfillTable,
        backfill.backfill_views,
        backfill.compared_windows,
        backfill.compared_rows,
        backfill.equal() ? "identical" : "DIFFERENT",
        backfill.extra_windows);
    for (const auto& difference : backfill.differences) {
        fmt::print("             {}\n", difference);
    }
    const std::string sql = fmt::format("shardflow sql --data-dir {}", s.data_dir.string());
    fmt::print("\nLook at them (build/release/apps/shardflow is the binary):\n");
    fmt::print("  {} -e 'SHOW TABLES; SHOW QUERIES'\n", sql);
    fmt::print(
        "  {} -e \"SELECT * FROM {} ORDER BY window_start, views DESC\"\n", sql, demo::kViewsTable);
    fmt::print("  {} -e 'SELECT * FROM top_pages ORDER BY window_start'\n", sql);
    fmt::print("  {} -e 'SELECT * FROM views_by_section ORDER BY views DESC'\n", sql);
    fmt::print("  find {} -type f | head; zcat $(find {} -name '*.gz' | head -1) | head -3\n",
               delivery_dir(s).string(),
               delivery_dir(s).string());
    fmt::print("  the SQL the demo ran: {}/demo.sql\n", s.data_dir.string());
}

}  // namespace

int demo_command(const std::vector<std::string>& args) {
    auto settings = parse_settings(args);
    if (!settings) {
        fmt::print(stderr, "shardflow demo: {}\n", settings.error().message);
        return 2;
    }
    StopSignal interrupted;  // Ctrl-C ends the production early, then the demo finishes

    ServerStackOptions stack_options;
    stack_options.store.data_dir = settings->data_dir;
    stack_options.server.port = settings->port;
    stack_options.sql_workers = 1;  // five small queries share the machine
    auto stack = ServerStack::start(stack_options);
    if (!stack) {
        fmt::print(stderr, "shardflow demo: {}\n", stack.error().message);
        return 1;
    }
    Demo demo(*settings, **stack);
    service::SqlEngine& engine = (*stack)->sql();
    const std::string script = demo::demo_script(delivery_dir(*settings));
    std::ofstream(settings->data_dir / "demo.sql") << script;
    fmt::print(
        "shardflow demo: server on {} (the AWS CLI, boto3 and `shardflow sql --endpoint "
        "{}` work against it while the demo runs)\n",
        (*stack)->endpoint(),
        (*stack)->endpoint());
    fmt::print("  data in {}; the SQL it runs is in demo.sql there\n", settings->data_dir.string());
    auto created = engine.execute(script);
    if (created.error) {
        fmt::print(stderr, "shardflow demo: {}\n", created.error->message);
        return 1;
    }
    fmt::print(
        "  stream {} ({} shards), 4 continuous queries, files delivery; producing {} "
        "clicks/s, event time at {}x the wall clock\n\n",
        demo::kStream,
        demo::kShards,
        settings->rate,
        settings->speed);

    auto producer = demo::ClickProducer::start(
        {(*stack)->endpoint(), demo::kStream, settings->rate, settings->speed, settings->seed});
    if (!producer) {
        fmt::print(stderr, "shardflow demo: {}\n", producer.error().message);
        return 1;
    }
    demo::LiveView view(stdout);
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
    };
    bool stopped = false;
    while (elapsed() < settings->duration && !stopped) {
        view.show(demo.snapshot((*producer)->stats(), elapsed()));
        stopped = interrupted.wait(std::min(500ms, settings->duration - elapsed()));
    }
    (*producer)->stop();
    const auto produced_for = elapsed();

    // Let the queries read the last records (bounded: a stuck query is reported, not waited on).
    DemoSnapshot last = demo.snapshot((*producer)->stats(), produced_for);
    for (int i = 0; i < 60 && !caught_up(last) && !interrupted.wait(250ms); ++i) {
        last = demo.snapshot((*producer)->stats(), produced_for);
    }
    view.show(last);

    // Final checkpoints: the tables then hold every row the live queries made, and the files
    // sink delivers what it buffered.
    engine.stop_queries();
    last.delivered_objects = last.delivered_bytes = 0;
    count_delivered(delivery_dir(*settings), last);

    fmt::print("\nBackfill: replaying {} from TRIM_HORIZON with the page-views query...\n",
               demo::kStream);
    auto backfill = demo::backfill_and_compare(engine);
    if (!backfill) {
        fmt::print(stderr, "shardflow demo: backfill: {}\n", backfill.error().message);
        return 1;
    }
    std::vector<std::string> tables;
    for (const char* table : demo::kResultTables) {
        auto line = table_summary(engine, table);
        tables.push_back(line ? *line : line.error().message);
    }
    stack->reset();
    print_summary(*settings, tables, last, *backfill);
    return backfill->equal() && last.failed == 0 ? 0 : 1;
}

}  // namespace shardflow::app
