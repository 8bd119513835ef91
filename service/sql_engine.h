#pragma once
// Runs SQL statements against a stream store: declares streams and tables, starts continuous
// queries (CREATE TABLE AS SELECT into SQLite tables, INSERT INTO streams), answers SELECTs
// (over streams by a bounded run, over result tables by SQLite), and keeps its catalog so a
// restart brings every query back from its checkpoint.

#include "engine/store/stream_store.h"
#include "service/path_policy.h"
#include "service/running_query.h"
#include "service/sql_catalog.h"
#include "service/statement_io.h"
#include "sql/ast.h"
#include "sql/catalog/stream_def.h"
#include "sql/planner/select_plan.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace shardflow::service {

/// How far a continuous query has read, for progress displays.
struct QueryProgress {
    std::string name;
    std::string target;  // the table or stream it writes
    uint64_t records_read = 0;
    std::string state;  // as SHOW QUERIES shows it
};

struct SqlEngineOptions {
    std::filesystem::path database;  // result tables, reference tables, checkpoints, catalog
    size_t workers = 0;              // per query; 0: one per core
    bool resume_queries = true;      // restart the catalog's continuous queries on open
    /// Files SQL may name: under the database's folder or these (see PathPolicy); false lets
    /// SQL name any file (for callers whose SQL is their own, such as benchmarks).
    bool confine_paths = true;
    /// A statement that runs longer is stopped with an error: a SELECT over tables or streams,
    /// a CREATE TABLE AS in batch mode (zero: no timeout; a push query with live output has
    /// none).
    std::chrono::milliseconds statement_timeout{30000};
    std::vector<std::filesystem::path> allowed_paths;
    /// The state one query may keep (a regular join's records, the groups of an aggregation
    /// without a window); past it the query fails with an error that says so.
    size_t max_state_bytes = size_t{1} << 30;
    /// A continuous query asked to stop (DROP QUERY, the engine closing) ends after its round
    /// with a final checkpoint; past this it is abandoned mid-round and resumes from its last
    /// checkpoint.
    std::chrono::milliseconds stop_grace = RunningQuery::kStopGrace;
};

/// The continuous query behind CREATE SINK name.
std::string sink_query_name(std::string_view sink);

/// Threading: execute() from any thread. Statements run one at a time under the engine's lock,
/// except that a SELECT over streams runs to its end outside it (a DROP of what it reads is
/// refused meanwhile). Continuous queries run on their own threads until dropped or the engine
/// closes.
class SqlEngine {
public:
    static Result<std::unique_ptr<SqlEngine>> open(store::StreamStore& store,
                                                   SqlEngineOptions options);
    ~SqlEngine();

    /// Runs `script` with the settings of `session` (null: the engine's own, for a caller that
    /// is its only client).
    ScriptResult execute(std::string_view script,
                         const PushOptions& push = {},
                         SqlSession* session = nullptr);
    /// The plan of one SELECT over the engine's streams and tables, for a caller that builds it
    /// into a graph of its own (build_query) with its own sink: the Nexmark bench.
    Result<sql::SelectPlan> plan(std::string_view select);
    /// The continuous queries, by name.
    std::vector<QueryProgress> query_progress();
    /// Stops every continuous query after its final checkpoint (tables hold what they read,
    /// file sinks deliver what they buffered); they resume when the engine opens again.
    void stop_queries();

private:
    SqlEngine(store::StreamStore& store,
              SqlEngineOptions options,
              std::unique_ptr<SqlCatalog> catalog);

