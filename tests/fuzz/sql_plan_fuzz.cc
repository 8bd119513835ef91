// libFuzzer target for the SQL compiler, built without any connector: the CREATE STREAM and
// CREATE TABLE statements of a script join a catalog that already holds a few streams and a
// table, and every query of the script (SELECT, CREATE TABLE AS, CREATE SINK, INSERT INTO ...
// SELECT, and those under EXPLAIN) is bound and planned against it. A plan or an error, never
// a crash, a hang, a stack overflow or a sanitizer report. Build with the `fuzz` preset (clang).

#include "sql/binder/schema.h"
#include "sql/catalog/stream_def.h"
#include "sql/parser/parser.h"
#include "sql/planner/select_plan.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace {

namespace sql = shardflow::sql;

/// What every input can read without declaring it: streams with a watermark, for joins and
/// windows, and a lookup table.
constexpr std::string_view kCatalogScript =
    "CREATE STREAM bids (auction BIGINT, bidder VARCHAR, price DOUBLE, ts TIMESTAMP(3), "
    "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (shards = 2, partition_key = 'bidder');"
    "CREATE STREAM auctions (id BIGINT, seller VARCHAR, category BIGINT, ts TIMESTAMP(3), "
    "WATERMARK FOR ts AS ts) WITH (shards = 1);"
    "CREATE STREAM lines (line VARCHAR) WITH (format = 'csv', shards = 1);"
    "CREATE TABLE sellers (name VARCHAR, tier VARCHAR);";

class Catalog {
public:
    void add(const sql::Statement& statement) {
        if (const auto* create = std::get_if<sql::CreateStream>(&statement.node)) {
            if (auto def = sql::make_stream_def(*create, statement.text)) {
                streams_.insert_or_assign(sql::lower_name(create->name), std::move(*def));
            }
        } else if (const auto* table = std::get_if<sql::CreateTable>(&statement.node)) {
            tables_.insert_or_assign(
                sql::lower_name(table->name),
                sql::LookupTable{table->name, table->columns, {}, table->name});
        }
    }

    sql::PlanCatalog planner() const {
        return {[this](std::string_view name) { return find(streams_, name); },
                [this](std::string_view name) {
                    return find(tables_, name);
                }};
    }

private:
    template <class T>
    static const T* find(const std::map<std::string, T>& from, std::string_view name) {
        auto it = from.find(sql::lower_name(name));
        return it == from.end() ? nullptr : &it->second;
    }

    std::map<std::string, sql::StreamDef> streams_;
    std::map<std::string, sql::LookupTable> tables_;
};

/// The query a statement runs, if it runs one.
const sql::Select* query_of(const sql::Statement& statement) {
    if (const auto* explain = std::get_if<sql::Explain>(&statement.node)) {
        return explain->statement ? query_of(*explain->statement) : nullptr;
    }
    if (const auto* select = std::get_if<sql::Select>(&statement.node)) {
        return select;
    }
    if (const auto* create = std::get_if<sql::CreateTableAs>(&statement.node)) {
        return &create->query;
    }
    if (const auto* sink = std::get_if<sql::CreateSink>(&statement.node)) {
        return &sink->query;
    }
    if (const auto* insert = std::get_if<sql::InsertSelect>(&statement.node)) {
        return &insert->query;
    }
    return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Catalog catalog;
    for (const auto& statement : *sql::parse_script(kCatalogScript)) {
        catalog.add(statement);
    }
    auto script = sql::parse_script(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!script) {
        return 0;
    }
    for (const auto& statement : *script) {
        catalog.add(statement);
        if (const sql::Select* select = query_of(statement)) {
            if (auto plan = sql::plan_select(*select, catalog.planner())) {
                (void)sql::check_keyed_updates(*plan, false);
            }
        }
    }
    return 0;
}
