#pragma once
// The Nexmark queries' SQL versions on a store that holds the events as rows in the streams
// person, auction and bid (write_row_streams): the SQL engine runs the DDL once, then plans each
// query, and build() turns the plan into an operator graph whose rows are counted (Flink's
// blackhole sink), so `shardflow bench nexmark --sql` times what the engine would run.

#include "bench/nexmark/queries/query_set.h"
#include "service/sql_engine.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace shardflow::nexmark {

class SqlQueries {
public:
    /// `database`: a new file for the engine's catalog.
    static Result<std::unique_ptr<SqlQueries>> open(store::StreamStore& store,
                                                    const std::filesystem::path& database,
                                                    size_t workers);

    /// The queries that have SQL text, by name.
    static std::vector<std::string> names();

    /// Builds `query` into `q`, its result rows counted into `rows`. Returns the watermark delay
    /// its streams declare, for the executor.
    Result<std::chrono::milliseconds> build(const std::string& query,
                                            ops::Query& q,
                                            std::shared_ptr<ResultRows> rows);

    /// The records the queries built so far could not decode (none, for the generator's).
    const service::RejectCounter& rejected() const { return *rejected_; }

private:
    SqlQueries(store::StreamStore& store, std::unique_ptr<service::SqlEngine> engine)
        : store_(store)
        , engine_(std::move(engine)) {}

    store::StreamStore& store_;
    std::unique_ptr<service::SqlEngine> engine_;
    std::shared_ptr<service::RejectCounter> rejected_ = std::make_shared<service::RejectCounter>();
};

}  // namespace shardflow::nexmark
