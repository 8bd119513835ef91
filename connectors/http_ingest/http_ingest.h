#pragma once
// HTTP ingestion, the way API Gateway fronts Kinesis for web clients and webhooks:
//   POST /v1/streams/{stream}/records?partition_key_field=user_id      (or X-Partition-Key: ...)
// with a JSON object or an array of them, no AWS signing. Every event is checked before any is
// written, so a bad body writes nothing; each event becomes one record (its compact JSON).

#include "connectors/kinesis_api/api.h"
#include "engine/store/stream_store.h"

#include <string_view>

namespace shardflow::connectors {

inline constexpr std::string_view kIngestPrefix = "/v1/streams/";

/// Whether the request is for this endpoint (its path, whatever the method).
bool is_ingest_request(const api::HttpRequestView& request);
/// The stream an ingest request's path names, or empty when the path is not one.
std::string ingest_stream(std::string_view uri);
/// An answer of this endpoint's shape: {"error": message}.
api::ApiResponse ingest_error(int status, std::string message);

/// Answers through `respond` (once the records are durable, from a commit thread)
/// {"records": n, "results": [{"shard_id", "sequence_number"}...]} (200), or
/// {"error": "..."} with 400 (bad body or key), 404 (unknown stream), 405 (not POST),
/// 413 (too many events), 503 (the store refused some: their results carry the error, the
/// others were written) or 500.
void handle_ingest(store::StreamStore& store,
                   const api::HttpRequestView& request,
                   const api::Respond& respond);

}  // namespace shardflow::connectors
