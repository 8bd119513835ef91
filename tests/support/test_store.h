#pragma once
// A stream store in a test's directory, with housekeeping left to the test (no thread).

#include "engine/store/stream_store.h"

#include <filesystem>
#include <memory>

namespace shardflow::tests {

inline std::unique_ptr<store::StreamStore> open_test_store(const std::filesystem::path& dir) {
    store::StoreOptions options;
    options.data_dir = dir;
    options.background_housekeeping = false;
    return store::StreamStore::open(options).value();
}

}  // namespace shardflow::tests
