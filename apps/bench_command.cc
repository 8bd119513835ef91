// `shardflow bench nexmark`: runs Nexmark queries (C++ operator graphs) on the in-process
// generator and reports events/s, events/s per core of CPU time, peak memory and result rows.

#include "apps/commands.h"
#include "apps/options.h"
#include "bench/nexmark/queries/query_set.h"
#include "bench/nexmark/source/generator_source.h"
#include "bench/nexmark/source/store_event_source.h"
#include "engine/store/stream_store.h"

#include <fmt/format.h>

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

/// One bounded run of `query` over the `events` events `make_source` yields; a progress bar on
/// stderr when asked.
Result<Measure> run_once(const std::string& query,
                         const SourceFactory& make_source,
                         uint64_t events,
                         size_t workers,
                         bool progress) {
    const auto& info = nexmark::cpp_queries().at(query);
    auto source = make_source();
    auto rows = std::make_shared<nexmark::ResultRows>(false);
    ops::Query q("nexmark_" + query);
    info.build(q, source, rows);
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.bounded = true;
    options.watermarks.out_of_orderness = std::chrono::milliseconds(4000);  // upstream's watermark
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
    SF_ASSIGN_OR_RETURN(auto stats, q.run(std::move(options)));
    if (progress) {
        fmt::print(stderr, "\r{:70}\r", "");
    }
    return Measure{
        stats.records,
        rows->count(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
        cpu_seconds() - cpu_before};
}

/// `--through-store`: the events go into a stream of a fresh store first (not timed); queries
/// then read its shards and parse every record. The store does not fsync: loading is not what
/// is measured.
Result<std::pair<std::unique_ptr<store::StreamStore>, std::filesystem::path>> load_store(
    const nexmark::GeneratorConfig& config, uint64_t events, size_t workers) {
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
    SF_TRY(nexmark::write_events(
        *store, "nexmark", static_cast<int>(std::max<size_t>(workers, 1) * 2), config, events));
    fmt::print("loaded {} events as JSON records into {} in {:.1f} s\n",
               events,
               pattern,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return std::pair{std::move(store), std::filesystem::path(pattern)};
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "nexmark") {
        fmt::print(
            stderr,
            "usage: shardflow bench nexmark --query q0|...|all [--events N] [--workers N]\n");
        return 2;
    }
    auto parsed = Options::parse({args.begin() + 1, args.end()},
                                 {{"query", "all"},
                                  {"events", "10000000"},
                                  {"warmup", "1000000"},
                                  {"workers", "2"},
                                  {"rate", "10000000"},
                                  {"through-store", "false"}});
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
    std::vector<std::string> queries;
    if (o.get("query") == "all") {
        for (const auto& [name, info] : nexmark::cpp_queries()) {
            queries.push_back(name);
        }
    } else if (nexmark::cpp_queries().contains(o.get("query"))) {
        queries.push_back(o.get("query"));
    } else {
        std::string known;
        for (const auto& [name, info] : nexmark::cpp_queries()) {
            known += " " + name;
        }
        fmt::print(stderr, "shardflow bench: no query {}; there are:{}\n", o.get("query"), known);
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
    if (o.get("through-store") == "true") {
        auto loaded = load_store(config, measured, size);
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
    fmt::print(
        "nexmark: {} events per query after {} of warm-up, {} workers, {} ({} events/s of "
        "event time)\n",
        measured,
        warm_events,
        size,
        store ? "through the store (shard reads + JSON parsing)" : "in-process generator",
        *rate);
    fmt::print("{:<6}{:>14}{:>16}{:>18}{:>12}{:>12}\n",
               "query",
               "events/s",
               "events/s/core",
               "CPU s (wall s)",
               "rows",
               "peak MB");
    for (const auto& query : queries) {
        if (warm_events > 0) {
            if (auto warm = run_once(query, warm_up, warm_events, size, false); !warm) {
                fmt::print(stderr, "{}: {}\n", query, warm.error().message);
                return 1;
            }
        }
        auto m = run_once(query, source, measured, size, true);
        if (!m) {
            fmt::print(stderr, "{}: {}\n", query, m.error().message);
            return 1;
        }
        fmt::print("{:<6}{:>14}{:>16}{:>18}{:>12}{:>12}\n",
                   query,
                   fmt::format("{:.2f} M", static_cast<double>(m->events) / m->seconds / 1e6),
                   fmt::format("{:.2f} M", static_cast<double>(m->events) / m->cpu_seconds / 1e6),
                   fmt::format("{:.2f} ({:.2f})", m->cpu_seconds, m->seconds),
                   m->rows,
                   peak_memory_mb());
        std::fflush(stdout);
    }
    if (store) {
        store.reset();
        std::filesystem::remove_all(store_dir);
    }
    return 0;
}

}  // namespace shardflow::app
