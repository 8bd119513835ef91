#pragma once
// The store, the SQL engine and the HTTP server that `shardflow serve` runs, and that
// `shardflow demo` runs in-process: one place that routes the Kinesis API, SQL over HTTP and
// HTTP ingestion.

#include "apps/sql_sessions.h"
#include "apps/statement_pool.h"
#include "connectors/kinesis_api/api.h"
#include "connectors/kinesis_api/auth/api_keys.h"
#include "connectors/kinesis_api/server/http_server.h"
#include "engine/store/stream_store.h"
#include "service/sql_engine.h"

#include <memory>
#include <string>

namespace shardflow::app {

struct ServerStackOptions {
    store::StoreOptions store;
    api::ServerOptions server;
    /// Under strict verification every endpoint needs a valid signature (ingestion: or an API
    /// key issued for its stream).
    api::auth::Authenticator authenticator;
    api::auth::ApiKeys api_keys;
    size_t sql_workers = 0;                                // per continuous query; 0: one per core
    std::vector<std::filesystem::path> sql_allowed_paths;  // besides the data directory
    /// SQL requests run on threads of their own, never on the I/O threads; beyond these and
    /// a queue of sql_queue more, a request is answered 503.
    size_t sql_threads = 4;
    size_t sql_queue = 64;
    std::chrono::milliseconds sql_statement_timeout{std::chrono::seconds(30)};
    size_t sql_max_state_bytes = size_t{1} << 30;  // per query
};

/// Threading: start and destroy from one thread; the parts are thread-safe.
class ServerStack {
public:
    /// Opens the store (and SQL engine, which resumes its continuous queries) in
    /// options.store.data_dir, then serves on options.server.
    static Result<std::unique_ptr<ServerStack>> start(ServerStackOptions options);
    /// Cancels running SQL statements, finishes requests in flight, stops the continuous
    /// queries (they resume from their checkpoints next time), closes the store.
    ~ServerStack();
    ServerStack(const ServerStack&) = delete;
    ServerStack& operator=(const ServerStack&) = delete;

    store::StreamStore& store() { return *store_; }
    service::SqlEngine& sql() { return *sql_; }
    /// "http://127.0.0.1:4567" (https with TLS).
    const std::string& endpoint() const { return endpoint_; }

private:
    ServerStack() = default;

    /// SQL, ingestion or the Kinesis API, each behind the same authentication; CORS for pages.
    void route(const api::HttpRequestView& request, const api::HttpServer::Respond& respond);
    /// Queues a SQL request for the statement pool, or answers that it is full.
    void run_sql(const api::HttpRequestView& request, const api::HttpServer::Respond& respond);
    /// Ingestion takes a valid signature or, from web producers, an API key for its stream.
    Status check_ingest_access(const api::HttpRequestView& request) const;

    std::unique_ptr<store::StreamStore> store_;
    std::unique_ptr<service::SqlEngine> sql_;
    std::atomic<bool> stopping_{false};  // cancels the statements running
    SqlSessions sessions_{1024};
    std::unique_ptr<StatementPool> statements_;
    api::auth::Authenticator authenticator_;
    api::auth::ApiKeys api_keys_;
    std::unique_ptr<api::KinesisApi> kinesis_;
    std::unique_ptr<api::HttpServer> server_;
    std::string endpoint_;
};

}  // namespace shardflow::app
