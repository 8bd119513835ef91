// SQLite catalog: schema, loading, and whole-stream saves in one transaction each.

#include "engine/store/catalog/catalog.h"

#include "engine/common/sqlite_util.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace shardflow::store {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS streams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    mode TEXT NOT NULL,
    retention_hours INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_until_ms INTEGER NOT NULL,
    encryption_type TEXT NOT NULL,
    key_id TEXT NOT NULL,
    max_record_size_kib INTEGER NOT NULL,
    shard_level_metrics TEXT NOT NULL,
    next_shard_index INTEGER NOT NULL,
    enforce_limits INTEGER NOT NULL,
    mode_switches_ms TEXT NOT NULL,
    warm_throughput_mibps INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS shards (
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    shard_index INTEGER NOT NULL,
    starting_hash_key TEXT NOT NULL,
    ending_hash_key TEXT NOT NULL,
    parent INTEGER,
    adjacent_parent INTEGER,
    created_ms INTEGER NOT NULL,
    closed_ms INTEGER,
    PRIMARY KEY (stream_id, shard_index)
);
CREATE TABLE IF NOT EXISTS tags (
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (stream_id, key)
);
CREATE TABLE IF NOT EXISTS consumers (
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (stream_id, name)
);
CREATE TABLE IF NOT EXISTS consumer_tags (
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    consumer TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (stream_id, consumer, key)
);
-- consumer '' is the stream's own policy.
CREATE TABLE IF NOT EXISTS policies (
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    consumer TEXT NOT NULL,
    policy TEXT NOT NULL,
    PRIMARY KEY (stream_id, consumer)
);
)sql";

/// Columns added since the first schema, for catalogs made before them.
constexpr const char* kAddedColumns[][2] = {
    {"warm_throughput_mibps",
     "ALTER TABLE streams ADD COLUMN warm_throughput_mibps INTEGER NOT "
     "NULL DEFAULT 0"},
};

/// A prepared statement, finalized on scope exit.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool valid() const { return stmt_ != nullptr; }
    Statement& bind(int i, int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    Statement& bind(int i, const std::string& v) {
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    template <class T>
    Statement& bind(int i, const std::optional<T>& v) {
        if (v) {
            bind(i, static_cast<int64_t>(*v));
        } else {
            sqlite3_bind_null(stmt_, i);
        }
        return *this;
    }
    int step() { return sqlite3_step(stmt_); }
    int64_t int_at(int col) const { return sqlite3_column_int64(stmt_, col); }
    bool null_at(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::string text_at(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
        return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }

private:
    sqlite3_stmt* stmt_ = nullptr;
};

Error sqlite_error(sqlite3* db, std::string_view what) {
    return shardflow::sqlite_error(db, ErrorCode::kIoError, fmt::format("catalog {}", what));
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += out.empty() ? item : "," + item;
    }
    return out;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

StreamMode mode_from(const std::string& s) {
    return s == "ON_DEMAND" ? StreamMode::kOnDemand : StreamMode::kProvisioned;
}

StreamStatus status_from(const std::string& s) {
    if (s == "CREATING") {
        return StreamStatus::kCreating;
    }
    if (s == "UPDATING") {
        return StreamStatus::kUpdating;
    }
    return StreamStatus::kActive;
}

}  // namespace

std::string_view to_string(StreamMode mode) {
    switch (mode) {
        case StreamMode::kProvisioned:
            return "PROVISIONED";
        case StreamMode::kOnDemand:
            return "ON_DEMAND";
    }
    return "PROVISIONED";
}

std::string_view to_string(StreamStatus status) {
    switch (status) {
        case StreamStatus::kCreating:
            return "CREATING";
        case StreamStatus::kDeleting:
            return "DELETING";
        case StreamStatus::kActive:
            return "ACTIVE";
        case StreamStatus::kUpdating:
            return "UPDATING";
    }
    return "ACTIVE";
}

Catalog::Catalog(sqlite3* db)
    : db_(db) {}

Catalog::~Catalog() {
    sqlite3_close(db_);
}

Result<std::unique_ptr<Catalog>> Catalog::open(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(),
                        &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        Error e = sqlite_error(db, "open " + file.string());
        sqlite3_close(db);
        return e;
    }
    std::unique_ptr<Catalog> catalog(new Catalog(db));
    sqlite3_busy_timeout(db, 5000);
    SF_TRY(
        catalog->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
    SF_TRY(catalog->exec(kSchema));
    SF_TRY(catalog->add_missing_columns());
    return catalog;
}

Status Catalog::add_missing_columns() {
    for (const auto& [column, alter] : kAddedColumns) {
        Statement q(db_, "SELECT 1 FROM pragma_table_info('streams') WHERE name = ?");
        q.bind(1, std::string(column));
        if (q.step() != SQLITE_ROW) {
            SF_TRY(exec(alter));
        }
    }
    return ok();
}

Status Catalog::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        Error e = Error::make(ErrorCode::kIoError, "catalog: {}", message ? message : "error");
        sqlite3_free(message);
        return e;
    }
    return ok();
}

