// Describe, create when asked and missing, then wait for ACTIVE.

#include "connectors/kinesis_client/stream_setup.h"

namespace shardflow::connectors {

Status ensure_stream(KinesisClient& client,
                     std::string_view stream,
                     int64_t create_shards,
                     std::chrono::milliseconds timeout) {
    auto summary = client.describe_stream_summary(stream);
    if (!summary && summary.error().code == ErrorCode::kResourceNotFound) {
        if (create_shards <= 0) {
            return Error::make(ErrorCode::kResourceNotFound,
                               "{} (create it, or pass --create-shards N)",
                               summary.error().message);
        }
        Status created = client.create_stream(stream, create_shards);
        // Another producer may have created it meanwhile; that is as good.
        if (!created && created.error().code != ErrorCode::kResourceInUse) {
            return created;
        }
    } else if (!summary) {
        return std::move(summary).error();
    } else if (summary->status == "ACTIVE") {
        return ok();
    }
    return client.wait_until_active(stream, timeout);
}

}  // namespace shardflow::connectors
