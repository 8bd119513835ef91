#pragma once
// What the example programs share: opening a store and filling a stream with records.

#include "engine/store/stream_store.h"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace shardflow::examples {

/// (partition key, data) pairs.
using Records = std::vector<std::pair<std::string, std::string>>;

inline Result<std::unique_ptr<store::StreamStore>> open_store(const std::filesystem::path& dir) {
    store::StoreOptions options;
    options.data_dir = dir / "store";
    options.background_housekeeping = false;
    return store::StreamStore::open(options);
}

/// Creates `stream` with `shards` shards unless it exists, then puts the records in batches
/// of 500 (the PutRecords limit).
inline Status put_all(store::StreamStore& store,
                      const std::string& stream,
                      int shards,
                      const Records& records) {
    auto created = store.create_stream({stream, shards, store::StreamMode::kProvisioned, {}});
    if (!created && created.error().code != ErrorCode::kResourceInUse) {
        return created;
    }
    std::vector<store::PutRecordRequest> batch;
    for (size_t i = 0; i < records.size(); ++i) {
        batch.push_back({records[i].first, records[i].second, std::nullopt});
        if (batch.size() == 500 || i + 1 == records.size()) {
            SF_TRY(store.put_all(stream, batch));
            batch.clear();
        }
    }
    return ok();
}

}  // namespace shardflow::examples
