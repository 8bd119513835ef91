#include "bench/nexmark/source/store_event_source.h"

#include "bench/nexmark/generator/event_json.h"
#include "bench/nexmark/generator/nexmark_generator.h"

namespace shardflow::nexmark {

EventDecoder::EventDecoder()
    : envelope_({"event_type", "person", "auction", "bid"})
    , person_({"id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra"})
    , auction_({"id",
                "itemName",
                "description",
                "initialBid",
                "reserve",
                "dateTime",
                "expires",
                "seller",
                "category",
                "extra"})
    , bid_({"auction", "bidder", "price", "channel", "url", "dateTime", "extra"}) {}

Result<std::string> EventDecoder::text(connectors::JsonFields& fields, size_t i) {
    SF_ASSIGN_OR_RETURN(auto view, fields.string(i));
    return std::string(view);
}

Result<Event> EventDecoder::operator()(std::string_view record) {
    SF_TRY(envelope_.scan(record));
    SF_ASSIGN_OR_RETURN(int64_t type, envelope_.int64(0));
    if (type == 0) {
        SF_TRY(person_.scan(envelope_.raw(1)));
        Person p;
        SF_ASSIGN_OR_RETURN(p.id, person_.int64(0));
        SF_ASSIGN_OR_RETURN(p.name, text(person_, 1));
        SF_ASSIGN_OR_RETURN(p.email_address, text(person_, 2));
        SF_ASSIGN_OR_RETURN(p.credit_card, text(person_, 3));
        SF_ASSIGN_OR_RETURN(p.city, text(person_, 4));
        SF_ASSIGN_OR_RETURN(p.state, text(person_, 5));
        SF_ASSIGN_OR_RETURN(p.date_time, person_.int64(6));
        SF_ASSIGN_OR_RETURN(p.extra, text(person_, 7));
        return Event(std::move(p));
    }
    if (type == 1) {
        SF_TRY(auction_.scan(envelope_.raw(2)));
        Auction a;
        SF_ASSIGN_OR_RETURN(a.id, auction_.int64(0));
        SF_ASSIGN_OR_RETURN(a.item_name, text(auction_, 1));
        SF_ASSIGN_OR_RETURN(a.description, text(auction_, 2));
        SF_ASSIGN_OR_RETURN(a.initial_bid, auction_.int64(3));
        SF_ASSIGN_OR_RETURN(a.reserve, auction_.int64(4));
        SF_ASSIGN_OR_RETURN(a.date_time, auction_.int64(5));
        SF_ASSIGN_OR_RETURN(a.expires, auction_.int64(6));
        SF_ASSIGN_OR_RETURN(a.seller, auction_.int64(7));
        SF_ASSIGN_OR_RETURN(a.category, auction_.int64(8));
        SF_ASSIGN_OR_RETURN(a.extra, text(auction_, 9));
        return Event(std::move(a));
    }
    if (type != 2) {
        return Error::make(ErrorCode::kInvalidArgument, "event_type {} is not 0, 1 or 2", type);
    }
    SF_TRY(bid_.scan(envelope_.raw(3)));
    Bid b;
    SF_ASSIGN_OR_RETURN(b.auction, bid_.int64(0));
    SF_ASSIGN_OR_RETURN(b.bidder, bid_.int64(1));
    SF_ASSIGN_OR_RETURN(b.price, bid_.int64(2));
    SF_ASSIGN_OR_RETURN(b.channel, text(bid_, 3));
    SF_ASSIGN_OR_RETURN(b.url, text(bid_, 4));
    SF_ASSIGN_OR_RETURN(b.date_time, bid_.int64(5));
    SF_ASSIGN_OR_RETURN(b.extra, text(bid_, 6));
    return Event(std::move(b));
}

namespace {

/// Writes events [0, count) of `config`, each as `json(event)` into the stream `stream_of(event)`
/// names, in PutRecords batches per stream.
template <class StreamOf, class Json>
Status write_json(store::StreamStore& store,
                  const GeneratorConfig& config,
                  uint64_t count,
                  StreamOf stream_of,
                  Json json) {
    constexpr size_t kBatch = 500;  // PutRecords' limit
    struct Batch {
        std::vector<std::string> keys, data;  // the requests point into them
    };
    std::map<std::string, Batch> batches;
    auto flush = [&](const std::string& stream, Batch& batch) {
        std::vector<store::PutRecordRequest> requests;
        for (size_t i = 0; i < batch.keys.size(); ++i) {
            requests.push_back({batch.keys[i], batch.data[i], std::nullopt});
        }
        Status put = requests.empty() ? ok() : store.put_all(stream, requests);
        batch.keys.clear();
        batch.data.clear();
        return put;
    };
    for (uint64_t i = 0; i < count; ++i) {
        Event e = generate_event(config, i);
        const std::string& stream = stream_of(e);
        Batch& batch = batches[stream];
        batch.keys.push_back(partition_key(e));
        batch.data.push_back(json(e));
        if (batch.keys.size() == kBatch) {
            SF_TRY(flush(stream, batch));
        }
    }
    for (auto& [stream, batch] : batches) {
        SF_TRY(flush(stream, batch));
    }
    return ok();
}

}  // namespace

Status write_events(store::StreamStore& store,
                    const std::string& stream,
                    int shards,
                    const GeneratorConfig& config,
                    uint64_t count) {
    SF_TRY(store.create_stream({stream, shards, store::StreamMode::kProvisioned, {}}));
    return write_json(
        store,
        config,
        count,
        [&](const Event&) -> const std::string& { return stream; },
        event_json);
}

Status write_row_streams(store::StreamStore& store,
                         int shards,
                         const GeneratorConfig& config,
                         uint64_t count) {
    static const std::string kStreams[] = {"person", "auction", "bid"};
    for (const auto& stream : kStreams) {
        SF_TRY(store.create_stream({stream, shards, store::StreamMode::kProvisioned, {}}));
    }
    return write_json(
        store,
        config,
        count,
        [](const Event& e) -> const std::string& { return kStreams[e.index()]; },
        row_json);
}

StoreEventSource::StoreEventSource(store::StreamStore& store, std::string stream)
    : records_(store, std::move(stream)) {}

Result<std::vector<runtime::PartitionId>> StoreEventSource::readable_partitions() {
    SF_ASSIGN_OR_RETURN(auto partitions, records_.readable_partitions());
    for (runtime::PartitionId p : partitions) {  // between rounds: no reader is running
        if (!decoders_.contains(p)) {
            decoders_.emplace(p, std::make_unique<EventDecoder>());
            batches_[p];
        }
    }
    return partitions;
}

Result<runtime::PartitionRead> StoreEventSource::read(runtime::PartitionId partition,
                                                      size_t max_records,
                                                      std::vector<Event>& out) {
    auto& batch = batches_.at(partition);
    batch.clear();
    SF_ASSIGN_OR_RETURN(auto read, records_.read(partition, max_records, batch));
    EventDecoder& decode = *decoders_.at(partition);
    for (const auto& record : batch) {
        SF_ASSIGN_OR_RETURN(Event e, decode(record.data));
        out.push_back(std::move(e));
    }
    return read;
}

}  // namespace shardflow::nexmark
