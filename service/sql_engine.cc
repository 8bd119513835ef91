#include "service/sql_engine.h"

#include "connectors/sinks/sqlite_table_sink.h"
#include "connectors/sinks/stream_sink.h"
#include "service/files_delivery.h"
#include "service/row_format.h"
#include "service/running_query.h"
#include "service/stream_select.h"
#include "sql/parser/parser.h"
#include "sql/sql_error.h"
#include "sql/value_ops.h"

#include <fmt/format.h>

#include <algorithm>

namespace shardflow::service {

SqlEngine::SqlEngine(store::StreamStore& store,
                     SqlEngineOptions options,
                     std::unique_ptr<SqlCatalog> catalog)
    : store_(store)
    , options_(std::move(options))
    , catalog_(std::move(catalog)) {
    if (options_.confine_paths) {
        const std::filesystem::path& store_dir = store_.options().data_dir;
        std::vector<std::filesystem::path> reserved{store_dir / "streams"};
        for (const auto& db : {store_dir / "catalog.db", options_.database}) {
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
                reserved.push_back(db.string() + suffix);
            }
        }
        paths_ = PathPolicy(
            options_.database.parent_path(), options_.allowed_paths, std::move(reserved));
    }
}

SqlEngine::~SqlEngine() {
    stop_queries();
}

Result<std::unique_ptr<SqlEngine>> SqlEngine::open(store::StreamStore& store,
                                                   SqlEngineOptions options) {
    SF_ASSIGN_OR_RETURN(auto catalog, SqlCatalog::open(options.database));
    std::unique_ptr<SqlEngine> engine(new SqlEngine(store, std::move(options), std::move(catalog)));
    SF_ASSIGN_OR_RETURN(auto entries, engine->catalog_->entries());
    for (const auto& entry : entries) {
        if (entry.kind == ObjectKind::kQuery && !engine->options_.resume_queries) {
            continue;
        }
        SF_ASSIGN_OR_RETURN(auto statements, sql::parse_script(entry.sql));
        for (const auto& statement : statements) {
            auto done = engine->run(statement, true);
            if (!done) {
                return Error::make(ErrorCode::kInvalidArgument,
                                   "the catalog's '{}' no longer runs: {}",
                                   entry.name,
                                   done.error().message);
            }
        }
    }
    return engine;
}

ScriptResult SqlEngine::execute(std::string_view script,
                                const PushOptions& push,
                                SqlSession* session) {
    ScriptResult out;
    auto statements = sql::parse_script(script);
    if (!statements) {
        out.error = statements.error();
        return out;
    }
    std::unique_lock lock(mu_);
    for (const auto& statement : *statements) {
        // Set again for each statement: another script may have run while a SELECT over
        // streams released the lock.
        push_ = &push;
        session_ = session ? session : &own_session_;
        lock_ = &lock;
        auto result = run(statement, false);
        if (!result) {
            out.error = result.error();
            break;
        }
        out.results.push_back(std::move(*result));
    }
    return out;
}

Result<sql::SelectPlan> SqlEngine::plan(std::string_view select) {
    SF_ASSIGN_OR_RETURN(auto statements, sql::parse_script(select));
    if (statements.size() != 1 || !std::holds_alternative<sql::Select>(statements.front().node)) {
        return Error::make(ErrorCode::kInvalidArgument, "expected one SELECT statement");
    }
    std::lock_guard lock(mu_);
    return sql::plan_select(std::get<sql::Select>(statements.front().node), planner_catalog());
}

std::vector<QueryProgress> SqlEngine::query_progress() {
    std::lock_guard lock(mu_);
    std::vector<QueryProgress> out;
    for (const auto& [name, q] : queries_) {
        out.push_back({name, q->target(), q->records_read(), q->state()});
    }
    return out;
}

void SqlEngine::stop_queries() {
    std::lock_guard lock(mu_);
    // All at once, so that the grace is the whole engine's, not each query's.
    for (auto& [name, q] : queries_) {
        q->request_stop();
    }
    auto deadline = std::chrono::steady_clock::now() + options_.stop_grace;
    for (auto& [name, q] : queries_) {
        q->finish(deadline);
    }
}