Result<std::vector<StreamMeta>> Catalog::load_streams() {
    std::lock_guard lock(mu_);
    std::vector<StreamMeta> streams;
    Statement q(
        db_,
        "SELECT id, name, mode, retention_hours, created_ms, status, status_until_ms, "
        "encryption_type, key_id, max_record_size_kib, shard_level_metrics, next_shard_index, "
        "enforce_limits, mode_switches_ms, warm_throughput_mibps FROM streams ORDER BY id");
    while (q.step() == SQLITE_ROW) {
        StreamMeta s;
        s.id = q.int_at(0);
        s.name = q.text_at(1);
        s.mode = mode_from(q.text_at(2));
        s.retention_hours = static_cast<int>(q.int_at(3));
        s.created_ms = q.int_at(4);
        s.status = status_from(q.text_at(5));
        s.status_until_ms = q.int_at(6);
        s.encryption_type = q.text_at(7);
        s.key_id = q.text_at(8);
        s.max_record_size_kib = static_cast<int>(q.int_at(9));
        s.shard_level_metrics = split(q.text_at(10));
        s.next_shard_index = static_cast<uint32_t>(q.int_at(11));
        s.enforce_limits = q.int_at(12) != 0;
        for (const auto& t : split(q.text_at(13))) {
            // A malformed time only forgets one mode switch of the last day.
            EpochMillis ms = 0;
            auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), ms);
            if (ec == std::errc() && end == t.data() + t.size()) {
                s.mode_switches_ms.push_back(ms);
            }
        }
        s.warm_throughput_mibps = static_cast<int>(q.int_at(14));
        streams.push_back(std::move(s));
    }
    for (auto& s : streams) {
        Statement shards(
            db_,
            "SELECT shard_index, starting_hash_key, ending_hash_key, parent, adjacent_parent, "
            "created_ms, closed_ms FROM shards WHERE stream_id = ? ORDER BY shard_index");
        shards.bind(1, s.id);
        while (shards.step() == SQLITE_ROW) {
            ShardMeta m;
            m.index = static_cast<uint32_t>(shards.int_at(0));
            m.starting_hash_key = parse_hash_key(shards.text_at(1)).value_or(0);
            m.ending_hash_key = parse_hash_key(shards.text_at(2)).value_or(0);
            if (!shards.null_at(3)) {
                m.parent = static_cast<uint32_t>(shards.int_at(3));
            }
            if (!shards.null_at(4)) {
                m.adjacent_parent = static_cast<uint32_t>(shards.int_at(4));
            }
            m.created_ms = shards.int_at(5);
            if (!shards.null_at(6)) {
                m.closed_ms = shards.int_at(6);
            }
            s.shards.push_back(m);
        }
        Statement tags(db_, "SELECT key, value FROM tags WHERE stream_id = ?");
        tags.bind(1, s.id);
        while (tags.step() == SQLITE_ROW) {
            s.tags[tags.text_at(0)] = tags.text_at(1);
        }
        Statement consumers(
            db_, "SELECT name, created_ms FROM consumers WHERE stream_id = ? ORDER BY created_ms");
        consumers.bind(1, s.id);
        while (consumers.step() == SQLITE_ROW) {
            s.consumers.push_back({consumers.text_at(0), consumers.int_at(1), {}, std::nullopt});
        }
        auto consumer_named = [&s](const std::string& name) {
            auto it = std::find_if(s.consumers.begin(), s.consumers.end(), [&](const auto& c) {
                return c.name == name;
            });
            return it == s.consumers.end() ? nullptr : &*it;
        };
        Statement consumer_tags(
            db_, "SELECT consumer, key, value FROM consumer_tags WHERE stream_id = ?");
        consumer_tags.bind(1, s.id);
        while (consumer_tags.step() == SQLITE_ROW) {
            if (ConsumerMeta* c = consumer_named(consumer_tags.text_at(0))) {
                c->tags[consumer_tags.text_at(1)] = consumer_tags.text_at(2);
            }
        }
        Statement policies(db_, "SELECT consumer, policy FROM policies WHERE stream_id = ?");
        policies.bind(1, s.id);
        while (policies.step() == SQLITE_ROW) {
            std::string consumer = policies.text_at(0);
            if (consumer.empty()) {
                s.policy = policies.text_at(1);
            } else if (ConsumerMeta* c = consumer_named(consumer)) {
                c->policy = policies.text_at(1);
            }
        }
    }
    return streams;
}

