// The subscriptions' thread and their hand-over to transports. A subscription is served only
// while its transport waits for a part (after writing the previous one), so a slow client
// holds back only its own reads.

#include "connectors/kinesis_api/subscriptions/shard_subscriptions.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace shardflow::api {
namespace {

using SteadyClock = std::chrono::steady_clock;

}  // namespace

struct Subscription;

struct ShardSubscriptions::Impl {
    Impl(store::StreamStore& s, SubscriptionOptions o)
        : store(s)
        , options(o) {}

    store::StreamStore& store;
    const SubscriptionOptions options;

    mutable std::mutex mu;
    std::condition_variable cv;
    bool wake = false;
    bool stopping = false;
    // By consumer ARN and shard. The transport owns each: one it drops is gone.
    std::map<std::string, std::weak_ptr<Subscription>> by_key;
    std::thread thread;

    void run();
    void serve(Subscription& s, SteadyClock::time_point now);
    /// Hands `part` to the transport waiting for it, if it still does. Not under `mu`.
    void deliver(Subscription& s, std::optional<std::string> part);
    void retire(Subscription& s);  // under `mu`
    /// The next part delivered is the last: no longer served, nor counted against its slot.
    void end(Subscription& s);
    /// Makes the exception `words` the last part of `s`: returned for the caller to deliver
    /// outside `mu` when the transport waits for a part, else kept for its next pull. Under `mu`.
    std::optional<std::string> finish_with(Subscription& s, std::string words);

    /// After a commit: wakes the thread when a subscription may have records to send. Without
    /// any (or with a wake-up pending) a commit costs no context switch.
    void notify() {
        {
            std::lock_guard lock(mu);
            if (by_key.empty() || wake) {
                return;
            }
            wake = true;
        }
        cv.notify_one();
    }
};

/// One subscription: its cursor and, while its transport waits, where the next part goes.
struct Subscription final : BodySource {
    Subscription(std::shared_ptr<ShardSubscriptions::Impl> h,
                 std::string k,
                 store::ShardCursor c,
                 std::unique_ptr<EventEncoder> e)
        : hub(std::move(h))
        , key(std::move(k))
        , cursor(std::move(c))
        , encoder(std::move(e))
        , started(SteadyClock::now())
        , last_event(started - std::chrono::hours(1))           // the first event goes out at once
        , allowance_bytes(hub->options.share_bytes_per_second)  // a second's worth at first
        , refilled(started) {}

    void pull(Deliver next) override {
        std::optional<std::string> now;
        {
            std::lock_guard lock(hub->mu);
            if (last_words) {
                now = std::move(last_words);
                last_words.reset();
                ending = true;
            } else if (!ending && !hub->stopping) {
                waiting = std::move(next);
                hub->wake = true;
                hub->cv.notify_one();
                return;
            }
        }
        next(std::move(now));  // the last part, or the end
    }

    void cancel() override {
        Deliver dropped;  // destroyed outside the lock: it may own the transport
        std::lock_guard lock(hub->mu);
        dropped = std::move(waiting);
        waiting = nullptr;
        ending = true;
        hub->retire(*this);
    }

    const std::shared_ptr<ShardSubscriptions::Impl> hub;
    const std::string key;
    store::ShardCursor cursor;  // read by the hub's thread only
    const std::unique_ptr<EventEncoder> encoder;
    const SteadyClock::time_point started;
    SteadyClock::time_point last_event;  // the hub's thread only
    // The bytes it may still read of its share (negative: owed), as of `refilled`. Hub only.
    double allowance_bytes;
    SteadyClock::time_point refilled;

    // Guarded by hub->mu.
    Deliver waiting;                        // the transport waits for a part
    bool ending = false;                    // the next pull gets the end of the body
    std::optional<std::string> last_words;  // an exception to send before the end
};

void ShardSubscriptions::Impl::retire(Subscription& s) {
    auto it = by_key.find(s.key);
    if (it != by_key.end() && (it->second.expired() || it->second.lock().get() == &s)) {
        by_key.erase(it);
    }
}

void ShardSubscriptions::Impl::end(Subscription& s) {
    std::lock_guard lock(mu);
    s.ending = true;
    retire(s);
}

std::optional<std::string> ShardSubscriptions::Impl::finish_with(Subscription& s,
                                                                 std::string words) {
    if (s.waiting) {
        s.ending = true;
        return words;
    }
    s.last_words = std::move(words);
    return std::nullopt;
}

void ShardSubscriptions::Impl::deliver(Subscription& s, std::optional<std::string> part) {
    BodySource::Deliver next;
    {
        std::lock_guard lock(mu);
        next = std::move(s.waiting);
        s.waiting = nullptr;
    }
    if (next) {
        next(std::move(part));
    }
}

namespace {

/// When a subscription over its share has earned enough to read again.
SteadyClock::time_point share_earned_at(const Subscription& s, double bytes_per_second) {
    auto owed = std::chrono::duration<double>(-s.allowance_bytes / bytes_per_second);
    return s.refilled + std::chrono::duration_cast<SteadyClock::duration>(owed);
}

}  // namespace

