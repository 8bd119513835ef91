#pragma once
// Rows leaving SQL: as text for results, as SQLite values for tables, as JSON or CSV records for
// output streams.

#include "connectors/sinks/sqlite_table.h"
#include "sql/binder/schema.h"
#include "sql/catalog/stream_def.h"

#include <cstdint>
#include <string>
#include <vector>

namespace shardflow::service {

std::vector<std::string> row_text(const Row& row, const sql::Schema& schema);

/// The row as a SQLite table keeps it: TIMESTAMPs as text ('2026-01-01 00:00:00.000').
Row sqlite_row(const Row& row, const sql::Schema& schema);
std::string sqlite_type(sql::SqlType type);

/// How a JSON record holds a TIMESTAMP: milliseconds since the epoch (output streams, which
/// SQL reads back), or the text SQL prints ('2026-01-01 10:00:00.000': files people read).
enum class JsonTime : uint8_t { kEpochMillis, kText };

/// A record of `format` whose fields are `row`'s values named by `schema`.
std::string record_text(const Row& row,
                        const sql::Schema& schema,
                        sql::RecordFormat format,
                        JsonTime time = JsonTime::kEpochMillis);

}  // namespace shardflow::service
