#include "apps/server_stack.h"

#include "apps/sql_http.h"
#include "connectors/http_ingest/http_ingest.h"
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

    sql::SqlEngineOptions sql_options;
    sql_options.database = options.store.data_dir / "sql.db";
    sql_options.workers = options.sql_workers;
    sql_options.allowed_paths = options.sql_allowed_paths;
    SF_ASSIGN_OR_RETURN(stack->sql_, sql::SqlEngine::open(*stack->store_, sql_options));

    stack->authenticator_ = options.authenticator;
    stack->api_keys_ = std::move(options.api_keys);
    stack->kinesis_ =
        std::make_unique<api::KinesisApi>(*stack->store_, std::move(options.authenticator));
    ServerStack* self = stack.get();
    stack->server_ = std::make_unique<api::HttpServer>(
        options.server, [self](const api::HttpRequestView& r) { return self->route(r); });
    SF_ASSIGN_OR_RETURN(uint16_t port, stack->server_->start());
    stack->endpoint_ = fmt::format("{}://{}:{}",
                                   options.server.tls_cert.empty() ? "http" : "https",
                                   options.server.host,
                                   port);
    return stack;
}

api::ApiResponse ServerStack::route(const api::HttpRequestView& request) {
    // A refused client gets the reason once and keeps no connection to hoard.
    auto refuse = [](api::ApiResponse answer) {
        answer.close = true;
        return answer;
    };
    if (request.uri == kSqlPath) {
        if (authenticator_.strict()) {
            if (Status auth = authenticator_.check(request); !auth) {
                return refuse(sql_error_response(403, described(auth.error())));
            }
        }
        return handle_sql_request(*sql_, request);
    }
    if (connectors::is_ingest_request(request)) {
        if (Status access = check_ingest_access(request); !access) {
            return refuse(connectors::ingest_error(403, described(access.error())));
        }
        return connectors::handle_ingest(*store_, request);
    }
    return kinesis_->handle(request);
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
    if (server_) {
        server_->stop();
    }
    sql_.reset();
    store_.reset();
}

}  // namespace shardflow::app