    Result<ResultSet> run(const sql::Statement& statement, bool replaying);
    Result<ResultSet> create_stream(const sql::CreateStream& create,
                                    const sql::Statement& statement,
                                    bool replaying);
    Result<ResultSet> create_reference_table(const sql::CreateTable& create,
                                             const sql::Statement& statement,
                                             bool replaying);
    Result<ResultSet> create_table_as(const sql::CreateTableAs& create,
                                      const sql::Statement& statement,
                                      bool replaying);
    Result<ResultSet> create_sink(const sql::CreateSink& create,
                                  const sql::Statement& statement,
                                  bool replaying);
    Result<ResultSet> insert_select(const sql::InsertSelect& insert,
                                    const sql::Statement& statement,
                                    bool replaying);
    Result<ResultSet> insert_values(const sql::InsertValues& insert,
                                    const sql::Statement& statement);
    Result<ResultSet> select(const sql::Select& select, const sql::Statement& statement);
    /// A SELECT over streams, planned under the lock and run with it released.
    Result<ResultSet> select_streams(const sql::Select& select);
    /// Why `name` cannot be dropped while continuous queries or SELECTs read it, or ok.
    Status check_unread(std::string_view what, const std::string& name) const;
    Result<ResultSet> show(const sql::Show& show);
    Result<ResultSet> describe(const sql::Describe& describe);
    Result<ResultSet> drop(const sql::Drop& drop);
    Result<ResultSet> explain(const sql::Explain& explain);
    Result<ResultSet> set(const sql::Set& set);

    /// Writes rows of `rows` into `table` of the SQL database (upserted by `key`, or appended),
    /// committed with the query's checkpoints; `columns` gets the table's columns.
    static SinkFactory table_sink(const std::string& table,
                                  const sql::Schema& rows,
                                  const std::vector<size_t>& key,
                                  std::vector<sql::ColumnDef>& columns);
    /// Starts a continuous query (or, in batch mode, runs it to the tail).
    Result<ResultSet> start_query(std::unique_ptr<RunningQuery> query,
                                  const sql::Statement& statement,
                                  bool replaying);
    const sql::StreamDef* find_stream(std::string_view name) const;
    /// An error unless no stream or table has this name.
    Status name_is_free(const std::string& name, sql::Position pos) const;
    bool name_taken(const std::string& name) const;
    /// For a CREATE: nothing when the name is free, a note for IF NOT EXISTS of a taken name,
    /// else the error.
    Result<std::optional<ResultSet>> claim_name(const std::string& name,
                                                bool if_not_exists,
                                                sql::Position pos) const;
    sql::PlanCatalog planner_catalog() const;
    bool batch_mode() const { return session_->batch; }
    /// The executing statement's deadline, under mu_.
    StatementDeadline deadline() const {
        return StatementDeadline(options_.statement_timeout, push_->stop);
    }

    store::StreamStore& store_;
    SqlEngineOptions options_;
    PathPolicy paths_;
    std::unique_ptr<SqlCatalog> catalog_;
    std::mutex mu_;
    std::map<std::string, sql::StreamDef, std::less<>> streams_;  // by lower-case name
    struct TableInfo {
        std::string name;
        std::vector<sql::ColumnDef> columns;
        std::string query;  // the query writing it, or empty for a reference table
        std::string sql;
        sql::LookupTable lookup;  // where lookup joins read it
    };
    Status attach_external_table(const TableInfo& table, sql::Position pos);
    void detach_external_table(const TableInfo& table);
    std::map<std::string, TableInfo, std::less<>> tables_;  // by lower-case name
    /// CREATE TABLE for a table whose query is gone (batch mode, DROP QUERY): it stays queryable.
    static std::string table_definition(const TableInfo& table);
    std::map<std::string, std::unique_ptr<RunningQuery>, std::less<>> queries_;  // by name
    SqlSession own_session_;
    PushOptions no_push_;
    // The executing script's, under mu_.
    SqlSession* session_ = &own_session_;
    const PushOptions* push_ = &no_push_;
    std::unique_lock<std::mutex>* lock_ = nullptr;  // its hold on mu_
    /// Streams and tables (lower-case names) that running SELECTs read, under mu_.
    std::multiset<std::string, std::less<>> read_by_selects_;
};

}  // namespace shardflow::service
