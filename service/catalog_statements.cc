// The statements about the catalog: CREATE STREAM / TABLE, SHOW, DESCRIBE, DROP, EXPLAIN, SET.

#include "engine/common/quoting.h"
#include "service/row_format.h"
#include "service/running_query.h"
#include "service/sql_engine.h"
#include "sql/sql_error.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace shardflow::service {
namespace {

std::string quoted_name(std::string_view name) {
    return with_quotes(name, '"');
}

/// A new store stream is CREATING for a moment (the server's --create-delay-ms); records can be
/// written once it is ACTIVE.
Status wait_until_active(store::StreamStore& store, const std::string& name) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (true) {
        SF_ASSIGN_OR_RETURN(auto description, store.describe_stream(name));
        if (description.status == store::StreamStatus::kActive) {
            return ok();
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return Error::make(
                ErrorCode::kResourceInUse, "stream {} is still not ACTIVE after 30 s", name);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool store_has_stream(store::StreamStore& store, std::string_view name) {
    auto streams = store.list_streams();
    return std::any_of(
        streams.begin(), streams.end(), [&](const auto& s) { return s.name == name; });
}

}  // namespace

std::string SqlEngine::table_definition(const TableInfo& table) {
    std::string columns;
    for (const auto& c : table.columns) {
        columns += fmt::format(
            "{}{} {}", columns.empty() ? "" : ", ", quoted_name(c.name), sql::type_name(c.type));
    }
    return fmt::format("CREATE TABLE IF NOT EXISTS {} ({})", quoted_name(table.name), columns);
}

bool SqlEngine::name_taken(const std::string& name) const {
    std::string key = sql::lower_name(name);
    return streams_.contains(key) || tables_.contains(key);
}

Result<std::optional<ResultSet>> SqlEngine::claim_name(const std::string& name,
                                                       bool if_not_exists,
                                                       sql::Position pos) const {
    if (if_not_exists && name_taken(name)) {
        return std::optional(ResultSet::say(fmt::format("{} already exists.", name)));
    }
    SF_TRY(name_is_free(name, pos));
    return std::optional<ResultSet>();
}

Status SqlEngine::name_is_free(const std::string& name, sql::Position pos) const {
    if (name_taken(name)) {
        return sql::sql_error(pos, "'{}' already exists", name);
    }
    return ok();
}

Result<ResultSet> SqlEngine::create_stream(const sql::CreateStream& create,
                                           const sql::Statement& statement,
                                           bool replaying) {
    std::string key = sql::lower_name(create.name);
    SF_ASSIGN_OR_RETURN(auto existing,
                        claim_name(create.name, create.if_not_exists, statement.pos));
    if (existing) {
        return *existing;
    }
    SF_ASSIGN_OR_RETURN(sql::StreamDef def, sql::make_stream_def(create, statement.text));
    std::string note;
    if (!replaying && !store_has_stream(store_, def.store_stream)) {
        auto shards = std::find_if(create.options.begin(),
                                   create.options.end(),
                                   [](const sql::WithOption& o) { return o.key == "shards"; });
        if (shards == create.options.end()) {
            return sql::sql_error(
                statement.pos,
                "the store has no stream '{}': create it (aws kinesis create-stream) or add "
                "shards = <n> to WITH",
                def.store_stream);
        }
        int count = std::atoi(shards->value.c_str());
        SF_TRY(
            store_.create_stream({def.store_stream, count, store::StreamMode::kProvisioned, {}}));
        SF_TRY(wait_until_active(store_, def.store_stream));
        note = fmt::format(" (store stream {} created with {} shards)", def.store_stream, count);
    }
    if (!replaying) {
        SF_TRY(catalog_->put({ObjectKind::kStream, def.name, statement.text}));
    }
    std::string name = def.name;
    streams_.emplace(key, std::move(def));
    return ResultSet::say(fmt::format("Stream {} created{}.", name, note));
}

Result<ResultSet> SqlEngine::create_reference_table(const sql::CreateTable& create,
                                                    const sql::Statement& statement,
                                                    bool replaying) {
    std::string key = sql::lower_name(create.name);
    SF_ASSIGN_OR_RETURN(auto existing,
                        claim_name(create.name, create.if_not_exists, statement.pos));
    if (existing) {
        return *existing;
    }
    sql::LookupTable lookup{create.name, create.columns, options_.database, create.name};
    for (const auto& option : create.options) {
        if (option.key == "database") {
            auto path = paths_.resolve(option.value);
            if (!path) {
                return sql::sql_error(option.pos, "{}", path.error().message);
            }
            lookup.database = std::move(*path);
        } else if (option.key == "table") {
            lookup.table = option.value;
        } else {
            return sql::sql_error(option.pos, "unknown option '{}' (database, table)", option.key);
        }
    }
    TableInfo table{create.name, create.columns, "", statement.text, lookup};
    if (lookup.database == options_.database) {  // a table of the SQL database
        SF_TRY(catalog_->exec(table_definition(table)));
        if (!replaying) {
            SF_TRY(catalog_->put({ObjectKind::kTable, create.name, table_definition(table)}));
        }
    } else {
        SF_TRY(attach_external_table(table, statement.pos));
        if (!replaying) {
            SF_TRY(catalog_->put({ObjectKind::kTable, create.name, statement.text}));
        }
    }
    tables_.emplace(key, std::move(table));
    return ResultSet::say(fmt::format("Table {} created.", create.name));
}

/// A table of another SQLite file: attached to the catalog's connection, with a view of its
/// name there so plain SELECTs find it (recreated when the catalog is replayed).
Status SqlEngine::attach_external_table(const TableInfo& table, sql::Position pos) {
    const sql::LookupTable& lookup = table.lookup;
    if (!std::filesystem::exists(lookup.database)) {
        return sql::sql_error(pos, "no SQLite database at '{}'", paths_.shown(lookup.database));
    }
    std::string schema = quoted_name("ref_" + sql::lower_name(table.name));
    std::string path = lookup.database.string();
    std::string columns;  // in backquotes: SQLite reads an unknown "name" as a string
    for (const auto& c : table.columns) {
        columns += (columns.empty() ? "" : ", ") + with_quotes(c.name, '`');
    }
    SF_TRY(
        catalog_->exec(fmt::format("ATTACH DATABASE {} AS {}", with_quotes(path, '\''), schema)));
    Status viewed = catalog_->exec(fmt::format("CREATE TEMP VIEW {} AS SELECT {} FROM {}.{}",
                                               quoted_name(table.name),
                                               columns,
                                               schema,
                                               quoted_name(lookup.table)));
    if (viewed) {  // a view names its columns only when it runs
        auto probe =
            catalog_->query(fmt::format("SELECT * FROM {} LIMIT 0", quoted_name(table.name)));
        if (!probe) {
            viewed = probe.error();
        }
    }
    if (!viewed) {
        detach_external_table(table);
        return sql::sql_error(
            pos, "table {} of {}: {}", lookup.table, path, viewed.error().message);
    }
    return ok();
}

void SqlEngine::detach_external_table(const TableInfo& table) {
    // Best effort: a half-attached table leaves nothing a later CREATE would trip on.
    static_cast<void>(
        catalog_->exec(fmt::format("DROP VIEW IF EXISTS temp.{}", quoted_name(table.name))));
    static_cast<void>(
        catalog_->exec("DETACH DATABASE " + quoted_name("ref_" + sql::lower_name(table.name))));
}

Result<ResultSet> SqlEngine::show(const sql::Show& show) {
    ResultSet out;
    switch (show.what) {
        case sql::ShowWhat::kStreams:
            out.columns = {"name", "store_stream", "format", "columns"};
            for (const auto& [key, s] : streams_) {
                out.rows.push_back({s.name,
                                    s.store_stream,
                                    s.format == sql::RecordFormat::kJson ? "json" : "csv",
                                    std::to_string(s.columns.size())});
            }
            break;
        case sql::ShowWhat::kTables:
            out.columns = {"name", "written_by"};
            for (const auto& [key, t] : tables_) {
                out.rows.push_back({t.name, t.query.empty() ? "-" : t.query});
            }
            break;
        case sql::ShowWhat::kQueries:
            out.columns = {"name", "writes", "state"};
            for (const auto& [name, q] : queries_) {
                out.rows.push_back({name, q->target(), q->state()});
            }
            break;
    }
    return out;
}

Result<ResultSet> SqlEngine::describe(const sql::Describe& describe) {
    ResultSet out{{"column", "type"}, {}, ""};
    if (const sql::StreamDef* s = find_stream(describe.name)) {
        for (const auto& c : s->schema("").columns) {
            out.rows.push_back({c.name, std::string(sql::type_name(c.type))});
        }
        return out;
    }
    auto table = tables_.find(sql::lower_name(describe.name));
    if (table == tables_.end()) {
        std::vector<std::string> names;
        for (const auto& [k, s] : streams_) {
            names.push_back(s.name);
        }
        for (const auto& [k, t] : tables_) {
            names.push_back(t.name);
        }
        return sql::sql_error(sql::Position{},
                              "unknown stream or table '{}'{}",
                              describe.name,
                              sql::did_you_mean(describe.name, names));
    }
    for (const auto& c : table->second.columns) {
        out.rows.push_back({c.name, std::string(sql::type_name(c.type))});
    }
    return out;
}

Result<ResultSet> SqlEngine::drop(const sql::Drop& drop) {
    std::string key = sql::lower_name(drop.name);
    auto missing = [&](std::string_view what) -> Result<ResultSet> {
        if (drop.if_exists) {
            return ResultSet::say(fmt::format("No {} {}.", what, drop.name));
        }
        return sql::sql_error(sql::Position{}, "unknown {} '{}'", what, drop.name);
    };
    switch (drop.what) {
        case sql::DropWhat::kSink: {
            if (!queries_.contains(sink_query_name(drop.name))) {
                return missing("sink");
            }
            SF_TRY(this->drop(sql::Drop{sql::DropWhat::kQuery, sink_query_name(drop.name), false}));
            return ResultSet::say(fmt::format("Sink {} dropped.", drop.name));
        }
        case sql::DropWhat::kQuery: {
            auto it = queries_.find(key);
            if (it == queries_.end()) {
                return missing("query");
            }
            it->second->stop(options_.stop_grace);
            SF_TRY(it->second->forget());
            SF_TRY(catalog_->remove(ObjectKind::kQuery, it->first));
            auto table = tables_.find(sql::lower_name(it->second->target()));
            if (table != tables_.end() && table->second.query == it->first) {
                table->second.query.clear();  // the table stays, with what the query wrote
                SF_TRY(catalog_->put(
                    {ObjectKind::kTable, table->second.name, table_definition(table->second)}));
            }
            queries_.erase(it);
            return ResultSet::say(fmt::format("Query {} dropped.", drop.name));
        }
        case sql::DropWhat::kTable: {
            auto it = tables_.find(key);
            if (it == tables_.end()) {
                return missing("table");
            }
            if (!it->second.query.empty()) {
                return sql::sql_error(sql::Position{},
                                      "table {} is written by query {}: DROP QUERY {} first",
                                      drop.name,
                                      it->second.query,
                                      it->second.query);
            }
            SF_TRY(check_unread("table", drop.name));
            if (it->second.lookup.database == options_.database) {
                SF_TRY(catalog_->exec("DROP TABLE IF EXISTS " + quoted_name(it->second.name)));
            } else {
                detach_external_table(it->second);  // the other file keeps its table
            }
            SF_TRY(catalog_->remove(ObjectKind::kTable, it->second.name));
            tables_.erase(it);
            return ResultSet::say(fmt::format("Table {} dropped.", drop.name));
        }
        case sql::DropWhat::kStream: {
            auto it = streams_.find(key);
            if (it == streams_.end()) {
                return missing("stream");
            }
            for (const auto& [name, q] : queries_) {
                if (sql::same_name(q->target(), drop.name)) {
                    return sql::sql_error(sql::Position{},
                                          "stream {} is used by query {}: DROP QUERY {} first",
                                          drop.name,
                                          name,
                                          name);
                }
            }
            SF_TRY(check_unread("stream", drop.name));
            SF_TRY(catalog_->remove(ObjectKind::kStream, it->second.name));
            streams_.erase(it);
            return ResultSet::say(
                fmt::format("Stream {} dropped (its records stay in the store).", drop.name));
        }
    }
    return missing("object");
}

Status SqlEngine::check_unread(std::string_view what, const std::string& name) const {
    for (const auto& [query, q] : queries_) {
        if (q->reads(name)) {
            return sql::sql_error(sql::Position{},
                                  "{} {} is used by query {}: DROP QUERY {} first",
                                  what,
                                  name,
                                  query,
                                  query);
        }
    }
    if (read_by_selects_.contains(sql::lower_name(name))) {
        return sql::sql_error(sql::Position{},
                              "{} {} is read by a SELECT that is running: DROP it when that ends",
                              what,
                              name);
    }
    return ok();
}

Result<ResultSet> SqlEngine::explain(const sql::Explain& explain) {
    const sql::Select* select = nullptr;
    if (auto* s = std::get_if<sql::Select>(&explain.statement->node)) {
        select = s;
    } else if (auto* c = std::get_if<sql::CreateTableAs>(&explain.statement->node)) {
        select = &c->query;
    } else if (auto* i = std::get_if<sql::InsertSelect>(&explain.statement->node)) {
        select = &i->query;
    } else if (auto* k = std::get_if<sql::CreateSink>(&explain.statement->node)) {
        select = &k->query;
    } else {
        return sql::sql_error(
            explain.statement->pos,
            "EXPLAIN shows the operator graph of a SELECT, CREATE TABLE AS, INSERT "
            "INTO ... SELECT or CREATE SINK");
    }
    SF_ASSIGN_OR_RETURN(auto plan, sql::plan_select(*select, planner_catalog()));
    ResultSet out{{"plan"}, {}, ""};
    std::string text = plan.describe();
    for (size_t at = 0; at <= text.size();) {
        size_t end = std::min(text.find('\n', at), text.size());
        out.rows.push_back({text.substr(at, end - at)});
        at = end + 1;
    }
    return out;
}

Result<ResultSet> SqlEngine::set(const sql::Set& set) {
    if (set.key != "execution.runtime-mode") {
        return sql::sql_error(
            sql::Position{}, "unknown setting '{}' (execution.runtime-mode)", set.key);
    }
    if (set.value != "batch" && set.value != "streaming") {
        return sql::sql_error(sql::Position{},
                              "execution.runtime-mode is 'batch' or 'streaming', not '{}'",
                              set.value);
    }
    session_->batch = set.value == "batch";
    return ResultSet::say(fmt::format("execution.runtime-mode = {}.", set.value));
}

}  // namespace shardflow::service
