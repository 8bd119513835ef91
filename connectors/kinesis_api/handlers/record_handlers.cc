// Records: PutRecord, PutRecords, GetShardIterator, GetRecords.

#include "connectors/kinesis_api/error_mapping.h"
#include "connectors/kinesis_api/handlers/encode.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "connectors/kinesis_api/protocol/json_writer.h"
#include "connectors/kinesis_api/protocol/wire_format.h"
#include "engine/common/base64.h"
#include "engine/store/shards/hash_key.h"
#include "engine/store/validation.h"

namespace shardflow::api {
namespace {

using boost::json::object;

constexpr size_t kMaxDataBytes = 10 << 20;

/// Reads Data, PartitionKey and ExplicitHashKey from `r`, decoding Data into `blobs` (the
/// record's views point into the request and `blobs`).
std::optional<store::PutRecordRequest> decode_record(Request& r, BlobBuffer& blobs) {
    auto bytes = r.blob("Data", "data", true, blobs);
    auto key = r.string("PartitionKey", "partitionKey", true, 1);
    bool fits = true;
    if (key && store::utf8_length(*key) > 256) {
        r.fail(fmt::format("'{}'", *key),
               "partitionKey",
               "Member must have length less than or equal to 256");
        fits = false;
    }
    auto hash = r.decimal("ExplicitHashKey", "explicitHashKey", false, 39);
    if (bytes && bytes->size() > kMaxDataBytes) {
        // AWS's framework shows the buffer it read the blob into.
        r.fail(fmt::format("'java.nio.HeapByteBuffer[pos=0 lim={0} cap={0}]'", bytes->size()),
               "data",
               fmt::format("Member must have length less than or equal to {}", kMaxDataBytes));
        fits = false;
    }
    if (!bytes || !key || !fits) {
        return std::nullopt;
    }
    return store::PutRecordRequest{*key, *bytes, hash};
}

/// What PutRecord and PutRecords report: the stream's encryption as the records went in.
std::string_view encryption_type(bool encrypted) {
    return encrypted ? "KMS" : "NONE";
}

/// What PutRecords says of a record it refused: its error, without server details.
std::string_view refusal_code(const Error& error) {
    return to_wire(error.code).type;
}
std::string_view refusal_message(const Error& error) {
    bool internal = error.code == ErrorCode::kInternalFailure || error.code == ErrorCode::kIoError;
    return internal ? "Internal Service Failure" : std::string_view(error.message);
}

/// The stream's encryption as the batch went in, and how many records were refused.
std::pair<bool, int> batch_summary(const std::vector<store::PutRecordsEntry>& results) {
    bool encrypted = false;
    int failed = 0;
    for (const auto& r : results) {
        if (r) {
            encrypted = r->encrypted;
        } else {
            ++failed;
        }
    }
    return {encrypted, failed};
}

/// PutRecords' answer in JSON, written straight from the results (a result or an error per
/// record, in request order).
std::string put_records_json(const std::vector<store::PutRecordsEntry>& results) {
    constexpr size_t kBytesPerResult = 110;  // a sequence number, a shard id and their names
    auto [encrypted, failed] = batch_summary(results);
    JsonWriter out(64 + results.size() * kBytesPerResult);
    out.begin_object();
    out.key("FailedRecordCount");
    out.number(failed);
    out.key("Records");
    out.begin_array();
    for (const auto& r : results) {
        out.begin_object();
        if (r) {
            out.key("SequenceNumber");
            out.string(r->sequence_number);
            out.key("ShardId");
            out.string(r->shard_id);
        } else {
            out.key("ErrorCode");
            out.string(refusal_code(r.error()));
            out.key("ErrorMessage");
            out.string(refusal_message(r.error()));
        }
        out.end_object();
    }
    out.end_array();
    out.key("EncryptionType");
    out.string(encryption_type(encrypted));
    out.end_object();
    return out.take();
}

/// PutRecords' answer as a document, for the encodings other than JSON.
object put_records_object(const std::vector<store::PutRecordsEntry>& results) {
    auto [encrypted, failed] = batch_summary(results);
    boost::json::array out;
    out.reserve(results.size());
    for (const auto& r : results) {
        if (r) {
            out.push_back(object{{"SequenceNumber", r->sequence_number}, {"ShardId", r->shard_id}});
        } else {
            out.push_back(object{{"ErrorCode", refusal_code(r.error())},
                                 {"ErrorMessage", refusal_message(r.error())}});
        }
    }
    return object{{"FailedRecordCount", failed},
                  {"Records", std::move(out)},
                  {"EncryptionType", encryption_type(encrypted)}};
}

/// GetRecords' answer in JSON, each record's data base64-encoded straight from the read buffer.
std::string get_records_json(const store::GetRecordsResult& result) {
    constexpr size_t kBytesPerRecord = 150;  // a record's member names, sequence number, time
    size_t size = 256;
    for (const auto& r : result.records) {
        size += kBytesPerRecord + base64_encoded_size(r.data.size()) + r.partition_key.size();
    }
    JsonWriter out(size);
    out.begin_object();
    out.key("Records");
    out.begin_array();
    for (const auto& r : result.records) {
        out.begin_object();
        out.key("SequenceNumber");
        out.string(r.sequence_number);
        out.key("ApproximateArrivalTimestamp");
        out.epoch_seconds(r.arrival_ms);
        out.key("Data");
        out.base64(r.data);
        out.key("PartitionKey");
        out.string(r.partition_key);
        out.end_object();
    }
    out.end_array();
    out.key("MillisBehindLatest");
    out.number(result.millis_behind_latest);
    if (result.next_shard_iterator) {
        out.key("NextShardIterator");
        out.string(*result.next_shard_iterator);
    } else {
        // Rare (the end of a closed shard): its few members are written through a document.
        out.key("ChildShards");
        out.raw(boost::json::serialize(encode_child_shards(result.child_shards)));
    }
    out.end_object();
    return out.take();
}

/// GetRecords' answer as a document, for the encodings other than JSON.
object get_records_object(const store::GetRecordsResult& result) {
    object response{{"Records", encode_records(result.records)},
                    {"MillisBehindLatest", result.millis_behind_latest}};
    if (result.next_shard_iterator) {
        response["NextShardIterator"] = *result.next_shard_iterator;
    } else {
        response["ChildShards"] = encode_child_shards(result.child_shards);
    }
    return response;
}

}  // namespace

void put_record(HandlerContext& ctx, Request& request, Reply reply) {
    auto stream = stream_of(request);
    BlobBuffer blobs;
    auto record = decode_record(request, blobs);
    auto ordering =
        request.decimal("SequenceNumberForOrdering", "sequenceNumberForOrdering", false, 129);
    if (Status valid = request.check(); !valid) {
        return reply(std::move(valid).error());
    }
    if (ordering) {
        // Only a number Kinesis could have given out (nothing in it from the future) orders a put.
        auto seq = store::SequenceNumber::parse(*ordering);
        EpochMillis now = ctx.store.options().clock->now_ms();
        if (!seq || seq->arrival_secs * 1000 > now || seq->shard_create_secs * 1000 > now) {
            return reply(Error::make(ErrorCode::kInvalidArgument,
                                     "ExclusiveMinimumSequenceNumber {} used in PutRecord on "
                                     "stream {} under account {} is invalid.",
                                     *ordering,
                                     *stream,
                                     ctx.store.options().account_id));
        }
    }
    ctx.store.put_records_async(
        *stream,
        std::span(&*record, 1),
        [reply = std::move(reply), content_type = ctx.content_type](auto results) {
            if (!results) {
                return reply(std::move(results).error());
            }
            auto& entry = results->front();
            if (!entry) {
                return reply(std::move(entry).error());
            }
            reply(encode_body(object{{"ShardId", entry->shard_id},
                                     {"SequenceNumber", entry->sequence_number},
                                     {"EncryptionType", encryption_type(entry->encrypted)}},
                              content_type));
        });
}

void put_records(HandlerContext& ctx, Request& request, Reply reply) {
    auto stream = stream_of(request);
    const auto* entries = request.array("Records", "records", true, 1, 500);
    std::vector<store::PutRecordRequest> records;
    BlobBuffer blobs;
    if (entries) {
        records.reserve(entries->size());
        for (size_t i = 0; i < entries->size(); ++i) {
            const auto& entry = (*entries)[i];
            if (!entry.is_object()) {
                request.wrong_type(entry, WireType::kStructure);
                break;
            }
            Request item(entry.get_object(), "records", i);
            auto decoded = decode_record(item, blobs);
            request.adopt(item);
            if (decoded) {
                records.push_back(std::move(*decoded));
            }
        }
    }
    if (Status valid = request.check(); !valid) {
        return reply(std::move(valid).error());
    }
    for (const auto& r : records) {  // one key out of range refuses the whole request
        if (r.explicit_hash_key && !store::parse_hash_key(*r.explicit_hash_key)) {
            return reply(Error::make(ErrorCode::kInvalidArgument,
                                     "Invalid ExplicitHashKey. ExplicitHashKey must be in the "
                                     "range: [0, 2^128-1]. Specified value was {}",
                                     *r.explicit_hash_key));
        }
    }
    ctx.store.put_records_async(
        *stream,
        records,
        [reply = std::move(reply), content_type = ctx.content_type](auto results) {
            if (!results) {
                return reply(std::move(results).error());
            }
            reply(is_cbor(content_type) ? encode_body(put_records_object(*results), content_type)
                                        : put_records_json(*results));
        });
}

Result<object> get_shard_iterator(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto shard = request.resource_name("ShardId", "shardId", true);
    auto type = request.enumeration(  // listed in messages in the order AWS lists them
        "ShardIteratorType",
        "shardIteratorType",
        true,
        {"AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON"});
    auto sequence = request.decimal("StartingSequenceNumber", "startingSequenceNumber", false, 129);
    auto timestamp = request.timestamp("Timestamp", "timestamp", false);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto it, iterator_request(*type, sequence, timestamp));
    SF_ASSIGN_OR_RETURN(auto iterator, ctx.store.get_shard_iterator(*stream, *shard, it));
    return object{{"ShardIterator", iterator}};
}

void get_records(HandlerContext& ctx, Request& request, Reply reply) {
    auto iterator = request.string("ShardIterator", "shardIterator", true, 1, 512);
    auto limit = request.integer("Limit", "limit", false, 1, 10000);
    auto arn = request.string("StreamARN", "streamARN", false, 1, 2048);
    if (Status valid = request.check(); !valid) {
        return reply(std::move(valid).error());
    }
    auto result = ctx.store.get_records(*iterator, static_cast<int>(limit.value_or(10000)));
    if (!result) {
        return reply(std::move(result).error());
    }
    // The iterator names its stream; a StreamARN (optional) must agree with it.
    if (arn && *arn != ctx.store.stream_arn(result->stream_name)) {
        return reply(Error::make(ErrorCode::kInvalidArgument,
                                 "StreamARN {} is not the stream of the shard iterator.",
                                 *arn));
    }
    reply(is_cbor(ctx.content_type) ? encode_body(get_records_object(*result), ctx.content_type)
                                    : get_records_json(*result));
}

}  // namespace shardflow::api
