// StreamStore: what is attached to a stream or a consumer by its ARN (tags, resource policies)
// and the consumers (enhanced fan-out registrations) themselves.

#include "engine/store/stream_runtime.h"
#include "engine/store/stream_store.h"
#include "engine/store/validation.h"

#include <algorithm>

namespace shardflow::store {
namespace {

constexpr int kMaxConsumersPerStream = 20;

std::string consumer_arn(const StoreState& s, const StreamMeta& stream, const ConsumerMeta& c) {
    return fmt::format("{}/consumer/{}:{}", s.arn(stream.name), c.name, c.created_ms / 1000);
}

/// Whether a deregistered consumer's DELETING state is over (the store's state changes take
/// `create_delay_ms`, as CreateStream's).
bool gone(const StoreState& s, const ConsumerMeta& c) {
    return !c.registered() && s.now() >= c.deleted_at_ms + s.options.create_delay_ms;
}

ConsumerDescription describe(const StoreState& s, const StreamMeta& stream, const ConsumerMeta& c) {
    bool creating = s.now() < c.created_ms + s.options.create_delay_ms;
    return {c.name,
            consumer_arn(s, stream, c),
            !c.registered() ? "DELETING"
            : creating      ? "CREATING"
                            : "ACTIVE",
            c.created_ms,
            s.arn(stream.name)};
}

// The stream named by a consumer ARN "<stream arn>/consumer/<name>:<secs>".
std::string_view stream_of_consumer_arn(std::string_view consumer_arn) {
    auto pos = consumer_arn.find("/consumer/");
    return pos == std::string_view::npos ? consumer_arn : consumer_arn.substr(0, pos);
}

Error consumer_not_found(const StoreState& s, std::string_view what) {
    return Error::make(ErrorCode::kResourceNotFound,
                       "Consumer {} under account {} not found.",
                       what,
                       s.options.account_id);
}

/// The tags and policy of what an ARN names, inside a copy of its stream's metadata.
struct Attached {
    std::map<std::string, std::string>& tags;
    std::optional<std::string>& policy;
};

/// Finds the stream or consumer that `name_or_arn` names and calls fn(attached, stream meta)
/// under the stream's lock: exclusive, and the changed metadata saved, when `change`.
template <class Fn>
auto with_resource(StoreState& s, std::string_view name_or_arn, bool change, Fn fn)
    -> decltype(fn(std::declval<Attached>(), std::declval<const StreamMeta&>())) {
    bool is_consumer = name_or_arn.find("/consumer/") != std::string_view::npos;
    SF_ASSIGN_OR_RETURN(auto stream, s.find(stream_of_consumer_arn(name_or_arn)));
    std::unique_lock exclusive(stream->mu, std::defer_lock);
    std::shared_lock shared(stream->mu, std::defer_lock);
    change ? exclusive.lock() : shared.lock();
    if (stream->deleted) {
        return s.not_found(name_or_arn);
    }
    StreamMeta updated = stream->meta;
    auto consumer = std::find_if(updated.consumers.begin(), updated.consumers.end(), [&](auto& c) {
        return !gone(s, c) && consumer_arn(s, updated, c) == name_or_arn;
    });
    if (is_consumer && consumer == updated.consumers.end()) {
        return consumer_not_found(s, name_or_arn);
    }
    Attached attached = is_consumer ? Attached{consumer->tags, consumer->policy}
                                    : Attached{updated.tags, updated.policy};
    auto result = fn(attached, updated);
    if (change && result) {
        SF_TRY(s.catalog->save_stream(updated));
        stream->meta = std::move(updated);
    }
    return result;
}

Status check_tags(const StoreState& s,
                  const std::map<std::string, std::string>& tags,
                  std::string_view resource) {
    for (const auto& [key, value] : tags) {
        if (key.empty() || key.size() > 128 || value.size() > 256) {
            return Error::make(
                ErrorCode::kInvalidArgument,
                "Tag key must be 1 to 128 characters and tag value 0 to 256 characters: {}",
                key);
        }
    }
    if (tags.size() > kMaxTagsPerResource) {
        bool stream = resource.starts_with("stream ");
        return Error::make(ErrorCode::kInvalidArgument,
                           "Failed to add tags to {} under account {} because a given {} cannot "
                           "have more than {} tags associated with it.",
                           resource,
                           s.options.account_id,
                           stream ? "stream" : "resource",
                           kMaxTagsPerResource);
    }
    return ok();
}

Error no_policy(const StoreState& s, std::string_view arn) {
    return Error::make(ErrorCode::kResourceNotFound,
                       "No resource policy found for resource {} under account {}.",
                       arn,
                       s.options.account_id);
}

}  // namespace

Status StreamStore::add_tags(std::string_view name,
                             const std::map<std::string, std::string>& tags) {
    StoreState& s = *state_;
    return with_resource(s, name, true, [&](Attached a, const StreamMeta& stream) -> Status {
        std::map<std::string, std::string> merged = a.tags;
        for (const auto& [key, value] : tags) {
            merged[key] = value;
        }
        SF_TRY(check_tags(s, merged, name == stream.name ? "stream " + stream.name : name));
        a.tags = std::move(merged);
        return ok();
    });
}

Status StreamStore::remove_tags(std::string_view name, const std::vector<std::string>& keys) {
    return with_resource(*state_, name, true, [&](Attached a, const StreamMeta&) -> Status {
        for (const auto& key : keys) {
            a.tags.erase(key);
        }
        return ok();
    });
}

Result<std::map<std::string, std::string>> StreamStore::list_tags(std::string_view name) {
    return with_resource(
        *state_,
        name,
        false,
        [](Attached a, const StreamMeta&) -> Result<std::map<std::string, std::string>> {
            return a.tags;
        });
}

Status StreamStore::put_resource_policy(std::string_view arn, const std::string& policy) {
    return with_resource(*state_, arn, true, [&](Attached a, const StreamMeta&) -> Status {
        a.policy = policy;
        return ok();
    });
}

Result<std::string> StreamStore::get_resource_policy(std::string_view arn) {
    StoreState& s = *state_;
    return with_resource(s, arn, false, [&](Attached a, const StreamMeta&) -> Result<std::string> {
        if (!a.policy) {
            return no_policy(s, arn);
        }
        return *a.policy;
    });
}

Status StreamStore::delete_resource_policy(std::string_view arn) {
    StoreState& s = *state_;
    return with_resource(s, arn, true, [&](Attached a, const StreamMeta&) -> Status {
        if (!a.policy) {
            return no_policy(s, arn);
        }
        a.policy.reset();
        return ok();
    });
}

Result<ConsumerDescription> StreamStore::register_consumer(
    std::string_view stream_arn,
    const std::string& name,
    const std::map<std::string, std::string>& tags) {
    StoreState& s = *state_;
    SF_TRY(validate_resource_name(name, "consumerName"));
    SF_TRY(check_tags(s, tags, name));
    SF_ASSIGN_OR_RETURN(auto stream, s.find(stream_arn));
    std::unique_lock lock(stream->mu);
    if (stream->deleted) {
        return s.not_found(stream_arn);
    }
    StreamMeta updated = stream->meta;
    std::erase_if(updated.consumers, [&](const ConsumerMeta& c) { return gone(s, c); });
    for (const auto& c : updated.consumers) {
        if (c.name == name) {
            return Error::make(ErrorCode::kResourceInUse,
                               "Consumer {} under stream {} already exists for account {}.",
                               name,
                               updated.name,
                               s.options.account_id);
        }
    }
    if (static_cast<int>(updated.consumers.size()) >= kMaxConsumersPerStream) {
        return Error::make(
            ErrorCode::kLimitExceeded,
            "Stream {} under account {} already has the maximum of {} registered consumers.",
            updated.name,
            s.options.account_id,
            kMaxConsumersPerStream);
    }
    updated.consumers.push_back({name, s.now(), tags, std::nullopt});
    SF_TRY(s.catalog->save_stream(updated));
    stream->meta = std::move(updated);
    return describe(s, stream->meta, stream->meta.consumers.back());
}

Result<ConsumerDescription> StreamStore::describe_consumer(std::string_view stream_arn,
                                                           std::string_view name,
                                                           std::string_view arn) {
    StoreState& s = *state_;
    SF_ASSIGN_OR_RETURN(auto stream,
                        s.find(stream_arn.empty() ? stream_of_consumer_arn(arn) : stream_arn));
    std::shared_lock lock(stream->mu);
    for (const auto& c : stream->meta.consumers) {
        bool named = (!name.empty() && c.name == name) ||
                     (!arn.empty() && consumer_arn(s, stream->meta, c) == arn);
        if (named && !gone(s, c)) {
            return describe(s, stream->meta, c);
        }
    }
    return consumer_not_found(s, name.empty() ? arn : name);
}

Result<std::vector<ConsumerDescription>> StreamStore::list_consumers(std::string_view stream_arn) {
    SF_ASSIGN_OR_RETURN(auto stream, state_->find(stream_arn));
    std::shared_lock lock(stream->mu);
    std::vector<ConsumerDescription> out;
    for (const auto& c : stream->meta.consumers) {
        if (!gone(*state_, c)) {
            out.push_back(describe(*state_, stream->meta, c));
        }
    }
    return out;
}

Result<ConsumerDescription> StreamStore::deregister_consumer(std::string_view stream_arn,
                                                             std::string_view name,
                                                             std::string_view arn) {
    StoreState& s = *state_;
    SF_ASSIGN_OR_RETURN(auto consumer, describe_consumer(stream_arn, name, arn));
    SF_ASSIGN_OR_RETURN(auto stream, s.find(consumer.stream_arn));
    std::unique_lock lock(stream->mu);
    StreamMeta updated = stream->meta;
    for (auto& c : updated.consumers) {
        if (c.name == consumer.name && c.registered()) {
            c.deleted_at_ms = s.now();  // DELETING for a while, as on AWS
        }
    }
    std::erase_if(updated.consumers, [&](const ConsumerMeta& c) { return gone(s, c); });
    SF_TRY(s.catalog->save_stream(updated));
    stream->meta = std::move(updated);
    return consumer;
}

}  // namespace shardflow::store
