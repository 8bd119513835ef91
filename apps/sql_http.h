#pragma once
// SQL over HTTP: the server's `POST /v1/sql` endpoint and the `shardflow sql --endpoint` client.
// Request: {"sql": "statements;"}. Response: {"results": [{"columns": [...], "rows": [[...]],
// "message": "..."}], "error": "line 1, column 8: ..."} (error only when a statement failed;
// status 400 then, 500 when the server failed it, 503 when it was cancelled, 200 otherwise).
// A client keeps its SET settings by sending the same `x-shardflow-session` id with each
// request (sql_sessions.h).

#include "connectors/kinesis_api/api.h"
#include "connectors/kinesis_client/request_signer.h"
#include "service/sql_engine.h"

#include <atomic>
#include <string>

namespace shardflow::app {

inline constexpr std::string_view kSqlPath = "/v1/sql";

/// Runs the request's statements with `session`'s settings; `stop` cancels them.
api::ApiResponse handle_sql_request(service::SqlEngine& engine,
                                    const api::HttpRequestView& request,
                                    service::SqlSession& session,
                                    const std::atomic<bool>& stop);
/// An answer of this endpoint's shape that ran nothing: {"results": [], "error": message}.
api::ApiResponse sql_error_response(int status, std::string message);

/// Posts the script to `endpoint` (http://host:port), signed with SigV4 by `credentials` (a
/// server under `--auth strict` verifies it), in session `session` (empty: none), and decodes
/// the answer.
Result<service::ScriptResult> post_sql(const std::string& endpoint,
                                       const std::string& script,
                                       const connectors::AwsCredentials& credentials,
                                       const std::string& session);

}  // namespace shardflow::app