Result<ResultSet> SqlEngine::run(const sql::Statement& statement, bool replaying) {
    return std::visit(
        [&](const auto& node) -> Result<ResultSet> {
            using N = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<N, sql::CreateStream>) {
                return create_stream(node, statement, replaying);
            } else if constexpr (std::is_same_v<N, sql::CreateTable>) {
                return create_reference_table(node, statement, replaying);
            } else if constexpr (std::is_same_v<N, sql::CreateTableAs>) {
                return create_table_as(node, statement, replaying);
            } else if constexpr (std::is_same_v<N, sql::CreateSink>) {
                return create_sink(node, statement, replaying);
            } else if constexpr (std::is_same_v<N, sql::InsertSelect>) {
                return insert_select(node, statement, replaying);
            } else if constexpr (std::is_same_v<N, sql::InsertValues>) {
                return insert_values(node, statement);
            } else if constexpr (std::is_same_v<N, sql::Select>) {
                return select(node, statement);
            } else if constexpr (std::is_same_v<N, sql::Show>) {
                return show(node);
            } else if constexpr (std::is_same_v<N, sql::Describe>) {
                return describe(node);
            } else if constexpr (std::is_same_v<N, sql::Drop>) {
                return drop(node);
            } else if constexpr (std::is_same_v<N, sql::Explain>) {
                return explain(node);
            } else {
                return set(node);
            }
        },
        statement.node);
}

sql::PlanCatalog SqlEngine::planner_catalog() const {
    return sql::PlanCatalog{[this](std::string_view n) { return find_stream(n); },
                            [this](std::string_view n) -> const sql::LookupTable* {
                                auto it = tables_.find(sql::lower_name(n));
                                return it == tables_.end() ? nullptr : &it->second.lookup;
                            }};
}

const sql::StreamDef* SqlEngine::find_stream(std::string_view name) const {
    auto it = streams_.find(sql::lower_name(name));
    return it == streams_.end() ? nullptr : &it->second;
}

Result<ResultSet> SqlEngine::select(const sql::Select& select, const sql::Statement& statement) {
    if (!tables_.contains(sql::lower_name(select.from.name)) || select.from.window) {
        return select_streams(select);
    }
    UserQueryLimits limits;
    for (const auto& [key, table] : tables_) {
        limits.readable.push_back(table.name);
    }
    limits.timeout = options_.statement_timeout;
    limits.cancel = push_->stop;
    SF_ASSIGN_OR_RETURN(auto answer, catalog_->user_query(statement.text, limits));
    return ResultSet{std::move(answer.first), std::move(answer.second), ""};
}

Result<ResultSet> SqlEngine::select_streams(const sql::Select& select) {
    SF_ASSIGN_OR_RETURN(auto plan, sql::plan_select(select, planner_catalog()));
    // What the plan points at (stream definitions, lookup tables) stays while it runs: a DROP
    // of any of it is refused until then.
    std::vector<std::string> reads = plan.reads();
    for (const auto& name : reads) {
        read_by_selects_.insert(sql::lower_name(name));
    }
    const PushOptions& push = *push_;
    StatementDeadline deadline = this->deadline();
    StreamSelectLimits limits{options_.workers};
    limits.max_state_bytes = options_.max_state_bytes;
    std::unique_lock<std::mutex>& lock = *lock_;
    lock.unlock();
    auto result = run_stream_select(select, plan, store_, push, deadline, limits);
    lock.lock();
    for (const auto& name : reads) {
        read_by_selects_.erase(read_by_selects_.find(sql::lower_name(name)));
    }
    return result;
}

Result<ResultSet> SqlEngine::start_query(std::unique_ptr<RunningQuery> query,
                                         const sql::Statement& statement,
                                         bool replaying) {
    SF_TRY(query->prepare(store_, options_.database, batch_mode(), options_.max_state_bytes));
    std::string name = query->name();
    if (batch_mode()) {
        SF_ASSIGN_OR_RETURN(auto stats, query->run_bounded(options_.workers, deadline()));
        SF_TRY(query->forget());
        return ResultSet::say(fmt::format("Query {} read {} records into {} in {} ms.",
                                          name,
                                          stats.records,
                                          query->target(),
                                          stats.elapsed.count()));
    }
    if (!replaying) {
        SF_TRY(catalog_->put({ObjectKind::kQuery, name, statement.text}));
    }
    query->start(options_.workers);
    queries_[name] = std::move(query);
    return ResultSet::say(
        fmt::format("Query {} started; it writes {}.", name, queries_[name]->target()));
}

