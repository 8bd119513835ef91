// Example: orders enriched from a SQLite reference table and joined with their payments within
// 10 minutes; orders left unpaid are reported too (a left interval join).
//
//   orders_payments [DATA_DIR] [ORDERS]
//
// Creates DATA_DIR/reference.db (table products: sku, name, price_cents), writes orders and
// payments to two streams, then replays both:
//   orders   -> parse JSON, look the sku up in products (unknown skus go to rejected.jsonl)
//   payments -> parse JSON
//   connect, key by order id -> IntervalJoin(0, 10 min).left() -> DATA_DIR/orders.jsonl
// Order i has no payment when i % 5 == 0, a payment 15 minutes late when i % 7 == 0, and an
// unknown sku when i % 97 == 0.

#include "connectors/lookup/reference_table.h"
#include "connectors/shard_source/shard_source.h"
#include "connectors/sinks/json_lines_sink.h"
#include "examples/example_support.h"
#include "operators/join/interval_join.h"
#include "operators/query.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <atomic>

using namespace shardflow;
using namespace std::chrono_literals;

namespace {

struct Order {
    int64_t id = 0;
    std::string product;
    int64_t total_cents = 0;
    int64_t ts = 0;
};

struct Payment {
    int64_t order_id = 0;
    int64_t cents = 0;
    int64_t ts = 0;
};

const int64_t kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

Result<boost::json::object> parse_object(std::string_view data) {
    boost::system::error_code ec;
    auto value = boost::json::parse(data, ec);
    if (ec || !value.is_object()) {
        return Error{ErrorCode::kInvalidArgument, "not a JSON object"};
    }
    return std::move(value.as_object());
}

Status write_streams(store::StreamStore& store,
                     const std::filesystem::path& reference,
                     int orders) {
    sqlite3* db = nullptr;
    sqlite3_open(reference.c_str(), &db);
    std::string sql =
        "CREATE TABLE IF NOT EXISTS products (sku TEXT PRIMARY KEY, name TEXT, price_cents "
        "INTEGER);";
    for (int k = 0; k < 20; ++k) {
        sql += fmt::format("INSERT OR REPLACE INTO products VALUES ('sku-{}', 'product {}', {});",
                           k,
                           k,
                           100 + k * 25);
    }
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    if (rc != SQLITE_OK) {
        return Error::make(ErrorCode::kIoError, "cannot write {}", reference.string());
    }
    examples::Records order_records;
    std::vector<std::pair<int64_t, std::pair<std::string, std::string>>> payments;
    for (int i = 1; i <= orders; ++i) {
        int64_t ts = kStart + int64_t{i} * 3'000;
        std::string sku = i % 97 == 0 ? "sku-999" : fmt::format("sku-{}", i % 20);
        int qty = 1 + i % 3;
        order_records.emplace_back(
            std::to_string(i),
            fmt::format(
                R"({{"order_id": {}, "sku": "{}", "qty": {}, "ts": {}}})", i, sku, qty, ts));
        if (i % 5 != 0) {
            int64_t delay = i % 7 == 0 ? 15 * 60'000 : (1 + i % 9) * 60'000;
            int64_t cents = (100 + (i % 20) * 25) * qty;
            payments.push_back(
                {ts + delay,
                 {std::to_string(i),
                  fmt::format(
                      R"({{"order_id": {}, "cents": {}, "ts": {}}})", i, cents, ts + delay)}});
        }
    }
    std::sort(payments.begin(), payments.end());
    examples::Records payment_records;
    for (auto& p : payments) {
        payment_records.push_back(std::move(p.second));
    }
    SF_TRY(examples::put_all(store, "orders", 2, order_records));
    return examples::put_all(store, "payments", 2, payment_records);
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : "orders-example-data";
    int orders = argc > 2 ? std::atoi(argv[2]) : 1000;
    std::filesystem::create_directories(dir);
    auto store = examples::open_store(dir);
    if (!store) {
        fmt::print(stderr, "{}\n", store.error().message);
        return 1;
    }
    if ((*store)->describe_stream("orders")) {
        orders = 0;  // a second run replays what the first one wrote
    }
    // Each run replays both streams from the start, so the outputs start empty.
    std::filesystem::remove(dir / "orders.jsonl");
    std::filesystem::remove(dir / "rejected.jsonl");
    if (auto written = write_streams(**store, dir / "reference.db", orders); !written) {
        fmt::print(stderr, "{}\n", written.error().message);
        return 1;
    }
    auto products = connectors::ReferenceTable::load(dir / "reference.db", "products", "sku");
    auto out = connectors::LineWriter::open(dir / "orders.jsonl");
    auto rejected_out = connectors::LineWriter::open(dir / "rejected.jsonl");
    if (!products || !out || !rejected_out) {
        fmt::print(stderr, "cannot open the reference table or the output files\n");
        return 1;
    }
    const connectors::ReferenceTable& catalog = **products;
    size_t name_column = *catalog.column("name");
    size_t price_column = *catalog.column("price_cents");

    auto enrich = [&](const connectors::ShardRecord& r) -> Result<Order> {
        SF_ASSIGN_OR_RETURN(auto o, parse_object(r.data));
        const auto* sku = o.if_contains("sku");
        const shardflow::Row* product =
            sku && sku->is_string() ? catalog.find(sku->as_string()) : nullptr;
        if (!product) {
            return Error{ErrorCode::kInvalidArgument, "unknown sku"};
        }
        return Order{o.at("order_id").to_number<int64_t>(),
                     std::get<std::string>((*product)[name_column]),
                     std::get<int64_t>((*product)[price_column]) * o.at("qty").to_number<int64_t>(),
                     o.at("ts").to_number<int64_t>()};
    };
    auto parse_payment = [](const connectors::ShardRecord& r) -> Result<Payment> {
        SF_ASSIGN_OR_RETURN(auto o, parse_object(r.data));
        return Payment{o.at("order_id").to_number<int64_t>(),
                       o.at("cents").to_number<int64_t>(),
                       o.at("ts").to_number<int64_t>()};
    };

    using Rejected = ops::Rejected<connectors::ShardRecord>;
    std::atomic<int64_t> rejected{0};
    auto rejects = std::make_shared<connectors::JsonLinesSink<Rejected>>(
        std::move(*rejected_out), [&rejected](const Rejected& r) {
            rejected.fetch_add(1);
            return boost::json::serialize(
                boost::json::object{{"data", r.record.data}, {"reason", r.reason}});
        });
    using Row = ops::JoinResult<int64_t, Order, Payment>;
    std::atomic<int64_t> paid{0};
    std::atomic<int64_t> unpaid{0};
    auto sink =
        std::make_shared<connectors::JsonLinesSink<Row>>(std::move(*out), [&](const Row& r) {
            (r.right ? paid : unpaid).fetch_add(1);
            boost::json::object line{{"order_id", r.key},
                                     {"product", r.left.product},
                                     {"total_cents", r.left.total_cents}};
            line["paid_cents"] =
                r.right ? boost::json::value(r.right->cents) : boost::json::value(nullptr);
            return boost::json::serialize(line);
        });

    ops::Query query("orders_payments");
    auto order_stream = query
                            .source<connectors::ShardRecord>(
                                std::make_shared<connectors::ShardSource>(**store, "orders"))
                            .try_map(enrich, rejects)
                            .with_event_time(&Order::ts);
    auto payment_stream = query
                              .source<connectors::ShardRecord>(
                                  std::make_shared<connectors::ShardSource>(**store, "payments"))
                              .try_map(parse_payment, rejects)
                              .with_event_time(&Payment::ts);
    ops::connect(std::move(order_stream), std::move(payment_stream))
        .key_by(&Order::id, &Payment::order_id)
        .apply(ops::IntervalJoin(0min, 10min).left())
        .sink(sink);
    runtime::ExecutorOptions run;
    run.bounded = true;
    auto stats = query.run(run);
    if (!stats) {
        fmt::print(stderr, "query failed: {}\n", stats.error().message);
        return 1;
    }
    fmt::print(
        "{}: read {} records in {} ms: {} orders paid within 10 minutes, {} unpaid, {} rejected; "
        "see {}\n",
        query.name(),
        stats->records,
        stats->elapsed.count(),
        paid.load(),
        unpaid.load(),
        rejected.load(),
        (dir / "orders.jsonl").string());
    return 0;
}
