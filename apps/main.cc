// The shardflow binary: dispatches to a subcommand.

#include "apps/commands.h"

#include <fmt/format.h>

#include <cstring>

namespace {

constexpr const char* kUsage = R"(usage: shardflow <command> [options]

commands:
  demo     the whole pipeline on an embedded default, in one command: a server on a free
           loopback port, a stream `clicks` (4 shards) fed at a steady rate, continuous SQL
           queries into SQLite tables, the raw records delivered to gzip files, a live view,
           a summary, and a backfill from TRIM_HORIZON checked against the live result
           [--duration 30] [--rate 200] [--speed 20] [--seed 1] [--port 0] [--data-dir DIR]
           --speed: seconds of event time per second, so minute windows close while it runs;
           --data-dir: a new directory (default: a fresh one under the temp directory).
  serve    run the stream store behind the Kinesis HTTP API
           [--port 4567] [--host 127.0.0.1] [--data-dir ./shardflow-data]
           [--region us-east-1] [--account 000000000000] [--shard-limit 500]
           [--create-delay-ms 50] [--update-delay-ms 50] [--durability fsync|none]
           [--enforce-limits false] [--threads 0] [--min-retention-hours 24]
           [--config FILE]
           --threads: I/O threads, each with its own event loop (0: one per core).
           [--auth any|strict|none] [--credentials FILE] [--api-keys FILE]
           [--tls-cert PEM --tls-key PEM] [--sql-allowed-path DIR[:DIR...]]
           --auth strict verifies SigV4 signatures against the keys of an AWS
           credentials file (default: ~/.aws/credentials) on every endpoint (Kinesis,
           SQL, ingestion, which also takes the --api-keys of its stream); any accepts
           every well-formed signature, as the local Kinesis emulators do, and only on
           a loopback --host; none is any on another host, which you must ask for.
           SQL may name files (sink paths, reference databases) only under the data
           directory (relative paths start there) and the --sql-allowed-path folders.
           [--sql-threads 4] [--sql-timeout 30] [--sql-max-state-mb 1024]: SQL
           requests run on threads of their own (16 more per thread may wait; beyond
           that they get 503); a SELECT or batch-mode query stops with an error after
           --sql-timeout seconds; a query whose state (a regular join's records, the
           groups of an aggregation without a window) passes --sql-max-state-mb fails.
           Every option can also come from SHARDFLOW_<OPTION> in the environment
           (e.g. SHARDFLOW_DATA_DIR) or from a config file of `option = value` lines.
  sql      run SQL: a REPL, or a script with -f FILE or -e 'STATEMENTS;'
           [--endpoint http://127.0.0.1:4567] [--data-dir DIR] [--workers N]
           [--sql-allowed-path DIR[:DIR...]]
           Talks to a running `shardflow serve` (POST /v1/sql) unless --data-dir
           runs it embedded on that data directory. Streams, tables and continuous
           queries are kept in DATA_DIR/sql.db; continuous queries resume from
           their checkpoints when the server (or embedded session) starts again.
           SET 'execution.runtime-mode' = 'batch'; makes CREATE TABLE AS / INSERT
           INTO run to the tail of their input and stop, for this client only.
  bench    bench nexmark --query q0|...|all [--events 10000000] [--warmup 1000000]
           [--workers 2] [--rate 10000000] [--through-store true] [--sql true]:
           Nexmark queries (C++ operator graphs) on the in-process generator, or on
           its events written as JSON into a stream first, or their SQL versions on
           the events written into the streams person, auction and bid; events/s,
           events/s per core of CPU time, result rows and peak memory.
  generate write template records into a stream at a steady rate (Kinesis Data Generator)
           --stream NAME [--endpoint http://127.0.0.1:4567] [--template FILE |
           --template-text '{"user": "{{internet.userName}}", "n": {{random.number(9)}}}']
           [--partition-key '{{random.uuid}}'] [--rate 100] [--count N] [--duration 10]
           [--seed N] [--create-shards N]: stops after --count records or --duration
           seconds (10 if neither is given); exit 1 if records could not be delivered.
  agent    follow log files into a stream, as the Kinesis Agent does
           --stream NAME --file PATH [--file PATH ...] [--endpoint http://127.0.0.1:4567]
           [--format lines|jsonl] [--partition-key random|line-hash|field:NAME]
           [--checkpoint ./shardflow-agent.checkpoints] [--from-start false] [--duration S]
           Complete lines only; follows rotation (rename + create) and truncation; saves
           per-file offsets after each acknowledged batch and resumes from them. Runs until
           SIGINT/SIGTERM or --duration; --from-start applies to files without a checkpoint.
  api-key  issue an API key for HTTP ingestion into one stream: prints the key once and
           adds its SHA-256 to the file `serve --api-keys` reads
           --stream NAME [--file ./shardflow-api-keys]
  help     show this text
)";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0 ||
        std::strcmp(argv[1], "-h") == 0) {
        fmt::print("{}", kUsage);
        return argc < 2 ? 2 : 0;
    }
    std::vector<std::string> args(argv + 2, argv + argc);
    if (std::strcmp(argv[1], "demo") == 0) {
        return shardflow::app::demo_command(args);
    }
    if (std::strcmp(argv[1], "serve") == 0) {
        return shardflow::app::serve_command(args);
    }
    if (std::strcmp(argv[1], "bench") == 0) {
        return shardflow::app::bench_command(args);
    }
    if (std::strcmp(argv[1], "sql") == 0) {
        return shardflow::app::sql_command(args);
    }
    if (std::strcmp(argv[1], "generate") == 0) {
        return shardflow::app::generate_command(args);
    }
    if (std::strcmp(argv[1], "agent") == 0) {
        return shardflow::app::agent_command(args);
    }
    if (std::strcmp(argv[1], "api-key") == 0) {
        return shardflow::app::api_key_command(args);
    }
    fmt::print(stderr, "shardflow: unknown command '{}'\n\n{}", argv[1], kUsage);
    return 2;
}
