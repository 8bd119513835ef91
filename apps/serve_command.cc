// `shardflow serve`: the stream store behind the Kinesis HTTP API until SIGINT or SIGTERM.

#include "apps/commands.h"
#include "apps/options.h"
#include "apps/server_stack.h"
#include "apps/sql_http.h"
#include "apps/stop_signal.h"
#include "connectors/http_ingest/http_ingest.h"

#include <fmt/format.h>

#include <cstdio>

namespace shardflow::app {
namespace {

/// `--auth strict` reads access keys from --credentials, else from the AWS CLI's own file.
Result<api::auth::Authenticator> make_authenticator(const Options& o) {
    if (o.get("auth") == "any") {
        return api::auth::Authenticator{};
    }
    std::filesystem::path file = o.get("credentials");
    if (file.empty()) {
        const char* shared = std::getenv("AWS_SHARED_CREDENTIALS_FILE");
        const char* home = std::getenv("HOME");
        file = shared ? shared : fmt::format("{}/.aws/credentials", home ? home : "");
    }
    SF_ASSIGN_OR_RETURN(auto credentials, api::auth::Credentials::load(file));
    fmt::print("shardflow serve: strict SigV4 auth with {} access key(s) from {}\n",
               credentials.size(),
               file.string());
    return api::auth::Authenticator(
        std::move(credentials), o.get("region"), SystemClock::instance());
}

}  // namespace

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
                                  {"threads", "8"},
                                  {"auth", "any"},
                                  {"credentials", ""},
                                  {"tls-cert", ""},
                                  {"tls-key", ""}});
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
    if (*port < 0 || *port > 65535 ||
        (o.get("durability") != "fsync" && o.get("durability") != "none") ||
        (o.get("auth") != "any" && o.get("auth") != "strict")) {
        fmt::print(stderr,
                   "shardflow serve: --port must be 0..65535, --durability fsync or none, --auth "
                   "any or strict\n");
        return 2;
    }
    auto authenticator = make_authenticator(o);
    if (!authenticator) {
        fmt::print(stderr, "shardflow serve: {}\n", authenticator.error().message);
        return 2;
    }

    ServerStackOptions stack_options;
    store::StoreOptions& store_options = stack_options.store;
    store_options.data_dir = o.get("data-dir");
    store_options.region = o.get("region");
    store_options.account_id = o.get("account");
    store_options.shard_limit = static_cast<int>(*shard_limit);
    store_options.create_delay_ms = *create_delay;
    store_options.update_delay_ms = *update_delay;
    store_options.enforce_limits = o.get("enforce-limits") == "true";
    store_options.log.sync =
        o.get("durability") == "none" ? store::log::SyncMode::kNone : store::log::SyncMode::kFsync;
    stack_options.authenticator = std::move(*authenticator);
    api::ServerOptions& server_options = stack_options.server;
    server_options.host = o.get("host");
    server_options.port = static_cast<uint16_t>(*port);
    server_options.threads = static_cast<int>(*threads);
    server_options.tls_cert = o.get("tls-cert");
    server_options.tls_key = o.get("tls-key");

    StopSignal stop;  // before the server's threads start: they inherit the mask

    auto stack = ServerStack::start(stack_options);
    if (!stack) {
        fmt::print(stderr, "shardflow serve: {}\n", stack.error().message);
        return 1;
    }
    const std::string& endpoint = (*stack)->endpoint();
    fmt::print("shardflow serve: Kinesis API on {} (data in {}, region {}, account {})\n",
               endpoint,
               std::filesystem::absolute(store_options.data_dir).string(),
               store_options.region,
               store_options.account_id);
    fmt::print("  try: aws kinesis list-streams --endpoint-url {}\n", endpoint);
    fmt::print("       shardflow sql --endpoint {}   (SQL on POST {})\n", endpoint, kSqlPath);
    fmt::print(
        "       curl -d '{{\"user\": \"u1\"}}' '{}{}STREAM/records?partition_key_field=user'\n",
        endpoint,
        connectors::kIngestPrefix);
    std::fflush(stdout);

    while (!stop.wait(std::chrono::hours(1))) {
    }
    fmt::print("shardflow serve: {} received, finishing requests in flight\n",
               stop.received() == SIGINT ? "SIGINT" : "SIGTERM");
    std::fflush(stdout);
    stack->reset();  // finishes requests, stops the continuous queries (they resume later)
    fmt::print("shardflow serve: stopped\n");
    return 0;
}

}  // namespace shardflow::app