Result<ResultSet> SqlEngine::create_table_as(const sql::CreateTableAs& create,
                                             const sql::Statement& statement,
                                             bool replaying) {
    std::string key = sql::lower_name(create.name);
    SF_TRY(name_is_free(create.name, statement.pos));
    std::string late_name;
    for (const auto& option : create.options) {
        if (option.key != "late_output") {
            return sql::sql_error(option.pos, "unknown option '{}' (late_output)", option.key);
        }
        late_name = option.value;
        if (name_taken(late_name)) {
            return sql::sql_error(option.pos, "late_output: '{}' already exists", late_name);
        }
    }
    SF_ASSIGN_OR_RETURN(auto plan, sql::plan_select(create.query, planner_catalog()));
    if (!late_name.empty() && !plan.window) {
        return sql::sql_error(statement.pos,
                              "late_output needs a window (TUMBLE, HOP, SESSION or STAGGER)");
    }
    if (!late_name.empty() && !plan.aggregates) {  // a Top-N over a window TVF's rows
        return sql::sql_error(
            statement.pos,
            "late_output needs a window aggregation: a window Top-N over a window "
            "table function's rows has none");
    }
    std::vector<sql::ColumnDef> columns;
    SinkFactory sink = table_sink(create.name, plan.output, plan.output_key, columns);
    SinkFactory late;
    std::vector<sql::ColumnDef> late_columns;
    if (!late_name.empty()) {
        late = table_sink(late_name, plan.input, {}, late_columns);
    }
    std::string name = "ctas_" + key;
    auto query = std::make_unique<RunningQuery>(
        name, create.name, statement.text, std::move(plan), std::move(sink), std::move(late));
    SF_ASSIGN_OR_RETURN(auto result, start_query(std::move(query), statement, replaying));
    for (auto [table, table_columns] :
         {std::pair{create.name, &columns}, std::pair{late_name, &late_columns}}) {
        if (table.empty()) {
            continue;
        }
        TableInfo& info = tables_[sql::lower_name(table)] =
            TableInfo{table,
                      *table_columns,
                      batch_mode() ? "" : name,
                      statement.text,
                      sql::LookupTable{table, *table_columns, options_.database, table}};
        if (batch_mode() && !replaying) {
            SF_TRY(catalog_->put({ObjectKind::kTable, table, table_definition(info)}));
        }
    }
    return result;
}

std::string sink_query_name(std::string_view sink) {
    return "sink_" + sql::lower_name(sink);
}

Result<ResultSet> SqlEngine::create_sink(const sql::CreateSink& create,
                                         const sql::Statement& statement,
                                         bool replaying) {
    std::string name = sink_query_name(create.name);
    if (queries_.contains(name)) {
        if (create.if_not_exists) {
            return ResultSet::say(fmt::format("Sink {} already exists.", create.name));
        }
        return sql::sql_error(statement.pos, "sink '{}' already exists", create.name);
    }
    SF_ASSIGN_OR_RETURN(auto options, files_sink_options(create, paths_));
    SF_ASSIGN_OR_RETURN(auto plan, sql::plan_select(create.query, planner_catalog()));
    std::string target = paths_.shown(options.path);
    auto delivery = files_delivery(std::move(options), plan.output, create.whole_stream);
    auto query = std::make_unique<RunningQuery>(
        name, target, statement.text, std::move(plan), std::move(delivery.rows));
    if (delivery.errors) {
        query->reject_to(std::move(delivery.errors));
    }
    return start_query(std::move(query), statement, replaying);
}

SinkFactory SqlEngine::table_sink(const std::string& table,
                                  const sql::Schema& rows,
                                  const std::vector<size_t>& key,
                                  std::vector<sql::ColumnDef>& columns) {
    connectors::TableSchema schema{table, {}, {}};
    for (const auto& c : rows.columns) {
        schema.columns.push_back({c.name, sqlite_type(c.type)});
        columns.push_back({c.name, c.type, {}});
    }
    for (size_t i : key) {
        schema.key.push_back(rows.columns[i].name);
    }
    return [schema, rows](runtime::CheckpointStore& checkpoints) -> Result<RowSink> {
        SF_ASSIGN_OR_RETURN(
            auto sink,
            connectors::ExactlyOnceTableSink<Row>::create(
                checkpoints, schema, [rows](const Row& row) { return sqlite_row(row, rows); }));
        return RowSink(std::move(sink));
    };
}

