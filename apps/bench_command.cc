// `shardflow bench nexmark`: runs Nexmark queries (C++ operator graphs on the in-process
// generator or through the store, or their SQL versions through the store) and reports events/s,
// events/s per core of CPU time, peak memory and result rows.

#include "apps/commands.h"
#include "apps/options.h"
#include "bench/nexmark/queries/query_set.h"
#include "bench/nexmark/queries/sql_queries.h"
#include "bench/nexmark/source/generator_source.h"
#include "bench/nexmark/source/store_event_source.h"
#include "engine/store/stream_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <tuple>

#include <stdlib.h>
#include <sys/resource.h>

namespace shardflow::app {
namespace {

struct Measure {
    uint64_t events = 0;
    uint64_t rows = 0;
    double seconds = 0;
    double cpu_seconds = 0;
};

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) {
        return t.tv_sec + t.tv_usec / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int64_t peak_memory_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

using SourceFactory = std::function<nexmark::EventSource()>;

/// Builds a query's graph into `q`, its rows counted into `rows`; returns the out-of-orderness
/// its watermarks allow.
using BuildQuery = std::function<Result<std::chrono::milliseconds>(
    ops::Query& q, std::shared_ptr<nexmark::ResultRows> rows)>;

/// The C++ graph of `query` over the events `make_source` yields.
BuildQuery cpp_graph(const std::string& query, const SourceFactory& make_source) {
    return [&info = nexmark::cpp_queries().at(query), make_source](
               ops::Query& q,
               std::shared_ptr<nexmark::ResultRows> rows) -> Result<std::chrono::milliseconds> {
        info.build(q, make_source(), std::move(rows));
        return std::chrono::milliseconds(4000);  // upstream's watermark
    };
}

/// One bounded run of `query` over `events` events; a progress bar on stderr when asked.
Result<Measure> run_once(const std::string& query,
                         const BuildQuery& build,
                         uint64_t events,
                         size_t workers,
                         bool progress) {
    auto rows = std::make_shared<nexmark::ResultRows>(false);
    ops::Query q("nexmark_" + query);
    SF_ASSIGN_OR_RETURN(auto out_of_orderness, build(q, rows));
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.bounded = true;
    options.watermarks.out_of_orderness = out_of_orderness;
    auto last_print = std::chrono::steady_clock::now();
    auto started = last_print;
    options.on_progress = [&](uint64_t read, runtime::EventTime) {
        auto now = std::chrono::steady_clock::now();
        if (!progress || now - last_print < std::chrono::milliseconds(250)) {
            return;
        }
        last_print = now;
        double done = static_cast<double>(read) / static_cast<double>(events);
        auto width = static_cast<int>(done * 30);
        double elapsed = std::chrono::duration<double>(now - started).count();
        fmt::print(stderr,
                   "\r  {} [{:<30}] {:3.0f}% {:.2f} M events/s ",
                   query,
                   std::string(static_cast<size_t>(width), '='),
                   done * 100,
                   static_cast<double>(read) / elapsed / 1e6);
    };
    double cpu_before = cpu_seconds();
    SF_TRY(q.run(std::move(options)));
    if (progress) {
        fmt::print(stderr, "\r{:70}\r", "");
    }
    // Per event of the generator, as Nexmark reports: the SQL versions read only the streams
    // (person, auction, bid) they name, so they can read fewer records.
    return Measure{
        events,
        rows->count(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
        cpu_seconds() - cpu_before};
}

/// `--through-store` and `--sql`: the events go into a fresh store first (not timed), into one
/// stream of events, or for SQL into the streams person, auction and bid; queries then read its
/// shards and parse every record. The store does not fsync: loading is not what is measured.
Result<std::pair<std::unique_ptr<store::StreamStore>, std::filesystem::path>> load_store(
    const nexmark::GeneratorConfig& config, uint64_t events, size_t workers, bool sql) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "shardflow-nexmark-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        return Error::make(ErrorCode::kIoError, "cannot create {}", pattern);
    }
    store::StoreOptions options;
    options.data_dir = pattern;
    options.log.sync = store::log::SyncMode::kNone;
    SF_ASSIGN_OR_RETURN(auto store, store::StreamStore::open(options));
    auto started = std::chrono::steady_clock::now();
    const auto shards = static_cast<int>(std::max<size_t>(workers, 1) * 2);
    SF_TRY(sql ? nexmark::write_row_streams(*store, shards, config, events)
               : nexmark::write_events(*store, "nexmark", shards, config, events));
    fmt::print("loaded {} events as JSON records into {} in {:.1f} s\n",
               events,
               pattern,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return std::pair{std::move(store), std::filesystem::path(pattern)};
}

/// The queries `--query` names (all: every query of the kind run), or an error naming them.
Result<std::vector<std::string>> chosen_queries(const std::string& wanted, bool sql) {
    std::vector<std::string> known;
    if (sql) {
        known = nexmark::SqlQueries::names();
    } else {
        for (const auto& [name, info] : nexmark::cpp_queries()) {
            known.push_back(name);
        }
    }
    if (wanted == "all") {
        return known;
    }
    if (std::find(known.begin(), known.end(), wanted) != known.end()) {
        return std::vector<std::string>{wanted};
    }
    return Error::make(
        ErrorCode::kInvalidArgument, "no query {}; there are: {}", wanted, fmt::join(known, " "));
}

void print_row(const std::string& query, const Measure& m) {
    fmt::print("{:<6}{:>14}{:>16}{:>18}{:>12}{:>12}\n",
               query,
               fmt::format("{:.2f} M", static_cast<double>(m.events) / m.seconds / 1e6),
               fmt::format("{:.2f} M", static_cast<double>(m.events) / m.cpu_seconds / 1e6),
               fmt::format("{:.2f} ({:.2f})", m.cpu_seconds, m.seconds),
               m.rows,
               peak_memory_mb());
    std::fflush(stdout);
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "nexmark") {
        fmt::print(stderr,
                   "usage: shardflow bench nexmark --query q0|...|all [--events N] [--workers N] "
                   "[--through-store true] [--sql true]\n");
        return 2;
    }
    auto parsed = Options::parse({args.begin() + 1, args.end()},
                                 {{"query", "all"},
                                  {"events", "10000000"},
                                  {"warmup", "1000000"},
                                  {"workers", "2"},
                                  {"rate", "10000000"},
                                  {"through-store", "false"},
                                  {"sql", "false"}});
    if (!parsed) {
        fmt::print(stderr, "shardflow bench: {}\n", parsed.error().message);
        return 2;
    }
    const Options& o = *parsed;
    auto events = o.get_int("events");
    auto warmup = o.get_int("warmup");
    auto workers = o.get_int("workers");
    auto rate = o.get_int("rate");
    for (const auto* value : {&events, &warmup, &workers, &rate}) {
        if (!*value || **value < 0) {
            fmt::print(stderr,
                       "shardflow bench: {}\n",
                       *value ? "counts must be >= 0" : value->error().message);
            return 2;
        }
    }
    const bool sql = o.get("sql") == "true";
    auto queries = chosen_queries(o.get("query"), sql);
    if (!queries) {
        fmt::print(stderr, "shardflow bench: {}\n", queries.error().message);
        return 2;
    }
    nexmark::GeneratorConfig config;
    config.first_event_rate = config.next_event_rate = static_cast<int32_t>(*rate);
    const auto size = static_cast<size_t>(*workers);
    const auto measured = static_cast<uint64_t>(*events);
    uint64_t warm_events = static_cast<uint64_t>(*warmup);
    SourceFactory source = [&]() -> nexmark::EventSource {
        return std::make_shared<nexmark::GeneratorSource>(
            config, measured, std::max<size_t>(size, 1));
    };
    SourceFactory warm_up = [&]() -> nexmark::EventSource {
        return std::make_shared<nexmark::GeneratorSource>(
            config, warm_events, std::max<size_t>(size, 1));
    };
    std::unique_ptr<store::StreamStore> store;
    std::filesystem::path store_dir;
    std::unique_ptr<nexmark::SqlQueries> sql_queries;
    if (sql || o.get("through-store") == "true") {
        auto loaded = load_store(config, measured, size, sql);
        if (!loaded) {
            fmt::print(stderr, "shardflow bench: {}\n", loaded.error().message);
            return 1;
        }
        std::tie(store, store_dir) = std::move(*loaded);
        source = [&]() -> nexmark::EventSource {
            return std::make_shared<nexmark::StoreEventSource>(*store, "nexmark");
        };
        warm_up = source;  // a first full read warms the page cache
        warm_events = measured;
    }
    if (sql) {
        auto opened = nexmark::SqlQueries::open(*store, store_dir / "sql.db", size);
        if (!opened) {
            fmt::print(stderr, "shardflow bench: {}\n", opened.error().message);
            return 1;
        }
        sql_queries = std::move(*opened);
    }
    fmt::print(
        "nexmark: {} events per query after {} of warm-up, {} workers, {} ({} events/s of "
        "event time)\n",
        measured,
        warm_events,
        size,
        sql     ? "SQL through the store (shard reads + JSON parsing)"
        : store ? "through the store (shard reads + JSON parsing)"
                : "in-process generator",
        *rate);
    fmt::print("{:<6}{:>14}{:>16}{:>18}{:>12}{:>12}\n",
               "query",
               "events/s",
               "events/s/core",
               "CPU s (wall s)",
               "rows",
               "peak MB");
    for (const auto& query : *queries) {
        BuildQuery measured_run = cpp_graph(query, source), warm_run = cpp_graph(query, warm_up);
        if (sql) {
            measured_run =
                warm_run = [&](ops::Query& q, std::shared_ptr<nexmark::ResultRows> rows) {
                    return sql_queries->build(query, q, std::move(rows));
                };
        }
        if (warm_events > 0) {
            if (auto warm = run_once(query, warm_run, warm_events, size, false); !warm) {
                fmt::print(stderr, "{}: {}\n", query, warm.error().message);
                return 1;
            }
        }
        auto m = run_once(query, measured_run, measured, size, true);
        if (!m) {
            fmt::print(stderr, "{}: {}\n", query, m.error().message);
            return 1;
        }
        print_row(query, *m);
    }
    int status = 0;
    if (sql_queries && sql_queries->rejected().count() > 0) {
        fmt::print(stderr,
                   "shardflow bench: {} records could not be read (first: {})\n",
                   sql_queries->rejected().count(),
                   sql_queries->rejected().first_reason());
        status = 1;
    }
    sql_queries.reset();
    if (store) {
        store.reset();
        std::filesystem::remove_all(store_dir);
    }
    return status;
}

}  // namespace shardflow::app
