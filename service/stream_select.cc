#include "service/stream_select.h"

#include "service/graph/build_query.h"
#include "service/row_format.h"
#include "service/running_query.h"
#include "sql/value_ops.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <mutex>

namespace shardflow::service {
namespace {

/// Hands every batch to a function: push queries print rows, bounded SELECTs collect them.
class RowCallbackSink final : public runtime::Downstream<Row> {
public:
    explicit RowCallbackSink(std::function<void(std::span<Row>)> f)
        : f_(std::move(f)) {}
    void on_batch(std::span<Row> batch) override {
        std::lock_guard lock(mu_);
        f_(batch);
    }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

private:
    std::mutex mu_;
    std::function<void(std::span<Row>)> f_;
};

/// What a gathered row costs, about.
size_t row_bytes(const Row& row) {
    size_t bytes = sizeof(Row) + row.size() * sizeof(Value);
    for (const Value& v : row) {
        if (const auto* text = std::get_if<std::string>(&v)) {
            bytes += text->size();
        }
    }
    return bytes;
}

/// ORDER BY over the output columns of a bounded SELECT (by name, or by an expression of the
/// SELECT list such as SUM(price)), then LIMIT.
Status order_and_limit(const sql::Select& select,
                       const sql::Schema& output,
                       std::vector<Row>& rows) {
    bool star =
        std::any_of(select.items.begin(), select.items.end(), [](const sql::SelectItem& item) {
            return item.expr->kind == sql::ExprKind::kStar;
        });
    auto selected = [&](const sql::Expr& e) -> std::optional<size_t> {
        for (size_t i = 0; !star && i < select.items.size(); ++i) {
            if (sql::expression_text(*select.items[i].expr) == sql::expression_text(e)) {
                return i;
            }
        }
        return std::nullopt;
    };
    std::vector<std::pair<sql::BoundExpr, bool>> keys;
    for (const auto& item : select.order_by) {
        SF_ASSIGN_OR_RETURN(
            auto bound,
            sql::bind_expression(*item.expr, sql::BindScope{output, "ORDER BY", selected}));
        keys.emplace_back(std::move(bound), item.descending);
    }
    if (!keys.empty()) {
        std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
            for (const auto& [key, descending] : keys) {
                int c = sql::compare_for_order(key.eval(a), key.eval(b));
                if (c != 0) {
                    return descending ? c > 0 : c < 0;
                }
            }
            return false;
        });
    }
    if (select.limit && rows.size() > static_cast<size_t>(*select.limit)) {
        rows.resize(static_cast<size_t>(*select.limit));
    }
    return ok();
}

}  // namespace

Result<ResultSet> run_stream_select(const sql::Select& select,
                                    const sql::SelectPlan& plan,
                                    store::StreamStore& store,
                                    const PushOptions& push_options,
                                    const StatementDeadline& deadline,
                                    const StreamSelectLimits& limits) {
    ResultSet result;
    for (const auto& c : plan.output.columns) {
        result.columns.push_back(c.name);
    }
    const sql::Schema& output = plan.output;
    const bool push = select.emit == sql::EmitClause::kChanges;
    const bool live = push && push_options.output;  // else gathered, for at most max_duration
    // Without ORDER BY the first LIMIT rows are the answer; with it every row is sorted first.
    const std::optional<size_t> enough_rows =
        select.limit && (push || select.order_by.empty())
            ? std::optional<size_t>(static_cast<size_t>(*select.limit))
            : std::nullopt;
    std::vector<Row> rows;
    size_t gathered_bytes = 0;
    size_t emitted = 0;
    std::atomic<bool> enough{false};
    std::atomic<bool> too_large{false};
    auto sink = std::make_shared<RowCallbackSink>([&](std::span<Row> batch) {
        for (Row& row : batch) {
            if (enough) {
                return;
            }
            if (live) {
                push_options.output(row_text(row, output));
            } else {
                gathered_bytes += row_bytes(row);
                rows.push_back(std::move(row));
                if (gathered_bytes > limits.max_result_bytes) {
                    too_large = enough = true;
                    return;
                }
            }
            if (++emitted == enough_rows) {
                enough = true;
            }
        }
    });
    auto rejected = std::make_shared<RejectCounter>();
    ops::Query query("select");
    SF_TRY(build_query(plan, query, QueryIo{store, sink, rejected, nullptr, !push}));
    runtime::ExecutorOptions options;
    options.workers = limits.workers;
    options.bounded = !push;
    options.watermarks.out_of_orderness = std::chrono::milliseconds(plan.watermark_delay_ms());
    runtime::StateBudget state(limits.max_state_bytes);
    options.state_budget = &state;
    // A push query over HTTP answers what it gathered when its time is up (the statement
    // timeout, if shorter); a live one runs until its LIMIT or Ctrl-C; a bounded SELECT fails
    // at its deadline. Enough rows, or too many, end any of them at once.
    std::chrono::milliseconds http_time = push_options.max_duration;
    if (deadline.timeout().count() > 0) {
        http_time = std::min(http_time, deadline.timeout());
    }
    const auto http_deadline = std::chrono::steady_clock::now() + http_time;
    std::atomic<bool> http_time_up{false};
    options.stop = &http_time_up;
    options.on_progress = [&](uint64_t, runtime::EventTime) {
        http_time_up = push && !live && std::chrono::steady_clock::now() > http_deadline;
    };
    options.cancelled = [&] {
        return enough.load() || (push ? deadline.stopped() : deadline.over());
    };
    auto run = query.run(std::move(options));
    const bool abandoned = !run && run.error().code == ErrorCode::kCancelled;
    if (!run && !abandoned) {
        return run.error();
    }
    if (too_large) {
        return Error::make(ErrorCode::kLimitExceeded,
                           "the SELECT's rows exceed {} MiB: add a LIMIT, aggregate, or write "
                           "them into a table with CREATE TABLE AS",
                           limits.max_result_bytes >> 20);
    }
    if (abandoned && !enough && !live) {  // Ctrl-C is how a live push query ends
        return deadline.reason("the SELECT");
    }
    if (live) {
        return ResultSet::say(fmt::format("{} rows", emitted));
    }
    if (http_time_up) {
        result.message = fmt::format(
            "(a push query over HTTP stops after {} s: add LIMIT n, or run `shardflow sql "
            "--data-dir` for rows as they come)",
            http_time.count() / 1000);
    }
    if (!push) {  // rows gathered from a push query keep the order they came in
        SF_TRY(order_and_limit(select, output, rows));
    }
    for (const Row& row : rows) {
        result.rows.push_back(row_text(row, output));
    }
    if (push) {
        return result;
    }
    std::vector<std::string> notes;
    if (uint64_t n = rejected->count()) {
        notes.push_back(
            fmt::format("{} records could not be read (first: {})", n, rejected->first_reason()));
    }
    if (uint64_t late = run ? run->late_records : 0) {
        notes.push_back(fmt::format("{} records came after their window closed", late));
    }
    result.message = fmt::format("{}", fmt::join(notes, "; "));
    return result;
}

}  // namespace shardflow::service
