#pragma once
// Checkpoints in SQLite: per query, the source positions, every worker's operator state and
// the watermark, written in one transaction together with what exactly-once sinks produced
// since the previous checkpoint. After a crash, a query restarts from its last checkpoint and
// its tables hold exactly what one uninterrupted run would have written.

#include "engine/common/error.h"
#include "engine/runtime/event_time.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct sqlite3;

namespace shardflow::runtime {

struct Checkpoint {
    uint64_t id = 0;  // 1, 2, ... per query
    std::string positions;
    std::vector<std::string> worker_states;
    EventTime watermark = kMinEventTime;
};

/// A sink whose output commits with the checkpoint, in the checkpoint's database.
class CheckpointParticipant {
public:
    virtual ~CheckpointParticipant() = default;
    /// Writes what was buffered since the last checkpoint, inside the open transaction on `db`.
    virtual Status commit(sqlite3* db) = 0;
};

/// Threading: one query's executor at a time per store.
class CheckpointStore {
public:
    /// Opens (or creates) the database in WAL mode with its checkpoint table.
    static Result<std::unique_ptr<CheckpointStore>> open(const std::filesystem::path& path);
    ~CheckpointStore();
    CheckpointStore(const CheckpointStore&) = delete;
    CheckpointStore& operator=(const CheckpointStore&) = delete;

    /// The database, for sinks that write tables in it.
    sqlite3* db() { return db_; }

    Result<std::optional<Checkpoint>> load(const std::string& query);
    /// Forgets the query's checkpoint: a new query of the same name starts afresh.
    Status remove(const std::string& query);
    /// One transaction: the participants' rows, then the checkpoint row.
    Status save(const std::string& query,
                const Checkpoint& checkpoint,
                std::span<CheckpointParticipant* const> participants);

private:
    explicit CheckpointStore(sqlite3* db)
        : db_(db) {}
    sqlite3* db_;
};

}  // namespace shardflow::runtime
