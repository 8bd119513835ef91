#pragma once
// A sink that upserts each record, turned into a row by `to_row`, into a SQLite table.

#include "connectors/sinks/failing_sink.h"
#include "connectors/sinks/sqlite_table.h"
#include "engine/runtime/checkpoint/checkpoint_store.h"

#include <functional>
#include <mutex>

namespace shardflow::connectors {

/// Threading: shared by every worker; batches are written one at a time. The first write error
/// stops the sink and is kept in status().
template <class T>
class SqliteTableSink final : public FailingSink<T> {
public:
    SqliteTableSink(std::unique_ptr<SqliteTable> table, std::function<Row(const T&)> to_row)
        : table_(std::move(table))
        , to_row_(std::move(to_row)) {}

    void on_batch(std::span<T> batch) override {
        std::vector<Row> rows;
        rows.reserve(batch.size());
        for (const T& record : batch) {
            rows.push_back(to_row_(record));
        }
        this->write([&] { return table_->upsert(rows); });
    }

private:
    std::unique_ptr<SqliteTable> table_;
    std::function<Row(const T&)> to_row_;
};

/// Rows wait in memory until the query's next checkpoint and are written in the checkpoint's
/// transaction, in the checkpoint store's database: after any number of crashes and restarts
/// the table holds what one uninterrupted run writes. The query must run with that store.
/// Threading: shared by every worker; commit() runs between rounds.
template <class T>
class ExactlyOnceTableSink final : public runtime::Downstream<T>,
                                   public runtime::CheckpointParticipant {
public:
    static Result<std::shared_ptr<ExactlyOnceTableSink>> create(
        runtime::CheckpointStore& store, TableSchema schema, std::function<Row(const T&)> to_row) {
        SF_ASSIGN_OR_RETURN(auto table, SqliteTable::attach(store.db(), std::move(schema)));
        return std::shared_ptr<ExactlyOnceTableSink>(
            new ExactlyOnceTableSink(std::move(table), std::move(to_row)));
    }

    void on_batch(std::span<T> batch) override {
        std::lock_guard lock(mu_);
        for (const T& record : batch) {
            pending_.push_back(to_row_(record));
        }
    }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

    Status commit(sqlite3*) override {
        std::lock_guard lock(mu_);
        SF_TRY(table_->write(pending_));
        pending_.clear();
        return ok();
    }

private:
    ExactlyOnceTableSink(std::unique_ptr<SqliteTable> table, std::function<Row(const T&)> to_row)
        : table_(std::move(table))
        , to_row_(std::move(to_row)) {}

    std::mutex mu_;
    std::unique_ptr<SqliteTable> table_;
    std::function<Row(const T&)> to_row_;
    std::vector<Row> pending_;  // since the last checkpoint
};

}  // namespace shardflow::connectors
