#pragma once
// A client for a Kinesis-compatible endpoint (shardflow serve, AWS, the local peers): the
// AWS JSON 1.1 protocol over HTTP/1.1, requests signed with SigV4.

#include "connectors/kinesis_client/http_connection.h"
#include "connectors/kinesis_client/request_signer.h"
#include "engine/common/clock.h"
#include "engine/common/error.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors {

struct KinesisClientOptions {
    std::string endpoint = "http://127.0.0.1:4567";
    AwsCredentials credentials = AwsCredentials::from_environment();
    std::chrono::milliseconds timeout{10000};  // connect, send and answer, each
    const Clock* clock = &SystemClock::instance();
};

/// One record for PutRecords; `data` is the raw bytes (base64 is the client's business).
struct PutRecordsEntry {
    std::string data;
    std::string partition_key;
};

/// One entry of the PutRecords answer: a sequence number, or the error of that record.
struct PutRecordsResultEntry {
    std::string sequence_number;
    std::string shard_id;
    std::string error_code;  // e.g. ProvisionedThroughputExceededException; empty on success
    std::string error_message;
};

struct PutRecordsResult {
    int64_t failed_record_count = 0;
    std::vector<PutRecordsResultEntry> records;  // in request order
};

struct StreamSummary {
    std::string status;  // CREATING, ACTIVE, UPDATING, DELETING
    int64_t open_shard_count = 0;
};

/// Errors: the answer's __type mapped back to an ErrorCode (unknown types: kInternalFailure for
/// 5xx, kLimitExceeded for ThrottlingException, else kInvalidArgument), with a message that
/// starts with the __type ("ResourceNotFoundException: Stream s under account ... not found.");
/// kIoError when the endpoint cannot be reached. Threading: one caller at a time.
class KinesisClient {
public:
    static Result<KinesisClient> create(KinesisClientOptions options);

    Result<PutRecordsResult> put_records(std::string_view stream,
                                         std::span<const PutRecordsEntry> records);
    Result<StreamSummary> describe_stream_summary(std::string_view stream);
    Status create_stream(std::string_view stream, int64_t shard_count);
    /// Polls DescribeStreamSummary until the stream is ACTIVE; kResourceInUse after `timeout`.
    Status wait_until_active(std::string_view stream, std::chrono::milliseconds timeout);

    /// Any action: `body` in, the answer's JSON out.
    Result<boost::json::value> call(std::string_view action, const boost::json::object& body);

    const std::string& endpoint() const { return options_.endpoint; }

private:
    KinesisClient(KinesisClientOptions options, HttpConnection connection)
        : options_(std::move(options))
        , connection_(std::move(connection)) {}

    KinesisClientOptions options_;
    HttpConnection connection_;
};

/// The ErrorCode the server uses for a Kinesis __type; the inverse of api::to_wire.
ErrorCode error_code_of(std::string_view type, int http_status);

}  // namespace shardflow::connectors
