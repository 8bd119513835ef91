#include "apps/sql_http.h"

#include "apps/sql_sessions.h"
#include "connectors/kinesis_client/http_connection.h"

#include <boost/json.hpp>

#include <chrono>

namespace shardflow::app {
namespace json = boost::json;

namespace {

json::value result_json(const service::ResultSet& result) {
    json::array rows;
    for (const auto& row : result.rows) {
        rows.emplace_back(json::value_from(row));
    }
    return json::object{{"columns", json::value_from(result.columns)},
                        {"rows", std::move(rows)},
                        {"message", result.message}};
}

std::vector<std::string> strings(const json::value& v) {
    std::vector<std::string> out;
    for (const auto& s : v.as_array()) {
        out.emplace_back(s.as_string());
    }
    return out;
}

connectors::HeaderList session_headers(const std::string& session) {
    connectors::HeaderList headers{{"Content-Type", "application/json"}};
    if (!session.empty()) {
        headers.emplace_back(std::string(kSessionHeader), session);
    }
    return headers;
}

/// A script that failed on the server's side (a full disk) is the server's error, not the
/// client's; one cancelled by the server stopping is worth retrying.
int failed_status(ErrorCode code) {
    switch (code) {
        case ErrorCode::kIoError:
        case ErrorCode::kCorruption:
        case ErrorCode::kInternalFailure:
            return 500;
        case ErrorCode::kCancelled:
            return 503;
        default:
            return 400;
    }
}

}  // namespace

api::ApiResponse sql_error_response(int status, std::string message) {
    return api::ApiResponse{
        status,
        "application/json",
        json::serialize(json::object{{"results", json::array{}}, {"error", std::move(message)}})};
}

api::ApiResponse handle_sql_request(service::SqlEngine& engine,
                                    const api::HttpRequestView& request,
                                    service::SqlSession& session,
                                    const std::atomic<bool>& stop) {
    const auto& fail = sql_error_response;
    if (request.method != "POST") {
        return fail(405, "use POST with a JSON body {\"sql\": \"...\"}");
    }
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec || !body.is_object() || !body.as_object().contains("sql") ||
        !body.at("sql").is_string()) {
        return fail(400, "the body must be a JSON object {\"sql\": \"statements;\"}");
    }
    service::PushOptions push;
    push.stop = &stop;
    service::ScriptResult done = engine.execute(body.at("sql").as_string(), push, &session);
    json::array results;
    for (const auto& r : done.results) {
        results.push_back(result_json(r));
    }
    json::object out{{"results", std::move(results)}};
    if (done.error) {
        out["error"] = done.error->message;
    }
    return api::ApiResponse{done.error ? failed_status(done.error->code) : 200,
                            "application/json",
                            json::serialize(out)};
}

Result<service::ScriptResult> post_sql(const std::string& endpoint,
                                       const std::string& script,
                                       const connectors::AwsCredentials& credentials,
                                       const std::string& session) {
    auto where = connectors::parse_http_endpoint(endpoint);
    if (!where) {
        return Error::make(ErrorCode::kInvalidArgument, "--endpoint: {}", where.error().message);
    }
    // The answer comes when the statements have run (a bounded SELECT can take long): no
    // practical timeout.
    connectors::HttpConnection connection(std::move(*where), std::chrono::hours(24));
    std::string body = json::serialize(json::object{{"sql", script}});
    auto headers = connectors::signed_post_headers(credentials,
                                                   connection.endpoint().authority(),
                                                   kSqlPath,
                                                   body,
                                                   session_headers(session),
                                                   SystemClock::instance().now_ms());
    auto answered = connection.post(kSqlPath, headers, std::move(body));
    if (!answered) {
        return Error::make(ErrorCode::kIoError,
                           "cannot reach the shardflow server at {}: start it with `shardflow "
                           "serve`, or run embedded with --data-dir DIR ({})",
                           endpoint,
                           answered.error().message);
    }
    try {
        json::value answer = json::parse(answered->body);
        service::ScriptResult out;
        for (const auto& r : answer.at("results").as_array()) {
            service::ResultSet set;
            set.columns = strings(r.at("columns"));
            for (const auto& row : r.at("rows").as_array()) {
                set.rows.push_back(strings(row));
            }
            set.message = std::string(r.at("message").as_string());
            out.results.push_back(std::move(set));
        }
        if (const auto* error = answer.as_object().if_contains("error")) {
            out.error = Error{ErrorCode::kInvalidArgument, std::string(error->as_string())};
        }
        return out;
    } catch (const std::exception& e) {  // an answer that is not the JSON we expect
        return Error::make(ErrorCode::kIoError, "bad answer from {}: {}", endpoint, e.what());
    }
}

}  // namespace shardflow::app
