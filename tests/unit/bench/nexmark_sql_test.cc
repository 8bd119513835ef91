// The Nexmark queries in SQL (bench/nexmark/queries/sql/*.sql), run through the store: the
// generator writes its events as JSON records into the streams person, auction and bid, the SQL
// engine runs each query in batch mode into a table, and the table must hold exactly the rows
// of the same query's C++ operator graph on the same events.

#include "bench/nexmark/generator/nexmark_generator.h"
#include "bench/nexmark/queries/query_set.h"
#include "bench/nexmark/queries/side_input.h"
#include "bench/nexmark/queries/sql_queries.h"
#include "bench/nexmark/queries/sql_texts.h"
#include "bench/nexmark/source/generator_source.h"
#include "bench/nexmark/source/store_event_source.h"
#include "service/sql_engine.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"
#include "tests/unit/bench/processing_time_rows.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <thread>

namespace shardflow::nexmark {
namespace {

constexpr uint64_t kEvents = 20000;

GeneratorConfig config() {
    GeneratorConfig c;
    c.first_event_rate = c.next_event_rate = 1000;  // 20 s of event time
    return c;
}

std::string query_text(const std::string& name) {
    return sql_texts().at(name);
}

/// The rows of the C++ graph, as text.
std::vector<std::string> cpp_rows(const std::string& query) {
    auto rows = std::make_shared<ResultRows>(true);
    ops::Query q(query);
    cpp_queries().at(query).build(q, std::make_shared<GeneratorSource>(config(), kEvents, 2), rows);
    runtime::ExecutorOptions options;
    options.workers = 2;
    options.bounded = true;
    EXPECT_TRUE(q.run(options));
    auto lines = rows->lines();
    // Update streams: a group's last row is its end value. How many words name the group:
    static const std::map<std::string, size_t> kGroupWords{
        {"q4", 1}, {"q6", 1}, {"q15", 1}, {"q16", 2}, {"q17", 2}, {"q18", 2}, {"q19", 2}};
    if (auto it = kGroupWords.find(query); it != kGroupWords.end()) {
        lines = last_row_per_group(lines, it->second);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

class NexmarkSql : public ::testing::TestWithParam<std::string> {
public:
    static service::SqlEngine& engine() { return *engine_; }

protected:
    static void SetUpTestSuite() {
        dir_ = new tests::TempDir();
        store_ = tests::open_test_store(dir_->path() / "store").release();
        ASSERT_TRUE(write_row_streams(*store_, 2, config(), kEvents));
        service::SqlEngineOptions engine_options;
        engine_options.database = dir_->path() / "sql.db";
        engine_options.workers = 2;
        engine_options.confine_paths = false;  // the side input is a file of the test's own
        engine_options.statement_timeout = std::chrono::milliseconds(0);  // slow under ASan
        engine_ = service::SqlEngine::open(*store_, engine_options).value().release();
        auto side_input = side_input_database();
        ASSERT_TRUE(side_input) << side_input.error().message;
        auto ddl = engine_->execute(
            query_text("ddl") +
            fmt::format("; CREATE TABLE side_input (key BIGINT, value VARCHAR) WITH (database = "
                        "'{}', table = 'side_input'); SET 'execution.runtime-mode' = 'batch';",
                        side_input->string()));
        ASSERT_FALSE(ddl.error) << ddl.error->message;
    }
    static void TearDownTestSuite() {
        delete engine_;
        delete store_;
        delete dir_;
    }

    static tests::TempDir* dir_;
    static store::StreamStore* store_;
    static service::SqlEngine* engine_;
};

/// The rows of a statement's last result, as text lines, sorted.
std::vector<std::string> result_lines(const service::ScriptResult& done) {
    EXPECT_FALSE(done.error) << done.error->message;
    std::vector<std::string> lines;
    if (done.error) {
        return lines;
    }
    for (const auto& row : done.results.back().rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += (i ? " " : "") + row[i];
        }
        lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

/// The rows the query's SQL writes into a table, as text lines, sorted.
std::vector<std::string> run_sql(const std::string& query) {
    return result_lines(NexmarkSql::engine().execute("CREATE TABLE result_" + query + " AS " +
                                                     query_text(query) + "; SELECT * FROM result_" +
                                                     query + ";"));
}

tests::TempDir* NexmarkSql::dir_ = nullptr;
store::StreamStore* NexmarkSql::store_ = nullptr;
service::SqlEngine* NexmarkSql::engine_ = nullptr;

TEST_P(NexmarkSql, GivesTheRowsOfTheCppGraph) {
    const std::string query = GetParam();
    auto sql_rows = run_sql(query);
    auto expected = cpp_rows(query);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(sql_rows.size(), expected.size());
    EXPECT_EQ(sql_rows, expected);
}

// Processing time differs between runs, so q12 is checked by what must hold in any run: every
// bid of the stream counted once, in aligned 10 s windows of its arrival time.
TEST_F(NexmarkSql, Q12CountsEveryBidOnceByArrivalTime) {
    std::map<int64_t, int64_t> expected;
    for (uint64_t i = 0; i < kEvents; ++i) {
        Event e = generate_event(config(), i);
        if (const auto* b = std::get_if<Bid>(&e)) {
            ++expected[b->bidder];
        }
    }
    EXPECT_EQ(bids_per_bidder(run_sql("q12")), expected);
}

// `shardflow bench nexmark --sql` builds the engine's plan into a graph of its own: the rows it
// counts are the C++ graph's rows too.
TEST_F(NexmarkSql, TheBenchRunsThePlansTheEngineRuns) {
    auto queries = SqlQueries::open(*store_, dir_->path() / "bench_sql.db", 2);
    ASSERT_TRUE(queries) << queries.error().message;
    for (const std::string query : {"q5", "q7", "q13"}) {
        auto rows = std::make_shared<ResultRows>(true);
        ops::Query q("bench_" + query);
        auto delay = (*queries)->build(query, q, rows);
        ASSERT_TRUE(delay) << delay.error().message;
        runtime::ExecutorOptions options;
        options.workers = 2;
        options.bounded = true;
        options.watermarks.out_of_orderness = *delay;
        ASSERT_TRUE(q.run(options));
        auto lines = rows->lines();
        std::sort(lines.begin(), lines.end());
        EXPECT_EQ(lines, cpp_rows(query)) << query;
        EXPECT_EQ(rows->count(), lines.size());
    }
    EXPECT_EQ((*queries)->rejected().count(), 0u);
    EXPECT_FALSE((*queries)->build("q10", *std::make_unique<ops::Query>("none"), nullptr));
}

// In streaming mode q4 and q6 see each auction's best bid change as bids arrive (and q6 its
// seller's latest auctions), and their AVGs take back each value replaced: once every record is
// read, the table holds the rows of the C++ graph, which averages the prices at each close.
TEST_F(NexmarkSql, Q4AndQ6TakeBackReplacedValuesWhenStreaming) {
    for (const std::string query : {"q4", "q6"}) {
        const auto expected = cpp_rows(query);
        const std::string table = "streamed_" + query;
        auto started =
            engine().execute("SET 'execution.runtime-mode' = 'streaming'; CREATE TABLE " + table +
                             " AS " + query_text(query) + ";");
        ASSERT_FALSE(started.error) << started.error->message;
        std::vector<std::string> rows;
        for (int i = 0; i < 600 && rows != expected; ++i) {  // the query reads for up to a minute
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            rows = result_lines(engine().execute("SELECT * FROM " + table));
        }
        auto stopped = engine().execute("DROP QUERY ctas_" + table +
                                        "; SET 'execution.runtime-mode' = 'batch';");
        ASSERT_FALSE(stopped.error) << stopped.error->message;
        EXPECT_EQ(rows, expected) << query;
    }
}

INSTANTIATE_TEST_SUITE_P(Queries,
                         NexmarkSql,
                         ::testing::Values("q0",
                                           "q1",
                                           "q2",
                                           "q3",
                                           "q4",
                                           "q5",
                                           "q6",
                                           "q7",
                                           "q8",
                                           "q9",
                                           "q11",
                                           "q13",
                                           "q14",
                                           "q15",
                                           "q16",
                                           "q17",
                                           "q18",
                                           "q19",
                                           "q20",
                                           "q21",
                                           "q22"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace shardflow::nexmark
