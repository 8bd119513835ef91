#include "apps/sql_http.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace shardflow::app {
namespace json = boost::json;
namespace beast = boost::beast;

namespace {

json::value result_json(const sql::ResultSet& result) {
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

}  // namespace

api::ApiResponse handle_sql_request(sql::SqlEngine& engine, const api::HttpRequestView& request) {
    auto fail = [](int status, std::string message) {
        return api::ApiResponse{
            status,
            "application/json",
            json::serialize(json::object{{"results", json::array{}}, {"error", message}})};
    };
    if (request.method != "POST") {
        return fail(405, "use POST with a JSON body {\"sql\": \"...\"}");
    }
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec || !body.is_object() || !body.as_object().contains("sql") ||
        !body.at("sql").is_string()) {
        return fail(400, "the body must be a JSON object {\"sql\": \"statements;\"}");
    }
    sql::ScriptResult done = engine.execute(std::string(body.at("sql").as_string()));
    json::array results;
    for (const auto& r : done.results) {
        results.push_back(result_json(r));
    }
    json::object out{{"results", std::move(results)}};
    if (done.error) {
        out["error"] = done.error->message;
    }
    return api::ApiResponse{done.error ? 400 : 200, "application/json", json::serialize(out)};
}

Result<sql::ScriptResult> post_sql(const std::string& endpoint, const std::string& script) {
    std::string_view rest = endpoint;
    if (!rest.starts_with("http://")) {
        return Error::make(
            ErrorCode::kInvalidArgument, "--endpoint must be http://host:port, not {}", endpoint);
    }
    rest.remove_prefix(7);
    rest = rest.substr(0, rest.find('/'));
    size_t colon = rest.rfind(':');
    std::string host(rest.substr(0, colon));
    std::string port = colon == std::string_view::npos ? "80" : std::string(rest.substr(colon + 1));
    try {
        boost::asio::io_context io;
        boost::asio::ip::tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.connect(resolver.resolve(host, port));
        beast::http::request<beast::http::string_body> req{beast::http::verb::post, kSqlPath, 11};
        req.set(beast::http::field::host, host);
        req.set(beast::http::field::content_type, "application/json");
        req.body() = json::serialize(json::object{{"sql", script}});
        req.prepare_payload();
        beast::http::write(stream, req);
        beast::flat_buffer buffer;
        beast::http::response<beast::http::string_body> res;
        beast::http::read(stream, buffer, res);
        json::value answer = json::parse(res.body());
        sql::ScriptResult out;
        for (const auto& r : answer.at("results").as_array()) {
            sql::ResultSet set;
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
    } catch (const boost::system::system_error& e) {
        return Error::make(ErrorCode::kIoError,
                           "cannot reach the shardflow server at {} ({}): start it with `shardflow "
                           "serve`, or run embedded with --data-dir DIR",
                           endpoint,
                           e.code().message());
    } catch (const std::exception& e) {  // an answer that is not the JSON we expect
        return Error::make(ErrorCode::kIoError, "bad answer from {}: {}", endpoint, e.what());
    }
}

}  // namespace shardflow::app