void ShardSubscriptions::Impl::serve(Subscription& s, SteadyClock::time_point now) {
    if (now - s.started >= options.lifetime) {
        end(s);
        deliver(s, std::nullopt);
        return;
    }
    double rate = options.share_bytes_per_second;
    if (s.cursor.limited) {
        double earned = std::chrono::duration<double>(now - s.refilled).count() * rate;
        s.allowance_bytes = std::min(rate, s.allowance_bytes + earned);
        s.refilled = now;
        if (s.allowance_bytes <= 0) {
            return;  // served again once it has earned its next read
        }
    }
    auto read = store.read_cursor(s.cursor);
    if (!read) {
        end(s);
        deliver(s, s.encoder->error(read.error()));
        return;
    }
    if (read->records.empty() && !read->shard_ended && now - s.last_event < options.heartbeat) {
        return;  // nothing new yet
    }
    if (read->shard_ended) {  // the event with ChildShards is the last
        end(s);
    }
    for (const auto& record : read->records) {
        s.allowance_bytes -= static_cast<double>(record.data.size() + record.partition_key.size());
    }
    s.last_event = now;
    deliver(s, s.encoder->records(*read, s.cursor.continuation));
}

void ShardSubscriptions::Impl::run() {
    std::unique_lock lock(mu);
    while (!stopping) {
        wake = false;
        std::vector<std::shared_ptr<Subscription>> waiting;
        auto now = SteadyClock::now();
        auto next_due = now + options.heartbeat;
        std::erase_if(by_key, [](const auto& entry) { return entry.second.expired(); });
        for (const auto& [key, weak] : by_key) {
            auto s = weak.lock();
            if (s->waiting) {  // one whose transport is busy is served when it pulls again
                waiting.push_back(s);
                next_due = std::min(
                    {next_due, s->last_event + options.heartbeat, s->started + options.lifetime});
                if (s->cursor.limited && s->allowance_bytes <= 0) {
                    next_due =
                        std::min(next_due, share_earned_at(*s, options.share_bytes_per_second));
                }
            }
        }
        lock.unlock();
        for (const auto& s : waiting) {
            serve(*s, now);
        }
        lock.lock();
        cv.wait_until(lock, next_due, [this] { return wake || stopping; });
    }
}

ShardSubscriptions::ShardSubscriptions(store::StreamStore& store, SubscriptionOptions options)
    : impl_(std::make_shared<Impl>(store, options)) {
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
    watch_ = store.watch_durable([impl = impl_.get()] { impl->notify(); });
}

ShardSubscriptions::~ShardSubscriptions() {
    watch_.reset();
    std::vector<std::shared_ptr<Subscription>> ended;
    {
        std::lock_guard lock(impl_->mu);
        impl_->stopping = true;
        for (const auto& [key, weak] : impl_->by_key) {
            if (auto s = weak.lock()) {
                s->ending = true;
                ended.push_back(std::move(s));
            }
        }
        impl_->by_key.clear();
    }
    impl_->cv.notify_one();
    impl_->thread.join();
    for (const auto& s : ended) {
        impl_->deliver(*s, std::nullopt);
    }
}

Result<std::shared_ptr<BodySource>> ShardSubscriptions::subscribe(
    std::string consumer_arn, store::ShardCursor cursor, std::unique_ptr<EventEncoder> encoder) {
    std::string key = consumer_arn + "|" + std::to_string(cursor.shard_index);
    auto created =
        std::make_shared<Subscription>(impl_, key, std::move(cursor), std::move(encoder));
    std::shared_ptr<Subscription> replaced;
    std::optional<std::string> takeover_words;
    {
        std::lock_guard lock(impl_->mu);
        auto& slot = impl_->by_key[key];
        replaced = slot.lock();
        if (replaced && created->started - replaced->started < impl_->options.takeover_after) {
            return Error::make(ErrorCode::kResourceInUse,
                               "Another active subscription exists for consumer {} on shard {}.",
                               consumer_arn,
                               store::shard_id_name(created->cursor.shard_index));
        }
        slot = created;
        if (replaced) {
            takeover_words = impl_->finish_with(
                *replaced,
                replaced->encoder->error(Error::make(
                    ErrorCode::kResourceInUse,
                    "A newer subscription of consumer {} to shard {} took over this one.",
                    consumer_arn,
                    store::shard_id_name(created->cursor.shard_index))));
        }
    }
    if (takeover_words) {
        impl_->deliver(*replaced, std::move(takeover_words));
    }
    return std::shared_ptr<BodySource>(created);
}

void ShardSubscriptions::end_consumer(const std::string& consumer_arn) {
    std::vector<std::pair<std::shared_ptr<Subscription>, std::string>> now;
    {
        std::lock_guard lock(impl_->mu);
        std::string prefix = consumer_arn + "|";
        for (auto it = impl_->by_key.lower_bound(prefix);
             it != impl_->by_key.end() && it->first.starts_with(prefix);) {
            if (auto s = it->second.lock()) {
                auto words = impl_->finish_with(
                    *s,
                    s->encoder->error(Error::make(ErrorCode::kResourceNotFound,
                                                  "Consumer {} was deregistered.",
                                                  consumer_arn)));
                if (words) {
                    now.emplace_back(std::move(s), std::move(*words));
                }
            }
            it = impl_->by_key.erase(it);
        }
    }
    for (auto& [s, words] : now) {
        impl_->deliver(*s, std::move(words));
    }
}

size_t ShardSubscriptions::active() const {
    std::lock_guard lock(impl_->mu);
    return std::count_if(impl_->by_key.begin(), impl_->by_key.end(), [](const auto& entry) {
        return !entry.second.expired();
    });
}

}  // namespace shardflow::api
