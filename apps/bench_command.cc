// `shardflow bench nexmark`: runs Nexmark queries (C++ operator graphs) on the in-process
// generator and reports events/s, events/s per core of CPU time, peak memory and result rows.

#include "apps/commands.h"
#include "apps/options.h"
#include "bench/nexmark/queries/query_set.h"
#include "bench/nexmark/source/generator_source.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <thread>

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

/// One bounded run of `query` over `events` events; a progress bar on stderr when asked.
Result<Measure> run_once(const std::string& query,
                         const nexmark::GeneratorConfig& config,
                         uint64_t events,
                         size_t workers,
                         bool progress) {
    const auto& info = nexmark::cpp_queries().at(query);
    auto source =
        std::make_shared<nexmark::GeneratorSource>(config, events, std::max<size_t>(workers, 1));
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
    if (o.get("through-store") != "false") {
        fmt::print(stderr,
                   "shardflow bench: --through-store is not built yet; the generator feeds the "
                   "queries in-process\n");
        return 2;
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
    fmt::print(
        "nexmark: {} events per query after {} of warm-up, {} workers, in-process generator "
        "({} events/s of event time)\n",
        *events,
        *warmup,
        *workers,
        *rate);
    fmt::print("{:<6}{:>14}{:>16}{:>18}{:>12}{:>12}\n",
               "query",
               "events/s",
               "events/s/core",
               "CPU s (wall s)",
               "rows",
               "peak MB");
    for (const auto& query : queries) {
        auto size = static_cast<size_t>(*workers);
        if (*warmup > 0) {
            if (auto warm = run_once(query, config, static_cast<uint64_t>(*warmup), size, false);
                !warm) {
                fmt::print(stderr, "{}: {}\n", query, warm.error().message);
                return 1;
            }
        }
        auto m = run_once(query, config, static_cast<uint64_t>(*events), size, true);
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
    return 0;
}

}  // namespace shardflow::app
