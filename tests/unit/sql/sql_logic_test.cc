// Runs the SQL logic tests under tests/sql/ (format: tests/sql/README.md), one GoogleTest per
// file, each in a fresh data directory with the real store and SQL engine.

#include "service/sql_engine.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace shardflow::service {
namespace {

std::vector<std::string> lines_of(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::string joined(const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
        out += (i ? " " : "") + cells[i];
    }
    return out;
}

class SqlSession {
public:
    explicit SqlSession(const std::filesystem::path& dir)
        : dir_(dir) {
        open();
    }

    void open() {
        store_ = tests::open_test_store(dir_);
        SqlEngineOptions engine_options;
        engine_options.database = dir_ / "sql.db";
        engine_options.workers = 2;
        auto engine = SqlEngine::open(*store_, engine_options);
        ASSERT_TRUE(engine) << engine.error().message;
        engine_ = std::move(*engine);
    }

    void restart() {
        engine_.reset();
        store_.reset();
        open();
    }

    SqlEngine& engine() { return *engine_; }

private:
    std::filesystem::path dir_;
    std::unique_ptr<store::StreamStore> store_;
    std::unique_ptr<SqlEngine> engine_;
};

class SqlLogicTest : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(SqlLogicTest, Runs) {
    tests::TempDir dir;
    SqlSession session(dir.path());
    auto lines = lines_of(GetParam());
    size_t i = 0;
    auto block = [&](bool stop_at_rule) {  // statement text until a blank line (or ----)
        std::string text;
        while (i < lines.size() && !lines[i].empty() && !(stop_at_rule && lines[i] == "----")) {
            text += lines[i++] + "\n";
        }
        return text;
    };
    while (i < lines.size()) {
        std::string head = lines[i];
        size_t at = ++i;
        if (head.empty() || head[0] == '#') {
            continue;
        }
        std::string where = fmt::format("{}:{}", GetParam().filename().string(), at);
        if (head == "statement ok") {
            auto done = session.engine().execute(block(false));
            EXPECT_FALSE(done.error) << where << ": " << done.error->message;
        } else if (head.starts_with("statement error ")) {
            std::string wanted = head.substr(16);
            auto done = session.engine().execute(block(false));
            ASSERT_TRUE(done.error) << where << ": expected an error containing: " << wanted;
            EXPECT_NE(done.error->message.find(wanted), std::string::npos)
                << where << ": got: " << done.error->message;
        } else if (head == "query" || head == "query rowsort") {
            auto done = session.engine().execute(block(true));
            std::vector<std::string> expected;
            for (++i; i < lines.size() && !lines[i].empty(); ++i) {
                expected.push_back(lines[i]);
            }
            ASSERT_FALSE(done.error) << where << ": " << done.error->message;
            ASSERT_FALSE(done.results.empty()) << where;
            std::vector<std::string> actual;
            for (const auto& row : done.results.back().rows) {
                actual.push_back(joined(row));
            }
            if (head == "query rowsort") {
                std::sort(actual.begin(), actual.end());
                std::sort(expected.begin(), expected.end());
            }
            EXPECT_EQ(actual, expected) << where;
        } else if (head == "restart") {
            session.restart();
        } else if (head.starts_with("wait ")) {
            std::istringstream words(head.substr(5));
            std::string table;
            size_t count = 0;
            words >> table >> count;
            auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
            size_t rows = 0;
            while (std::chrono::steady_clock::now() < deadline) {
                auto done = session.engine().execute("SELECT * FROM " + table);
                rows = done.error ? 0 : done.results.back().rows.size();
                if (rows == count) {
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            EXPECT_EQ(rows, count) << where << ": waited 30 s for " << table;
        } else {
            FAIL() << where << ": unknown directive: " << head;
        }
    }
}

std::vector<std::filesystem::path> test_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(SHARDFLOW_SQL_TESTS)) {
        if (entry.path().extension() == ".test") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

INSTANTIATE_TEST_SUITE_P(Files,
                         SqlLogicTest,
                         ::testing::ValuesIn(test_files()),
                         [](const auto& info) {
                             std::string name = info.param.stem().string();
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

}  // namespace
}  // namespace shardflow::service
