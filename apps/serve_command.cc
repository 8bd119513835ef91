// `shardflow serve`: the stream store behind the Kinesis HTTP API until SIGINT or SIGTERM.

#include "apps/commands.h"
#include "apps/options.h"
#include "connectors/kinesis_api/api.h"
#include "connectors/kinesis_api/server/http_server.h"
#include "engine/store/stream_store.h"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>

namespace shardflow::app {

int serve_command(const std::vector<std::string>& args) {
    auto parsed = Options::parse(args,
                                 {{"port", "4567"},
                                  {"host", "127.0.0.1"},
                                  {"data-dir", "./shardflow-data"},
                                  {"region", "us-east-1"},
                                  {"account", "000000000000"},
                                  {"shard-limit", "500"},
                                  {"create-delay-ms", "50"},
                                  {"update-delay-ms", "50"},
                                  {"durability", "fsync"},
                                  {"enforce-limits", "false"},
                                  {"threads", "8"}});
    if (!parsed) {
        fmt::print(stderr, "shardflow serve: {}\n", parsed.error().message);
        return 2;
    }
    const Options& o = *parsed;
    auto port = o.get_int("port");
    auto shard_limit = o.get_int("shard-limit");
    auto create_delay = o.get_int("create-delay-ms");
    auto update_delay = o.get_int("update-delay-ms");
    auto threads = o.get_int("threads");
    for (const auto* value : {&port, &shard_limit, &create_delay, &update_delay, &threads}) {
        if (!*value) {
            fmt::print(stderr, "shardflow serve: {}\n", value->error().message);
            return 2;
        }
    }
    if (*port < 0 || *port > 65535 || (o.get("durability") != "fsync" && o.get("durability") != "none")) {
        fmt::print(stderr, "shardflow serve: --port must be 0..65535 and --durability fsync or none\n");
        return 2;
    }

    store::StoreOptions store_options;
    store_options.data_dir = o.get("data-dir");
    store_options.region = o.get("region");
    store_options.account_id = o.get("account");
    store_options.shard_limit = static_cast<int>(*shard_limit);
    store_options.create_delay_ms = *create_delay;
    store_options.update_delay_ms = *update_delay;
    store_options.enforce_limits = o.get("enforce-limits") == "true";
    store_options.log.sync = o.get("durability") == "none" ? store::log::SyncMode::kNone : store::log::SyncMode::kFsync;
    auto store = store::StreamStore::open(store_options);
    if (!store) {
        fmt::print(stderr, "shardflow serve: cannot open {}: {}\n", store_options.data_dir.string(), store.error().message);
        return 1;
    }

    // Signals are waited for by this thread only; the server's threads inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    api::KinesisApi kinesis(**store);
    api::ServerOptions server_options;
    server_options.host = o.get("host");
    server_options.port = static_cast<uint16_t>(*port);
    server_options.threads = static_cast<int>(*threads);
    api::HttpServer server(server_options, [&kinesis](const api::HttpRequestView& r) { return kinesis.handle(r); });
    auto bound = server.start();
    if (!bound) {
        fmt::print(stderr, "shardflow serve: {}\n", bound.error().message);
        return 1;
    }
    fmt::print("shardflow serve: Kinesis API on http://{}:{} (data in {}, region {}, account {})\n",
               server_options.host,
               *bound,
               std::filesystem::absolute(store_options.data_dir).string(),
               store_options.region,
               store_options.account_id);
    fmt::print("  try: aws kinesis list-streams --endpoint-url http://{}:{}\n", server_options.host, *bound);
    std::fflush(stdout);

    int received = 0;
    sigwait(&signals, &received);
    fmt::print("shardflow serve: {} received, finishing requests in flight\n", received == SIGINT ? "SIGINT" : "SIGTERM");
    std::fflush(stdout);
    server.stop();
    store->reset();
    fmt::print("shardflow serve: stopped\n");
    return 0;
}

}  // namespace shardflow::app