Result<ResultSet> SqlEngine::insert_select(const sql::InsertSelect& insert,
                                           const sql::Statement& statement,
                                           bool replaying) {
    const sql::StreamDef* target = find_stream(insert.target);
    if (!target) {
        return sql::sql_error(statement.pos,
                              "unknown stream '{}': declare it with CREATE STREAM first",
                              insert.target);
    }
    SF_ASSIGN_OR_RETURN(auto plan, sql::plan_select(insert.query, planner_catalog()));
    std::vector<std::string> target_columns;
    for (const auto& c : target->columns) {
        target_columns.push_back(c.name);
    }
    size_t key_column = 0;
    for (size_t i = 0; i < plan.output.size(); ++i) {
        const std::string& name = plan.output.columns[i].name;
        if (std::none_of(target_columns.begin(), target_columns.end(), [&](const auto& t) {
                return sql::same_name(t, name);
            })) {
            return sql::sql_error(
                insert.query.items[std::min(i, insert.query.items.size() - 1)].pos,
                "stream {} has no column '{}'{}",
                target->name,
                name,
                sql::did_you_mean(name, target_columns));
        }
        if (sql::same_name(name, target->partition_key)) {
            key_column = i;
        }
    }
    std::string name =
        fmt::format("insert_{}_{}", sql::lower_name(target->name), queries_.size() + 1);
    while (queries_.contains(name)) {
        name += "_";
    }
    sql::Schema output = plan.output;
    SinkFactory sink =
        [this, target = *target, output, key_column](runtime::CheckpointStore&) -> Result<RowSink> {
        return RowSink(std::make_shared<connectors::StreamSink<Row>>(
            store_,
            target.store_stream,
            [output, key_column](const Row& row) {
                std::string key = sql::value_text(row[key_column], output.columns[key_column].type);
                return key.empty() ? std::string("_") : key;
            },
            [output, format = target.format](const Row& row) {
                return record_text(row, output, format);
            }));
    };
    auto query = std::make_unique<RunningQuery>(
        name, target->name, statement.text, std::move(plan), std::move(sink));
    return start_query(std::move(query), statement, replaying);
}

Result<ResultSet> SqlEngine::insert_values(const sql::InsertValues& insert,
                                           const sql::Statement& statement) {
    if (tables_.contains(
            sql::lower_name(insert.target))) {  // a table of the SQL database: SQLite writes it
        SF_TRY(catalog_->exec(statement.text));
        return ResultSet::say(
            fmt::format("{} rows written to {}.", insert.rows.size(), insert.target));
    }
    const sql::StreamDef* target = find_stream(insert.target);
    if (!target) {
        return sql::sql_error(sql::Position{}, "unknown stream '{}'", insert.target);
    }
    sql::Schema schema;
    std::vector<size_t> positions;  // of each value's column in the stream
    for (size_t i = 0; i < target->columns.size(); ++i) {
        schema.columns.push_back({target->columns[i].name, target->columns[i].type, ""});
    }
    if (insert.columns.empty()) {
        for (size_t i = 0; i < schema.size(); ++i) {
            positions.push_back(i);
        }
    }
    for (const auto& c : insert.columns) {
        SF_ASSIGN_OR_RETURN(size_t at, schema.resolve("", c, sql::Position{}, "INSERT"));
        positions.push_back(at);
    }
    size_t key_column = *schema.resolve("", target->partition_key, sql::Position{}, "");
    std::vector<std::pair<std::string, std::string>> records;
    for (const auto& values : insert.rows) {
        if (values.size() != positions.size()) {
            return sql::sql_error(values.empty() ? sql::Position{} : values.front()->pos,
                                  "{} values for {} columns",
                                  values.size(),
                                  positions.size());
        }
        Row row(schema.size());
        for (size_t i = 0; i < values.size(); ++i) {
            SF_ASSIGN_OR_RETURN(Value v, sql::constant_value(*values[i], "VALUES"));
            sql::SqlType from = sql::type_of(v);
            sql::SqlType to = schema.columns[positions[i]].type;
            Value converted = sql::cast_value(v, from, to);
            if (is_null(converted) && !is_null(v)) {
                return sql::sql_error(values[i]->pos,
                                      "'{}' is not a {}",
                                      sql::value_text(v, from),
                                      sql::type_name(to));
            }
            row[positions[i]] = std::move(converted);
        }
        if (is_null(row[key_column])) {
            return sql::sql_error(values.front()->pos,
                                  "the partition key column '{}' needs a value",
                                  target->partition_key);
        }
        records.emplace_back(sql::value_text(row[key_column], schema.columns[key_column].type),
                             record_text(row, schema, target->format));
    }
    std::vector<store::PutRecordRequest> requests;
    for (const auto& [key, data] : records) {
        requests.push_back({key, data, std::nullopt});
    }
    SF_TRY(store_.put_all(target->store_stream, requests));
    return ResultSet::say(fmt::format("{} records written to {}.", records.size(), target->name));
}

}  // namespace shardflow::service
