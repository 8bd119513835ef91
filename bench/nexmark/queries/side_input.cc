#include "bench/nexmark/queries/side_input.h"

#include "connectors/sinks/sqlite_table.h"

namespace shardflow::nexmark {

Result<std::filesystem::path> side_input_database() {
    auto path = std::filesystem::temp_directory_path() / "shardflow-nexmark" / "side_input.db";
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    SF_ASSIGN_OR_RETURN(
        auto table,
        connectors::SqliteTable::open(
            path, {kSideInputTable, {{"key", "INTEGER"}, {"value", "TEXT"}}, {"key"}}));
    std::vector<Row> rows;
    for (int64_t key = 0; key < kSideInputRows; ++key) {
        rows.push_back({key, std::to_string(key)});
    }
    SF_TRY(table->upsert(rows));
    return path;
}

Result<std::shared_ptr<const connectors::ReferenceTable>> side_input_table() {
    SF_ASSIGN_OR_RETURN(auto db, side_input_database());
    return connectors::ReferenceTable::load(db, kSideInputTable, "key");
}

}  // namespace shardflow::nexmark
