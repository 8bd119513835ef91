// `shardflow sql`: SQL statements for a running server (POST /v1/sql on --endpoint) or embedded
// on a data directory (--data-dir): a REPL, or a script with -f FILE / -e 'statements'.

#include "apps/commands.h"
#include "apps/line_reader.h"
#include "apps/options.h"
#include "apps/result_printer.h"
#include "apps/sql_http.h"
#include "service/sql_engine.h"
#include "sql/parser/parser.h"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <random>
#include <sstream>

namespace shardflow::app {
namespace {

std::atomic<bool> interrupted{false};

void on_interrupt(int) {
    interrupted = true;
}

using Runner = std::function<service::ScriptResult(const std::string& script)>;

/// Runs a script; prints results to stdout and the first error to stderr. False on an error.
bool run_script(const Runner& runner, const std::string& script) {
    service::ScriptResult done = runner(script);
    for (const auto& result : done.results) {
        print_result(stdout, result);
    }
    if (done.error) {
        fmt::print(stderr, "ERROR: {}\n", done.error->message);
        return false;
    }
    return true;
}

/// What keeps this client's SET settings on the server: 128 random bits.
std::string new_session_id() {
    std::random_device random;
    std::string id;
    for (int i = 0; i < 4; ++i) {
        id += fmt::format("{:08x}", random());
    }
    return id;
}

std::filesystem::path history_file() {
    const char* home = std::getenv("HOME");
    return home ? std::filesystem::path(home) / ".shardflow_sql_history" : "";
}

/// Reads statements (lines until one ends a statement with ';') and runs each; keeps going
/// after errors. Statements go to the history (~/.shardflow_sql_history).
void repl(const Runner& runner) {
    LineReader lines(history_file());
    fmt::print("shardflow sql: statements end with ';'. \\q quits.\n");
    std::string text;
    while (true) {
        auto line = lines.read(text.empty() ? "shardflow> " : "        -> ");
        if (!line || (text.empty() && (*line == "\\q" || *line == "quit" || *line == "exit"))) {
            break;
        }
        text += *line + "\n";
        if (!sql::is_complete_statement(text)) {
            continue;
        }
        interrupted = false;
        run_script(runner, text);
        lines.remember(text);
        text.clear();
    }
    fmt::print("\n");
}

}  // namespace

int sql_command(const std::vector<std::string>& raw_args) {
    std::vector<std::string> args;
    for (const auto& a : raw_args) {  // -e and -f as the sqlite3 and psql shells spell them
        args.push_back(a == "-e" ? "--execute" : a == "-f" ? "--file" : a);
    }
    auto parsed = Options::parse(args,
                                 {{"endpoint", "http://127.0.0.1:4567"},
                                  {"data-dir", ""},
                                  {"execute", ""},
                                  {"file", ""},
                                  {"workers", "0"},
                                  {"sql-allowed-path", ""}});
    if (!parsed) {
        fmt::print(stderr, "shardflow sql: {}\n", parsed.error().message);
        return 2;
    }
    const Options& o = *parsed;
    auto workers = o.get_int("workers");
    if (!workers || *workers < 0) {
        fmt::print(stderr, "shardflow sql: --workers needs a count\n");
        return 2;
    }
    std::string script = o.get("execute");
    if (!o.get("file").empty()) {
        std::ifstream in(o.get("file"));
        if (!in) {
            fmt::print(stderr, "shardflow sql: cannot read {}\n", o.get("file"));
            return 2;
        }
        std::stringstream content;
        content << in.rdbuf();
        script = content.str();
    }
    if (o.get("data-dir").empty()) {
        std::string endpoint = o.get("endpoint");
        Runner remote = [endpoint,
                         credentials = connectors::AwsCredentials::from_environment(),
                         session = new_session_id()](const std::string& text) {
            auto done = post_sql(endpoint, text, credentials, session);
            return done ? std::move(*done) : service::ScriptResult{{}, done.error()};
        };
        if (!script.empty()) {
            return run_script(remote, script) ? 0 : 1;
        }
        repl(remote);
        return 0;
    }
    store::StoreOptions store_options;
    store_options.data_dir = o.get("data-dir");
    std::filesystem::create_directories(store_options.data_dir);
    auto store = store::StreamStore::open(store_options);
    if (!store) {
        fmt::print(stderr, "shardflow sql: {}\n", store.error().message);
        return 1;
    }
    service::SqlEngineOptions engine_options;
    engine_options.database = store_options.data_dir / "sql.db";
    engine_options.workers = static_cast<size_t>(*workers);
    engine_options.statement_timeout = std::chrono::milliseconds(0);  // Ctrl-C stops one
    for (const auto& path : o.get_list("sql-allowed-path")) {
        engine_options.allowed_paths.emplace_back(path);
    }
    auto engine = service::SqlEngine::open(**store, engine_options);
    if (!engine) {
        fmt::print(stderr, "shardflow sql: {}\n", engine.error().message);
        return 1;
    }
    std::signal(SIGINT, on_interrupt);
    service::PushOptions push;  // rows of SELECT ... EMIT CHANGES as they come, until Ctrl-C
    push.output = [](const std::vector<std::string>& row) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += (i ? " | " : "") + row[i];
        }
        fmt::print("{}\n", line);
        std::fflush(stdout);
    };
    push.stop = &interrupted;
    Runner embedded = [&engine, &push](const std::string& text) {
        return (*engine)->execute(text, push);
    };
    if (!script.empty()) {
        return run_script(embedded, script) ? 0 : 1;
    }
    repl(embedded);
    return 0;
}

}  // namespace shardflow::app
