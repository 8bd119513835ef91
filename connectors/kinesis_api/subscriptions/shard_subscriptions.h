#pragma once
// Enhanced fan-out: the live SubscribeToShard subscriptions of a server. One thread serves them
// all. It wakes when a commit makes records durable, when a subscription's transport asks for
// its next event, or when an event is due; it reads each waiting subscription's shard from its
// cursor and hands the event to the transport.

#include "connectors/kinesis_api/body_source.h"
#include "engine/store/stream_store.h"

#include <chrono>
#include <memory>
#include <string>

namespace shardflow::api {

struct SubscriptionOptions {
    std::chrono::milliseconds lifetime = std::chrono::minutes(5);   // then the stream ends
    std::chrono::milliseconds heartbeat = std::chrono::seconds(5);  // an event at least this often
    /// A second subscription of a consumer to a shard is refused while the first is younger
    /// than this; after it, the second takes over (as on AWS).
    std::chrono::milliseconds takeover_after = std::chrono::seconds(5);
    /// What one subscription may read per second on a stream that enforces limits: each
    /// consumer's own 2 MiB/s share of a shard, as on AWS.
    double share_bytes_per_second = 2 << 20;
};

/// Writes a subscription's events in the format of its request.
class EventEncoder {
public:
    virtual ~EventEncoder() = default;
    /// A SubscribeToShardEvent for `read`, resuming after `continuation`.
    virtual std::string records(const store::GetRecordsResult& read,
                                std::string_view continuation) const = 0;
    /// The exception that ends a subscription.
    virtual std::string error(const Error& error) const = 0;
};

/// Threading: subscribe() from any thread; the bodies it returns follow BodySource's rules.
class ShardSubscriptions {
public:
    explicit ShardSubscriptions(store::StreamStore& store, SubscriptionOptions options = {});
    /// Ends every subscription (their transports get the end of the body).
    ~ShardSubscriptions();
    ShardSubscriptions(const ShardSubscriptions&) = delete;
    ShardSubscriptions& operator=(const ShardSubscriptions&) = delete;

    /// Reads on from `cursor` for `consumer_arn`: the event stream's body after its
    /// initial-response. ResourceInUseException while a younger subscription of the consumer to
    /// the shard exists.
    Result<std::shared_ptr<BodySource>> subscribe(std::string consumer_arn,
                                                  store::ShardCursor cursor,
                                                  std::unique_ptr<EventEncoder> encoder);

    /// Ends every subscription of a consumer (deregistered) with a ResourceNotFoundException.
    void end_consumer(const std::string& consumer_arn);

    /// Subscriptions not yet ended.
    size_t active() const;

    struct Impl;  // shared with the subscriptions, which their transports may hold longer

private:
    std::shared_ptr<Impl> impl_;
    std::unique_ptr<store::DurableWatch> watch_;
};

}  // namespace shardflow::api
