// Records: PutRecord, PutRecords, GetShardIterator, GetRecords.

#include "connectors/kinesis_api/error_mapping.h"
#include "connectors/kinesis_api/handlers/encode.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "engine/store/shards/hash_key.h"
#include "engine/store/validation.h"

namespace shardflow::api {
namespace {

using boost::json::object;

constexpr size_t kMaxDataBytes = 10 << 20;

/// One record of a put request, with its decoded bytes kept alive for the store call.
struct DecodedRecord {
    std::string data;
    std::string_view partition_key;
    std::optional<std::string_view> explicit_hash_key;
};

/// Reads Data, PartitionKey and ExplicitHashKey from `r`; `prefix` names the member in messages.
std::optional<DecodedRecord> decode_record(Request& r, std::string_view prefix) {
    auto bytes = r.blob("Data", fmt::format("{}data", prefix), true);
    auto key = r.string("PartitionKey", fmt::format("{}partitionKey", prefix), true, 1);
    bool fits = true;
    if (key && store::utf8_length(*key) > 256) {
        r.fail(fmt::format("'{}'", *key),
               fmt::format("{}partitionKey", prefix),
               "Member must have length less than or equal to 256");
        fits = false;
    }
    auto hash = r.decimal("ExplicitHashKey", fmt::format("{}explicitHashKey", prefix), false, 39);
    if (bytes && bytes->size() > kMaxDataBytes) {
        // AWS's framework shows the buffer it read the blob into.
        r.fail(fmt::format("'java.nio.HeapByteBuffer[pos=0 lim={0} cap={0}]'", bytes->size()),
               fmt::format("{}data", prefix),
               fmt::format("Member must have length less than or equal to {}", kMaxDataBytes));
        fits = false;
    }
    if (!bytes || !key || !fits) {
        return std::nullopt;
    }
    return DecodedRecord{std::move(*bytes), *key, hash};
}

/// What PutRecord and PutRecords report: the stream's encryption as the records went in.
std::string_view encryption_type(bool encrypted) {
    return encrypted ? "KMS" : "NONE";
}

/// PutRecords' answer: a result or an error per record, in request order.
object put_records_response(const std::vector<store::PutRecordsEntry>& results) {
    boost::json::array out;
    out.reserve(results.size());
    int failed = 0;
    bool encrypted = false;
    for (const auto& r : results) {
        if (r) {
            encrypted = r->encrypted;
            out.push_back(object{{"SequenceNumber", r->sequence_number}, {"ShardId", r->shard_id}});
        } else {
            ++failed;
            bool internal = r.error().code == ErrorCode::kInternalFailure ||
                            r.error().code == ErrorCode::kIoError;
            out.push_back(
                object{{"ErrorCode", std::string(to_wire(r.error().code).type)},
                       {"ErrorMessage",
                        internal ? std::string("Internal Service Failure") : r.error().message}});
        }
    }
    return object{{"FailedRecordCount", failed},
                  {"Records", std::move(out)},
                  {"EncryptionType", encryption_type(encrypted)}};
}

}  // namespace

void put_record(HandlerContext& ctx, Request& request, Reply reply) {
    auto stream = stream_of(request);
    auto record = decode_record(request, "");
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
    store::PutRecordRequest put{record->partition_key, record->data, record->explicit_hash_key};
    ctx.store.put_records_async(
        *stream, std::span(&put, 1), [reply = std::move(reply)](auto results) {
            if (!results) {
                return reply(std::move(results).error());
            }
            auto& entry = results->front();
            if (!entry) {
                return reply(std::move(entry).error());
            }
            reply(object{{"ShardId", entry->shard_id},
                         {"SequenceNumber", entry->sequence_number},
                         {"EncryptionType", encryption_type(entry->encrypted)}});
        });
}

void put_records(HandlerContext& ctx, Request& request, Reply reply) {
    auto stream = stream_of(request);
    const auto* entries = request.array("Records", "records", true, 1, 500);
    std::vector<DecodedRecord> records;
    if (entries) {
        records.reserve(entries->size());
        for (size_t i = 0; i < entries->size(); ++i) {
            const auto& entry = (*entries)[i];
            if (!entry.is_object()) {
                request.wrong_type(entry, WireType::kStructure);
                break;
            }
            Request item(entry.get_object());
            auto decoded = decode_record(item, fmt::format("records.{}.member.", i + 1));
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
    std::vector<store::PutRecordRequest> requests;
    requests.reserve(records.size());
    for (const auto& r : records) {
        requests.push_back({r.partition_key, r.data, r.explicit_hash_key});
    }
    ctx.store.put_records_async(*stream, requests, [reply = std::move(reply)](auto results) {
        if (!results) {
            return reply(std::move(results).error());
        }
        reply(put_records_response(*results));
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

Result<object> get_records(HandlerContext& ctx, Request& request) {
    auto iterator = request.string("ShardIterator", "shardIterator", true, 1, 512);
    auto limit = request.integer("Limit", "limit", false, 1, 10000);
    auto arn = request.string("StreamARN", "streamARN", false, 1, 2048);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto result,
                        ctx.store.get_records(*iterator, static_cast<int>(limit.value_or(10000))));
    // The iterator names its stream; a StreamARN (optional) must agree with it.
    if (arn && *arn != ctx.store.stream_arn(result.stream_name)) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "StreamARN {} is not the stream of the shard iterator.",
                           *arn);
    }
    object response{{"Records", encode_records(result.records)},
                    {"MillisBehindLatest", result.millis_behind_latest}};
    if (result.next_shard_iterator) {
        response["NextShardIterator"] = *result.next_shard_iterator;
    } else {
        response["ChildShards"] = encode_child_shards(result.child_shards);
    }
    return response;
}

}  // namespace shardflow::api
