#pragma once
// Writes each record into a stream of the store, with a partition key the user picks: the
// output of one query becomes the input of the next. At-least-once: a query restarted from an
// earlier position writes the records after it again.

#include "connectors/sinks/failing_sink.h"
#include "engine/store/stream_store.h"

#include <functional>
#include <string>

namespace shardflow::connectors {

/// Threading: shared by every worker; each batch goes out in PutRecords calls of up to 500.
/// The first failure (a put error or a rejected record) stops the sink and is kept in status().
template <class T>
class StreamSink final : public FailingSink<T> {
public:
    StreamSink(store::StreamStore& store,
               std::string stream,
               std::function<std::string(const T&)> partition_key,
               std::function<std::string(const T&)> data)
        : store_(store)
        , stream_(std::move(stream))
        , partition_key_(std::move(partition_key))
        , data_(std::move(data)) {}

    void on_batch(std::span<T> batch) override {
        std::vector<std::pair<std::string, std::string>> encoded;
        encoded.reserve(batch.size());
        for (const T& record : batch) {
            encoded.emplace_back(partition_key_(record), data_(record));
        }
        for (size_t at = 0; at < encoded.size(); at += kMaxPerCall) {
            std::vector<store::PutRecordRequest> requests;
            for (size_t i = at; i < std::min(encoded.size(), at + kMaxPerCall); ++i) {
                requests.push_back({encoded[i].first, encoded[i].second, std::nullopt});
            }
            this->write([&] { return store_.put_all(stream_, requests); });
        }
    }

private:
    static constexpr size_t kMaxPerCall = 500;

    store::StreamStore& store_;
    std::string stream_;
    std::function<std::string(const T&)> partition_key_;
    std::function<std::string(const T&)> data_;
};

}  // namespace shardflow::connectors
