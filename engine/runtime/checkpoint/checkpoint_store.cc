// The checkpoint table: one row per query, replaced by each checkpoint.

#include "engine/runtime/checkpoint/checkpoint_store.h"

#include "engine/common/sqlite_util.h"
#include "engine/runtime/state_codec.h"

#include <sqlite3.h>

namespace shardflow::runtime {
namespace {

Error sqlite_error(sqlite3* db, std::string_view what) {
    return shardflow::sqlite_error(
        db, ErrorCode::kIoError, fmt::format("checkpoint store: {}", what));
}

std::string encode_states(const std::vector<std::string>& states) {
    StateWriter w;
    encode(w, states);
    return w.take();
}

}  // namespace

Result<std::unique_ptr<CheckpointStore>> CheckpointStore::open(const std::filesystem::path& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        Error e = sqlite_error(db, "open " + path.string());
        sqlite3_close(db);
        return e;
    }
    std::unique_ptr<CheckpointStore> store(new CheckpointStore(db));
    const char* schema =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;"
        "CREATE TABLE IF NOT EXISTS shardflow_checkpoints (query TEXT PRIMARY KEY, id INTEGER NOT "
        "NULL, "
        "watermark INTEGER NOT NULL, positions BLOB NOT NULL, state BLOB NOT NULL)";
    if (sqlite3_exec(db, schema, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db, "create the checkpoint table");
    }
    return store;
}

CheckpointStore::~CheckpointStore() {
    sqlite3_close(db_);
}

Result<std::optional<Checkpoint>> CheckpointStore::load(const std::string& query) {
    SqliteStatement s;
    if (sqlite3_prepare_v2(
            db_,
            "SELECT id, watermark, positions, state FROM shardflow_checkpoints WHERE query = ?",
            -1,
            &s.stmt,
            nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "prepare load");
    }
    sqlite3_bind_text(s.stmt, 1, query.data(), static_cast<int>(query.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(s.stmt);
    if (rc == SQLITE_DONE) {
        return std::optional<Checkpoint>{};
    }
    if (rc != SQLITE_ROW) {
        return sqlite_error(db_, "load the checkpoint of " + query);
    }
    auto blob = [&](int column) {
        return std::string_view(static_cast<const char*>(sqlite3_column_blob(s.stmt, column)),
                                static_cast<size_t>(sqlite3_column_bytes(s.stmt, column)));
    };
    Checkpoint c;
    c.id = static_cast<uint64_t>(sqlite3_column_int64(s.stmt, 0));
    c.watermark = sqlite3_column_int64(s.stmt, 1);
    c.positions = std::string(blob(2));
    StateReader r(blob(3));
    decode(r, c.worker_states);
    SF_TRY(r.status());
    return std::optional<Checkpoint>(std::move(c));
}

Status CheckpointStore::remove(const std::string& query) {
    SqliteStatement s;
    if (sqlite3_prepare_v2(
            db_, "DELETE FROM shardflow_checkpoints WHERE query = ?", -1, &s.stmt, nullptr) !=
        SQLITE_OK) {
        return sqlite_error(db_, "prepare remove");
    }
    sqlite3_bind_text(s.stmt, 1, query.data(), static_cast<int>(query.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(s.stmt) != SQLITE_DONE) {
        return sqlite_error(db_, "remove the checkpoint of " + query);
    }
    return ok();
}

Status CheckpointStore::save(const std::string& query,
                             const Checkpoint& checkpoint,
                             std::span<CheckpointParticipant* const> participants) {
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "begin");
    }
    auto rollback = [this](Error e) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return e;
    };
    for (CheckpointParticipant* p : participants) {
        if (Status s = p->commit(db_); !s) {
            return rollback(s.error());
        }
    }
    SqliteStatement s;
    if (sqlite3_prepare_v2(
            db_,
            "INSERT OR REPLACE INTO shardflow_checkpoints (query, id, watermark, positions, state) "
            "VALUES (?, ?, ?, ?, ?)",
            -1,
            &s.stmt,
            nullptr) != SQLITE_OK) {
        return rollback(sqlite_error(db_, "prepare save"));
    }
    std::string state = encode_states(checkpoint.worker_states);
    sqlite3_bind_text(s.stmt, 1, query.data(), static_cast<int>(query.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(s.stmt, 2, static_cast<int64_t>(checkpoint.id));
    sqlite3_bind_int64(s.stmt, 3, checkpoint.watermark);
    sqlite3_bind_blob(s.stmt,
                      4,
                      checkpoint.positions.data(),
                      static_cast<int>(checkpoint.positions.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_blob(s.stmt, 5, state.data(), static_cast<int>(state.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(s.stmt) != SQLITE_DONE) {
        return rollback(sqlite_error(db_, "save the checkpoint of " + query));
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return rollback(sqlite_error(db_, "commit"));
    }
    return ok();
}

}  // namespace shardflow::runtime
