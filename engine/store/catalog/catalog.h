#pragma once
// The SQLite catalog (WAL mode): streams, shards and their lineage, tags, consumers, settings.
// Records never go here; they live in the shard logs.

#include "engine/common/error.h"
#include "engine/store/metadata.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace shardflow::store {

/// Durable metadata of the store. Every write is its own transaction.
/// Threading: all methods are safe to call from any thread (one connection, one mutex).
class Catalog {
public:
    ~Catalog();
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    static Result<std::unique_ptr<Catalog>> open(const std::filesystem::path& file);

    /// Every stream with its shards, tags and consumers.
    Result<std::vector<StreamMeta>> load_streams();

    /// Inserts a stream (its id is assigned) with its shards and tags.
    Result<int64_t> insert_stream(const StreamMeta& stream);
    /// Rewrites a stream's row and the full set of its shards, tags and consumers.
    Status save_stream(const StreamMeta& stream);
    Status delete_stream(int64_t id);

    Result<std::optional<std::string>> get_setting(const std::string& key);
    Status put_setting(const std::string& key, const std::string& value);

private:
    explicit Catalog(sqlite3* db);
    Status exec(const char* sql);
    Status write_children(const StreamMeta& stream);
    Status write_policy(int64_t stream_id, const std::string& consumer, const std::string& policy);
    Status add_missing_columns();

    std::mutex mu_;
    sqlite3* db_;
};

}  // namespace shardflow::store
