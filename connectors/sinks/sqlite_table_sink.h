#pragma once
// A sink that upserts each record, turned into a row by `to_row`, into a SQLite table.

#include "connectors/sinks/failing_sink.h"
#include "connectors/sinks/sqlite_table.h"

#include <functional>

namespace shardflow::connectors {

/// Threading: shared by every worker; batches are written one at a time. The first write error
/// stops the sink and is kept in status().
template <class T>
class SqliteTableSink final : public FailingSink<T> {
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
        this->write([&] { return table_->upsert(rows); });
    }

private:
    std::unique_ptr<SqliteTable> table_;
    std::function<SqlRow(const T&)> to_row_;
};

}  // namespace shardflow::connectors
