#pragma once
// A sink that upserts each record, turned into a row by `to_row`, into a SQLite table.

#include "connectors/sinks/sqlite_table.h"
#include "engine/runtime/downstream.h"

#include <functional>
#include <mutex>
#include <optional>

namespace shardflow::connectors {

/// Threading: shared by every worker; batches are written one at a time. The first write error
/// stops the sink and is kept in status().
template <class T>
class SqliteTableSink final : public runtime::Downstream<T> {
public:
    SqliteTableSink(std::unique_ptr<SqliteTable> table, std::function<SqlRow(const T&)> to_row)
        : table_(std::move(table))
        , to_row_(std::move(to_row)) {}

    void on_batch(std::span<T> batch) override {
        std::vector<SqlRow> rows;
        rows.reserve(batch.size());
        for (const T& record : batch) {
            rows.push_back(to_row_(record));
        }
        std::lock_guard lock(mu_);
        if (!error_) {
            if (auto status = table_->upsert(rows); !status) {
                error_ = status.error();
            }
        }
    }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

    Status status() const {
        std::lock_guard lock(mu_);
        if (error_) {
            return *error_;
        }
        return ok();
    }

private:
    mutable std::mutex mu_;
    std::unique_ptr<SqliteTable> table_;
    std::function<SqlRow(const T&)> to_row_;
    std::optional<Error> error_;
};

}  // namespace shardflow::connectors
