#include "apps/server_stack.h"

#include "apps/sql_http.h"
#include "connectors/http_ingest/http_ingest.h"
#include "connectors/kinesis_api/cors.h"
#include "connectors/kinesis_api/error_mapping.h"

#include <fmt/format.h>

namespace shardflow::app {
namespace {

/// "MissingAuthenticationTokenException: Missing Authentication Token": what a client of
/// the SQL or ingestion endpoint is told, in Kinesis's words.
std::string described(const Error& error) {
    return fmt::format("{}: {}", api::to_wire(error.code).type, error.message);
}

}  // namespace

Result<std::unique_ptr<ServerStack>> ServerStack::start(ServerStackOptions options) {
    std::unique_ptr<ServerStack> stack(new ServerStack());
    auto store = store::StreamStore::open(options.store);
    if (!store) {
        return Error{
            store.error().code,
            fmt::format(
                "cannot open {}: {}", options.store.data_dir.string(), store.error().message)};
    }
    stack->store_ = std::move(*store);

    service::SqlEngineOptions sql_options;
    sql_options.database = options.store.data_dir / "sql.db";
    sql_options.workers = options.sql_workers;
    sql_options.allowed_paths = options.sql_allowed_paths;
    sql_options.statement_timeout = options.sql_statement_timeout;
    sql_options.max_state_bytes = options.sql_max_state_bytes;
    SF_ASSIGN_OR_RETURN(stack->sql_, service::SqlEngine::open(*stack->store_, sql_options));
    stack->statements_ = std::make_unique<StatementPool>(options.sql_threads, options.sql_queue);

    stack->authenticator_ = options.authenticator;
    stack->api_keys_ = std::move(options.api_keys);
    stack->kinesis_ =
        std::make_unique<api::KinesisApi>(*stack->store_, std::move(options.authenticator));
    ServerStack* self = stack.get();
    stack->server_ = std::make_unique<api::HttpServer>(
        options.server,
        api::HttpServer::Handler(
            [self](const api::HttpRequestView& r, const api::HttpServer::Respond& respond) {
                self->route(r, respond);
            }));
    SF_ASSIGN_OR_RETURN(uint16_t port, stack->server_->start());
    stack->endpoint_ = fmt::format("{}://{}:{}",
                                   options.server.tls_cert.empty() ? "http" : "https",
                                   options.server.host,
                                   port);
    return stack;
}

void ServerStack::route(const api::HttpRequestView& request,
                        const api::HttpServer::Respond& respond_to_client) {
    if (auto preflight = api::cors_preflight(request)) {  // before auth: preflights carry none
        return respond_to_client(std::move(*preflight));
    }
    api::HttpServer::Respond respond = respond_to_client;
    if (api::from_web_page(request)) {
        respond = [respond_to_client](api::ApiResponse answer) {
            api::add_cors_headers(answer);
            respond_to_client(std::move(answer));
        };
    }
    // A refused client gets the reason once and keeps no connection to hoard.
    auto refuse = [&](api::ApiResponse answer) {
        answer.close = true;
        respond(std::move(answer));
    };
    if (request.uri == kSqlPath) {
        if (authenticator_.strict()) {
            if (Status auth = authenticator_.check(request); !auth) {
                return refuse(sql_error_response(403, described(auth.error())));
            }
        }
        return run_sql(request, respond);
    }
    if (connectors::is_ingest_request(request)) {
        if (Status access = check_ingest_access(request); !access) {
            return refuse(connectors::ingest_error(403, described(access.error())));
        }
        return connectors::handle_ingest(*store_, request, respond);
    }
    kinesis_->handle(request, respond);
}

void ServerStack::run_sql(const api::HttpRequestView& request,
                          const api::HttpServer::Respond& respond) {
    constexpr size_t kMaxSessionId = 128;
    std::string_view session_id = api::header_value(request, kSessionHeader);
    if (session_id.size() > kMaxSessionId) {
        return respond(sql_error_response(
            400, fmt::format("{} must not exceed {} characters", kSessionHeader, kMaxSessionId)));
    }
    // The request stays valid until it is answered.
    bool queued = statements_->submit([this, request, respond, session = sessions_.of(session_id)] {
        respond(handle_sql_request(*sql_, request, *session, stopping_));
    });
    if (!queued) {
        respond(sql_error_response(
            503,
            fmt::format("the server runs {} SQL requests and has {} more waiting: try again later",
                        statements_->threads(),
                        statements_->max_queued())));
    }
}

Status ServerStack::check_ingest_access(const api::HttpRequestView& request) const {
    if (!authenticator_.strict()) {
        return ok();
    }
    std::string_view key = api::header_value(request, "x-api-key");
    if (key.empty()) {
        return authenticator_.check(request);
    }
    if (!api_keys_.allows(connectors::ingest_stream(request.uri), key)) {
        // API Gateway's answer; which part was wrong is not said.
        return Error{ErrorCode::kAccessDenied, "Forbidden"};
    }
    return ok();
}

ServerStack::~ServerStack() {
    stopping_ = true;  // statements end now, so that the server's stop need not wait for them
    if (server_) {
        server_->stop();
    }
    statements_.reset();
    sql_.reset();
    kinesis_.reset();  // its subscriptions watch the store
    store_.reset();
}

}  // namespace shardflow::app
