// `shardflow serve`: the stream store behind the Kinesis HTTP API until SIGINT or SIGTERM.

#include "apps/commands.h"
#include "apps/options.h"
#include "apps/server_stack.h"
#include "apps/sql_http.h"
#include "apps/stop_signal.h"
#include "connectors/http_ingest/http_ingest.h"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include <cstdio>

namespace shardflow::app {
namespace {

/// `--auth strict` reads access keys from --credentials, else from the AWS CLI's own file.
Result<api::auth::Authenticator> make_authenticator(const Options& o) {
    if (o.get("auth") != "strict") {
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

/// Whether `host` is reachable only from this machine.
bool is_loopback(const std::string& host) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(host, ec);
    return host == "localhost" || (!ec && address.is_loopback());
}

/// Without verified signatures only this machine may connect, unless the user says so.
Status check_exposure(const Options& o) {
    const std::string& host = o.get("host");
    if (o.get("auth") == "strict" || is_loopback(host)) {
        return ok();
    }
    if (o.get("auth") == "any") {
        return Error::make(ErrorCode::kInvalidArgument,
                           "refusing to listen on {} without --auth strict: anyone who can reach "
                           "it could read, write and delete every stream and run SQL that reads "
                           "and writes files as this user. Use --auth strict (with --credentials), "
                           "or --auth none to accept that",
                           host);
    }
    fmt::print(stderr,
               "shardflow serve: WARNING: --auth none on {}: anyone on that network can read, "
               "write and delete every stream and run SQL that reads and writes files as this "
               "user\n",
               host);
    return ok();
}

Result<api::auth::ApiKeys> load_api_keys(const Options& o) {
    if (o.get("api-keys").empty()) {
        return api::auth::ApiKeys{};
    }
    if (o.get("auth") != "strict") {
        return Error{ErrorCode::kInvalidArgument,
                     "--api-keys needs --auth strict (without it ingestion is open anyway)"};
    }
    SF_ASSIGN_OR_RETURN(auto keys, api::auth::ApiKeys::load(o.get("api-keys")));
    fmt::print("shardflow serve: {} API key(s) for HTTP ingestion from {}\n",
               keys.size(),
               o.get("api-keys"));
    return keys;
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
                                  {"threads", "0"},
                                  {"auth", "any"},
                                  {"credentials", ""},
                                  {"api-keys", ""},
                                  {"sql-allowed-path", ""},
                                  {"min-retention-hours", "24"},
                                  {"sql-threads", "4"},
                                  {"sql-timeout", "30"},
                                  {"sql-max-state-mb", "1024"},
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
    auto min_retention = o.get_int("min-retention-hours");
    auto sql_threads = o.get_int("sql-threads");
    auto sql_timeout = o.get_int("sql-timeout");
    auto sql_max_state = o.get_int("sql-max-state-mb");
    for (const auto* value : {&port,
                              &shard_limit,
                              &create_delay,
                              &update_delay,
                              &threads,
                              &min_retention,
                              &sql_threads,
                              &sql_timeout,
                              &sql_max_state}) {
        if (!*value) {
            fmt::print(stderr, "shardflow serve: {}\n", value->error().message);
            return 2;
        }
    }
    if (*threads < 0) {
        fmt::print(stderr, "shardflow serve: --threads must be 0 (one per core) or more\n");
        return 2;
    }
    if (*sql_threads < 1 || *sql_timeout < 1 || *sql_max_state < 1) {
        fmt::print(
            stderr,
            "shardflow serve: --sql-threads, --sql-timeout and --sql-max-state-mb must be at "
            "least 1\n");
        return 2;
    }
    if (*port < 0 || *port > 65535 ||
        (o.get("durability") != "fsync" && o.get("durability") != "none") ||
        (o.get("auth") != "any" && o.get("auth") != "strict" && o.get("auth") != "none")) {
        fmt::print(stderr,
                   "shardflow serve: --port must be 0..65535, --durability fsync or none, --auth "
                   "any, strict or none\n");
        return 2;
    }
    if (Status exposed = check_exposure(o); !exposed) {
        fmt::print(stderr, "shardflow serve: {}\n", exposed.error().message);
        return 2;
    }
    auto authenticator = make_authenticator(o);
    auto api_keys = authenticator ? load_api_keys(o) : api::auth::ApiKeys{};
    if (!authenticator || !api_keys) {
        fmt::print(stderr,
                   "shardflow serve: {}\n",
                   (authenticator ? api_keys.error() : authenticator.error()).message);
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
    store_options.min_retention_hours = static_cast<int>(*min_retention);
    store_options.log.sync =
        o.get("durability") == "none" ? store::log::SyncMode::kNone : store::log::SyncMode::kFsync;
    stack_options.authenticator = std::move(*authenticator);
    stack_options.api_keys = std::move(*api_keys);
    for (const auto& path : o.get_list("sql-allowed-path")) {
        stack_options.sql_allowed_paths.emplace_back(path);
    }
    stack_options.sql_threads = static_cast<size_t>(*sql_threads);
    stack_options.sql_queue = 16 * stack_options.sql_threads;
    stack_options.sql_statement_timeout = std::chrono::seconds(*sql_timeout);
    stack_options.sql_max_state_bytes = static_cast<size_t>(*sql_max_state) << 20;
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
