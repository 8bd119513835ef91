#include "apps/server_stack.h"

#include "apps/sql_http.h"
#include "connectors/http_ingest/http_ingest.h"

#include <fmt/format.h>

namespace shardflow::app {

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
    SF_ASSIGN_OR_RETURN(stack->sql_, sql::SqlEngine::open(*stack->store_, sql_options));

    stack->kinesis_ =
        std::make_unique<api::KinesisApi>(*stack->store_, std::move(options.authenticator));
    ServerStack* self = stack.get();
    stack->server_ =
        std::make_unique<api::HttpServer>(options.server, [self](const api::HttpRequestView& r) {
            if (r.uri == kSqlPath) {
                return handle_sql_request(*self->sql_, r);
            }
            if (connectors::is_ingest_request(r)) {
                return connectors::handle_ingest(*self->store_, r);
            }
            return self->kinesis_->handle(r);
        });
    SF_ASSIGN_OR_RETURN(uint16_t port, stack->server_->start());
    stack->endpoint_ = fmt::format("{}://{}:{}",
                                   options.server.tls_cert.empty() ? "http" : "https",
                                   options.server.host,
                                   port);
    return stack;
}

ServerStack::~ServerStack() {
    if (server_) {
        server_->stop();
    }
    sql_.reset();
    store_.reset();
}

}  // namespace shardflow::app
