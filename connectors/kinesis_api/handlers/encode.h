#pragma once
// JSON shapes shared by several responses.

#include "engine/store/stream_store.h"

#include <boost/json.hpp>

namespace shardflow::api {

boost::json::object encode_shard(const store::ShardDescription& shard);
boost::json::object encode_stream_mode(store::StreamMode mode);
boost::json::array encode_enhanced_monitoring(const std::vector<std::string>& metrics);
boost::json::array encode_strings(const std::vector<std::string>& items);
boost::json::array encode_records(const std::vector<store::Record>& records);
boost::json::array encode_child_shards(const std::vector<store::ChildShard>& children);
boost::json::object encode_consumer(const store::ConsumerDescription& consumer,
                                    bool with_stream_arn);

}  // namespace shardflow::api
