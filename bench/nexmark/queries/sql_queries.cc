#include "bench/nexmark/queries/sql_queries.h"

#include "bench/nexmark/queries/side_input.h"
#include "bench/nexmark/queries/sql_texts.h"
#include "service/graph/build_query.h"
#include "sql/value_ops.h"

#include <fmt/format.h>

namespace shardflow::nexmark {

Result<std::unique_ptr<SqlQueries>> SqlQueries::open(store::StreamStore& store,
                                                     const std::filesystem::path& database,
                                                     size_t workers) {
    service::SqlEngineOptions options;
    options.database = database;
    options.workers = workers;
    options.resume_queries = false;
    options.confine_paths = false;  // the side input is a file of the bench's own
    options.statement_timeout = std::chrono::milliseconds(0);  // a query takes what it takes
    SF_ASSIGN_OR_RETURN(auto engine, service::SqlEngine::open(store, std::move(options)));
    SF_ASSIGN_OR_RETURN(auto side_input, side_input_database());
    auto ddl = engine->execute(
        sql_texts().at("ddl") +
        fmt::format("; CREATE TABLE side_input (key BIGINT, value VARCHAR) WITH (database = '{}', "
                    "table = '{}');",
                    side_input.string(),
                    kSideInputTable));
    if (ddl.error) {
        return *ddl.error;
    }
    return std::unique_ptr<SqlQueries>(new SqlQueries(store, std::move(engine)));
}

std::vector<std::string> SqlQueries::names() {
    std::vector<std::string> out;
    for (const auto& [name, text] : sql_texts()) {
        if (name != "ddl") {
            out.push_back(name);
        }
    }
    return out;
}

Result<std::chrono::milliseconds> SqlQueries::build(const std::string& query,
                                                    ops::Query& q,
                                                    std::shared_ptr<ResultRows> rows) {
    auto text = sql_texts().find(query);
    if (text == sql_texts().end() || query == "ddl") {
        return Error::make(ErrorCode::kResourceNotFound, "no SQL for query {}", query);
    }
    SF_ASSIGN_OR_RETURN(sql::SelectPlan plan, engine_->plan(text->second));
    std::vector<sql::SqlType> types;
    for (const auto& column : plan.output.columns) {
        types.push_back(column.type);
    }
    auto sink = result_sink<Row>(std::move(rows), [types](const Row& row) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += (i ? " " : "") + sql::value_text(row[i], types[i]);
        }
        return line;
    });
    SF_TRY(service::build_query(plan, q, service::QueryIo{store_, sink, rejected_, nullptr, true}));
    return std::chrono::milliseconds(plan.watermark_delay_ms());
}

}  // namespace shardflow::nexmark