Status Catalog::write_children(const StreamMeta& s) {
    for (const char* sql : {"DELETE FROM shards WHERE stream_id = ?",
                            "DELETE FROM tags WHERE stream_id = ?",
                            "DELETE FROM consumers WHERE stream_id = ?",
                            "DELETE FROM consumer_tags WHERE stream_id = ?",
                            "DELETE FROM policies WHERE stream_id = ?"}) {
        Statement del(db_, sql);
        del.bind(1, s.id);
        if (del.step() != SQLITE_DONE) {
            return sqlite_error(db_, "delete");
        }
    }
    for (const auto& m : s.shards) {
        Statement ins(db_,
                      "INSERT INTO shards (stream_id, shard_index, starting_hash_key, "
                      "ending_hash_key, parent, "
                      "adjacent_parent, created_ms, closed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, s.id)
            .bind(2, int64_t{m.index})
            .bind(3, hash_key_to_string(m.starting_hash_key))
            .bind(4, hash_key_to_string(m.ending_hash_key))
            .bind(5, m.parent)
            .bind(6, m.adjacent_parent)
            .bind(7, m.created_ms)
            .bind(8, m.closed_ms);
        if (ins.step() != SQLITE_DONE) {
            return sqlite_error(db_, "insert shard");
        }
    }
    for (const auto& [key, value] : s.tags) {
        Statement ins(db_, "INSERT INTO tags (stream_id, key, value) VALUES (?, ?, ?)");
        ins.bind(1, s.id).bind(2, key).bind(3, value);
        if (ins.step() != SQLITE_DONE) {
            return sqlite_error(db_, "insert tag");
        }
    }
    for (const auto& c : s.consumers) {
        if (!c.registered()) {  // deregistered: DELETING only until the process ends
            continue;
        }
        Statement ins(db_, "INSERT INTO consumers (stream_id, name, created_ms) VALUES (?, ?, ?)");
        ins.bind(1, s.id).bind(2, c.name).bind(3, c.created_ms);
        if (ins.step() != SQLITE_DONE) {
            return sqlite_error(db_, "insert consumer");
        }
        for (const auto& [key, value] : c.tags) {
            Statement tag(db_,
                          "INSERT INTO consumer_tags (stream_id, consumer, key, value) "
                          "VALUES (?, ?, ?, ?)");
            tag.bind(1, s.id).bind(2, c.name).bind(3, key).bind(4, value);
            if (tag.step() != SQLITE_DONE) {
                return sqlite_error(db_, "insert consumer tag");
            }
        }
        if (c.policy) {
            SF_TRY(write_policy(s.id, c.name, *c.policy));
        }
    }
    if (s.policy) {
        SF_TRY(write_policy(s.id, "", *s.policy));
    }
    return ok();
}

Status Catalog::write_policy(int64_t stream_id,
                             const std::string& consumer,
                             const std::string& policy) {
    Statement ins(db_, "INSERT INTO policies (stream_id, consumer, policy) VALUES (?, ?, ?)");
    ins.bind(1, stream_id).bind(2, consumer).bind(3, policy);
    if (ins.step() != SQLITE_DONE) {
        return sqlite_error(db_, "insert policy");
    }
    return ok();
}

namespace {

std::string join_millis(const std::vector<EpochMillis>& values) {
    std::vector<std::string> parts;
    for (auto v : values) {
        parts.push_back(std::to_string(v));
    }
    return join(parts);
}

// Binds the columns shared by insert and update, from parameter 1 on.
void bind_stream_columns(Statement& q, const StreamMeta& s) {
    q.bind(1, s.name)
        .bind(2, std::string(to_string(s.mode)))
        .bind(3, int64_t{s.retention_hours})
        .bind(4, s.created_ms)
        .bind(5, std::string(to_string(s.status)))
        .bind(6, s.status_until_ms)
        .bind(7, s.encryption_type)
        .bind(8, s.key_id)
        .bind(9, int64_t{s.max_record_size_kib})
        .bind(10, join(s.shard_level_metrics))
        .bind(11, int64_t{s.next_shard_index})
        .bind(12, int64_t{s.enforce_limits ? 1 : 0})
        .bind(13, join_millis(s.mode_switches_ms))
        .bind(14, int64_t{s.warm_throughput_mibps});
}

}  // namespace

Result<int64_t> Catalog::insert_stream(const StreamMeta& stream) {
    std::lock_guard lock(mu_);
    SF_TRY(exec("BEGIN IMMEDIATE"));
    Statement q(
        db_,
        "INSERT INTO streams (name, mode, retention_hours, created_ms, status, status_until_ms, "
        "encryption_type, key_id, max_record_size_kib, shard_level_metrics, next_shard_index, "
        "enforce_limits, mode_switches_ms, warm_throughput_mibps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?)");
    bind_stream_columns(q, stream);
    if (q.step() != SQLITE_DONE) {
        Error e = sqlite_error(db_, "insert stream");
        (void)exec("ROLLBACK");
        return e;
    }
    StreamMeta with_id = stream;
    with_id.id = sqlite3_last_insert_rowid(db_);
    if (Status s = write_children(with_id); !s) {
        (void)exec("ROLLBACK");
        return std::move(s).error();
    }
    SF_TRY(exec("COMMIT"));
    return with_id.id;
}

Status Catalog::save_stream(const StreamMeta& stream) {
    std::lock_guard lock(mu_);
    SF_TRY(exec("BEGIN IMMEDIATE"));
    Statement q(
        db_,
        "UPDATE streams SET name = ?, mode = ?, retention_hours = ?, created_ms = ?, status = ?, "
        "status_until_ms = ?, encryption_type = ?, key_id = ?, max_record_size_kib = ?, "
        "shard_level_metrics = ?, next_shard_index = ?, enforce_limits = ?, mode_switches_ms = ?, "
        "warm_throughput_mibps = ? WHERE id = ?");
    bind_stream_columns(q, stream);
    q.bind(15, stream.id);
    Status written = q.step() == SQLITE_DONE ? write_children(stream)
                                             : Status(sqlite_error(db_, "update stream"));
    if (!written) {
        (void)exec("ROLLBACK");
        return written;
    }
    return exec("COMMIT");
}

Status Catalog::delete_stream(int64_t id) {
    std::lock_guard lock(mu_);
    Statement q(db_, "DELETE FROM streams WHERE id = ?");
    q.bind(1, id);
    if (q.step() != SQLITE_DONE) {
        return sqlite_error(db_, "delete stream");
    }
    return ok();
}

Result<std::optional<std::string>> Catalog::get_setting(const std::string& key) {
    std::lock_guard lock(mu_);
    Statement q(db_, "SELECT value FROM settings WHERE key = ?");
    q.bind(1, key);
    if (q.step() == SQLITE_ROW) {
        return std::optional<std::string>(q.text_at(0));
    }
    return std::optional<std::string>();
}

Status Catalog::put_setting(const std::string& key, const std::string& value) {
    std::lock_guard lock(mu_);
    Statement q(db_,
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value");
    q.bind(1, key).bind(2, value);
    if (q.step() != SQLITE_DONE) {
        return sqlite_error(db_, "put setting");
    }
    return ok();
}

}  // namespace shardflow::store
