#include "connectors/http_ingest/http_ingest.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

namespace shardflow::connectors {
namespace json = boost::json;

namespace {

constexpr size_t kMaxEvents = 500;               // PutRecords' limit
constexpr size_t kMaxRecordBytes = 1024 * 1024;  // a Kinesis record's limit
constexpr size_t kMaxKeyBytes = 256;             // a partition key's limit

api::ApiResponse answer(int status, json::object body) {
    return api::ApiResponse{status, "application/json", json::serialize(body)};
}

/// "/v1/streams/{stream}/records?query" -> stream and query.
std::optional<std::pair<std::string, std::string_view>> parse_target(std::string_view uri) {
    std::string_view query;
    if (size_t q = uri.find('?'); q != std::string_view::npos) {
        query = uri.substr(q + 1);
        uri = uri.substr(0, q);
    }
    if (!uri.starts_with(kIngestPrefix) || !uri.ends_with("/records")) {
        return std::nullopt;
    }
    uri.remove_prefix(kIngestPrefix.size());
    uri.remove_suffix(std::string_view("/records").size());
    if (uri.empty() || uri.find('/') != std::string_view::npos) {
        return std::nullopt;
    }
    return std::pair{std::string(uri), query};
}

/// The value of `name` in a query string (no percent-decoding: field names are plain).
std::string query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        size_t eq = pair.find('=');
        if (pair.substr(0, eq) == name && eq != std::string_view::npos) {
            return std::string(pair.substr(eq + 1));
        }
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
    return {};
}

/// The partition key of one event: the header's, or the named field's (a string or number).
Result<std::string> key_of(const json::value& event,
                           size_t index,
                           std::string_view header_key,
                           const std::string& field) {
    if (!header_key.empty()) {
        return std::string(header_key);
    }
    const json::value* v = event.as_object().if_contains(field);
    if (!v || !(v->is_string() || v->is_number())) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "event {} has no string or number field '{}' for the partition key",
                           index,
                           field);
    }
    std::string key = v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
    if (key.empty() || key.size() > kMaxKeyBytes) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "event {}: the partition key must be 1 to 256 bytes",
                           index);
    }
    return key;
}

/// The answer to a put of `events` events: a result or an error for each.
api::ApiResponse put_answer(const Result<std::vector<store::PutRecordsEntry>>& put, size_t events) {
    if (!put) {
        int status = put.error().code == ErrorCode::kResourceNotFound ? 404 : 500;
        return ingest_error(status, put.error().message);
    }
    json::array results;
    size_t refused = 0;
    std::string reason;
    for (const auto& entry : *put) {
        if (!entry) {  // the store refused it (throughput limits): say which, so they can retry
            ++refused;
            reason = entry.error().message;
            results.push_back(json::object{{"error", entry.error().message}});
            continue;
        }
        results.push_back(json::object{{"shard_id", entry->shard_id},
                                       {"sequence_number", entry->sequence_number}});
    }
    json::object out{{"records", results.size() - refused}, {"results", std::move(results)}};
    if (refused) {
        out["error"] = fmt::format("{} of {} events were refused: {}", refused, events, reason);
    }
    return answer(refused ? 503 : 200, std::move(out));
}

/// Checks the events and puts them; the refusal of a bad request, or nullopt when `respond`
/// gets the put's answer.
std::optional<api::ApiResponse> write_events(store::StreamStore& store,
                                             const api::HttpRequestView& request,
                                             const api::Respond& respond) {
    auto target = parse_target(request.uri);
    if (!target) {
        return ingest_error(404, "the path is /v1/streams/{stream}/records");
    }
    if (request.method != "POST") {
        return ingest_error(405, "POST a JSON event or an array of events");
    }
    std::string field = query_value(target->second, "partition_key_field");
    std::string_view header_key = api::header_value(request, "X-Partition-Key");
    if (field.empty() && header_key.empty()) {
        return ingest_error(
            400,
            "name the partition key: ?partition_key_field=<field> or an X-Partition-Key "
            "header");
    }
    if (header_key.size() > kMaxKeyBytes) {
        return ingest_error(400, "the partition key must be 1 to 256 bytes");
    }
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec) {
        return ingest_error(400, fmt::format("the body is not JSON: {}", ec.message()));
    }
    json::array single;
    if (body.is_object()) {
        single.push_back(std::move(body));
    } else if (!body.is_array()) {
        return ingest_error(400, "the body must be a JSON object or an array of objects");
    }
    json::array& events = body.is_array() ? body.as_array() : single;
    if (events.empty()) {
        return ingest_error(400, "the array holds no events");
    }
    if (events.size() > kMaxEvents) {
        return ingest_error(
            413, fmt::format("at most {} events per request, not {}", kMaxEvents, events.size()));
    }
    // Everything is checked before anything is written.
    std::vector<std::string> keys, data;
    for (size_t i = 0; i < events.size(); ++i) {
        if (!events[i].is_object()) {
            return ingest_error(400, fmt::format("event {} is not a JSON object", i));
        }
        auto key = key_of(events[i], i, header_key, field);
        if (!key) {
            return ingest_error(400, key.error().message);
        }
        keys.push_back(std::move(*key));
        data.push_back(json::serialize(events[i]));
        if (data.back().size() > kMaxRecordBytes) {
            return ingest_error(400, fmt::format("event {} is over 1 MiB", i));
        }
    }
    std::vector<store::PutRecordRequest> requests;
    for (size_t i = 0; i < keys.size(); ++i) {
        requests.push_back({keys[i], data[i], std::nullopt});
    }
    store.put_records_async(target->first, requests, [respond, events = events.size()](auto put) {
        respond(put_answer(put, events));
    });
    return std::nullopt;
}

}  // namespace

bool is_ingest_request(const api::HttpRequestView& request) {
    return request.uri.starts_with(kIngestPrefix);
}

std::string ingest_stream(std::string_view uri) {
    auto target = parse_target(uri);
    return target ? target->first : std::string{};
}

api::ApiResponse ingest_error(int status, std::string message) {
    return answer(status, json::object{{"error", std::move(message)}});
}

void handle_ingest(store::StreamStore& store,
                   const api::HttpRequestView& request,
                   const api::Respond& respond) {
    if (auto refused = write_events(store, request, respond)) {
        respond(std::move(*refused));
    }
}

}  // namespace shardflow::connectors
