// Backfill benchmark: replay N JSON clickstream records from TRIM_HORIZON through
//   parse JSON -> event time -> key by page -> 1-minute tumbling COUNT(*), SUM(bytes)
//   -> SQLite table
// and report records per second of wall time and per CPU-second of the process. With
// --write-jsonl it also writes the same records as a JSON-lines file, for DuckDB to run the
// same aggregation over (duckdb_backfill.mjs).
//
//   clickstream_backfill --records 5000000 --workers 2 --dir /tmp/backfill [--write-jsonl]
//   clickstream_backfill --reuse --dir /tmp/backfill      (replay what an earlier run wrote)

#include "examples/clicks_per_minute_query.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <random>

#include <sys/resource.h>

using namespace shardflow;

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// N clicks over 1,000 pages and 100,000 users, 10 per ms of event time.
Status write_clicks(store::StreamStore& store, int64_t n, std::FILE* jsonl) {
    SF_TRY(store.create_stream({"clicks", 4, store::StreamMode::kProvisioned, {}}));
    std::mt19937_64 rng(1);
    const int64_t start = 1'767'225'600'000;
    std::vector<std::string> keys(500);
    std::vector<std::string> bodies(500);
    std::vector<store::PutRecordRequest> batch;
    for (int64_t i = 0; i < n;) {
        batch.clear();
        for (size_t j = 0; j < 500 && i < n; ++j, ++i) {
            keys[j] = fmt::format("user-{}", rng() % 100'000);
            bodies[j] = fmt::format(R"({{"user":"{}","page":"/page/{}","bytes":{},"ts":{}}})",
                                    keys[j],
                                    rng() % 1000,
                                    rng() % 10'000,
                                    start + i / 10);
            if (jsonl) {
                std::fprintf(jsonl, "%s\n", bodies[j].c_str());
            }
            batch.push_back({keys[j], bodies[j], std::nullopt});
        }
        SF_TRY(store.put_all("clicks", batch));
    }
    return ok();
}

}  // namespace

int main(int argc, char** argv) {
    int64_t records = 5'000'000;
    size_t workers = 2;
    std::filesystem::path dir = "/tmp/shardflow-backfill";
    bool write_jsonl = false;
    bool reuse = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--records" && i + 1 < argc) {
            records = std::atoll(argv[++i]);
        } else if (arg == "--workers" && i + 1 < argc) {
            workers = static_cast<size_t>(std::atoi(argv[++i]));
        } else if (arg == "--dir" && i + 1 < argc) {
            dir = argv[++i];
        } else if (arg == "--write-jsonl") {
            write_jsonl = true;
        } else if (arg == "--reuse") {
            reuse = true;
        } else {
            fmt::print(stderr,
                       "usage: clickstream_backfill [--records N] [--workers N] [--dir DIR] "
                       "[--write-jsonl] [--reuse]\n");
            return 2;
        }
    }
    if (!reuse) {
        std::filesystem::remove_all(dir);
    }
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "results.db");
    store::StoreOptions options;
    options.data_dir = dir / "store";
    options.background_housekeeping = false;
    auto store = store::StreamStore::open(options);
    if (!store) {
        fmt::print(stderr, "{}\n", store.error().message);
        return 1;
    }
    if (!reuse) {
        std::FILE* jsonl = write_jsonl ? std::fopen((dir / "clicks.jsonl").c_str(), "w") : nullptr;
        if (auto written = write_clicks(**store, records, jsonl); !written) {
            fmt::print(stderr, "{}\n", written.error().message);
            return 1;
        }
        if (jsonl) {
            std::fclose(jsonl);
        }
    }

    auto sink = examples::clicks_per_minute_table(dir / "results.db");
    if (!sink) {
        fmt::print(stderr, "{}\n", sink.error().message);
        return 1;
    }
    ops::Query query("backfill");
    examples::clicks_per_minute(query, **store, "clicks", nullptr, *sink);
    runtime::ExecutorOptions run;
    run.workers = workers;
    run.bounded = true;
    double cpu_before = cpu_seconds();
    auto stats = query.run(run);
    double cpu = cpu_seconds() - cpu_before;
    if (!stats || !(*sink)->status()) {
        fmt::print(stderr, "query failed\n");
        return 1;
    }
    double wall = static_cast<double>(stats->elapsed.count()) / 1000.0;
    fmt::print(
        "{{\"engine\": \"shardflow\", \"records\": {}, \"workers\": {}, \"wall_s\": {:.3f}, "
        "\"cpu_s\": {:.3f}, "
        "\"records_per_s\": {:.0f}, \"records_per_cpu_s\": {:.0f}}}\n",
        stats->records,
        workers,
        wall,
        cpu,
        static_cast<double>(stats->records) / wall,
        static_cast<double>(stats->records) / cpu);
    return 0;
}
