// JSON shapes shared by several responses.

#include "connectors/kinesis_api/handlers/encode.h"

#include "connectors/kinesis_api/handlers/handler.h"
#include "engine/common/base64.h"

namespace shardflow::api {

boost::json::object encode_shard(const store::ShardDescription& shard) {
    boost::json::object o;
    o["ShardId"] = shard.shard_id;
    if (shard.parent_shard_id) {
        o["ParentShardId"] = *shard.parent_shard_id;
    }
    if (shard.adjacent_parent_shard_id) {
        o["AdjacentParentShardId"] = *shard.adjacent_parent_shard_id;
    }
    o["HashKeyRange"] = {{"StartingHashKey", store::hash_key_to_string(shard.starting_hash_key)},
                         {"EndingHashKey", store::hash_key_to_string(shard.ending_hash_key)}};
    boost::json::object range{{"StartingSequenceNumber", shard.starting_sequence_number}};
    if (shard.ending_sequence_number) {
        range["EndingSequenceNumber"] = *shard.ending_sequence_number;
    }
    o["SequenceNumberRange"] = std::move(range);
    return o;
}

boost::json::object encode_stream_mode(store::StreamMode mode) {
    return {{"StreamMode", std::string(store::to_string(mode))}};
}

boost::json::array encode_strings(const std::vector<std::string>& items) {
    boost::json::array a;
    for (const auto& item : items) {
        a.emplace_back(item);
    }
    return a;
}

boost::json::array encode_enhanced_monitoring(const std::vector<std::string>& metrics) {
    return {boost::json::object{{"ShardLevelMetrics", encode_strings(metrics)}}};
}

boost::json::array encode_records(const std::vector<store::Record>& records) {
    boost::json::array out;
    out.reserve(records.size());
    for (const auto& r : records) {
        out.push_back(
            boost::json::object{{"SequenceNumber", r.sequence_number},
                                {"ApproximateArrivalTimestamp", epoch_seconds(r.arrival_ms)},
                                {"Data", base64_encode(r.data)},
                                {"PartitionKey", r.partition_key}});
    }
    return out;
}

boost::json::array encode_child_shards(const std::vector<store::ChildShard>& children) {
    boost::json::array out;
    for (const auto& c : children) {
        out.push_back(boost::json::object{
            {"ShardId", c.shard_id},
            {"ParentShards", encode_strings(c.parent_shards)},
            {"HashKeyRange",
             {{"StartingHashKey", store::hash_key_to_string(c.starting_hash_key)},
              {"EndingHashKey", store::hash_key_to_string(c.ending_hash_key)}}}});
    }
    return out;
}

boost::json::object encode_consumer(const store::ConsumerDescription& c, bool with_stream_arn) {
    boost::json::object o{{"ConsumerName", c.name},
                          {"ConsumerARN", c.arn},
                          {"ConsumerStatus", c.status},
                          {"ConsumerCreationTimestamp", epoch_seconds(c.created_ms)}};
    if (with_stream_arn) {
        o["StreamARN"] = c.stream_arn;
    }
    return o;
}

}  // namespace shardflow::api
