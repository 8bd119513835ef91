#include "sql/planner/select_plan.h"

#include "sql/binder/retracting_aggregates.h"
#include "sql/planner/top_n_plan.h"
#include "sql/sql_error.h"
#include "sql/value_ops.h"

#include <fmt/format.h>

#include <numeric>

namespace shardflow::sql {
namespace {

bool is_aggregate_call(const Expr& e) {
    return e.kind == ExprKind::kFunction && is_aggregate_function(e.name);
}

/// Every aggregate call in `e`, outermost first (nested ones are rejected when bound).
void collect_aggregates(const ExprPtr& e, std::vector<ExprPtr>& out) {
    if (!e) {
        return;
    }
    if (is_aggregate_call(*e)) {
        out.push_back(e);
        return;
    }
    for (const auto& arg : e->args) {
        collect_aggregates(arg, out);
    }
}

Result<int64_t> interval_ms(const ExprPtr& e, std::string_view what) {
    SF_ASSIGN_OR_RETURN(Value v, constant_value(*e, what));
    auto* ms = std::get_if<int64_t>(&v);
    if (!ms || *ms <= 0) {
        return sql_error(e->pos, "{} needs a positive INTERVAL", what);
    }
    return *ms;
}

Result<WindowPlan> plan_window(const WindowCall& call, const Schema& input) {
    WindowPlan w{.kind = call.kind};
    SF_ASSIGN_OR_RETURN(w.time_column, input.resolve("", call.time_column, call.pos, "DESCRIPTOR"));
    if (input.columns[w.time_column].type != SqlType::kTimestamp) {
        return sql_error(call.pos, "DESCRIPTOR({}) must name a TIMESTAMP column", call.time_column);
    }
    static constexpr std::string_view kNames[] = {"TUMBLE", "HOP", "SESSION", "STAGGER"};
    std::string_view name = kNames[static_cast<int>(call.kind)];
    size_t wanted = call.kind == WindowKind::kHop ? 2 : 1;
    if (call.args.size() != wanted) {
        return sql_error(
            call.pos, "{} takes {} INTERVAL argument{}", name, wanted, wanted > 1 ? "s" : "");
    }
    std::vector<int64_t> ms;
    for (const auto& arg : call.args) {
        SF_ASSIGN_OR_RETURN(int64_t v, interval_ms(arg, name));
        ms.push_back(v);
    }
    if (call.kind == WindowKind::kSession) {
        w.gap_ms = ms[0];
    } else if (call.kind == WindowKind::kHop) {
        w.slide_ms = ms[0];
        w.size_ms = ms[1];
        if (w.size_ms % w.slide_ms != 0) {
            return sql_error(call.pos, "HOP's size must be a multiple of its slide");
        }
    } else {
        w.size_ms = ms[0];
    }
    return w;
}

/// Binds the SELECT list; `*` expands to the declared columns (not pseudo-columns).
Status plan_projection(const Select& select, const BindScope& scope, SelectPlan& plan) {
    for (size_t i = 0; i < select.items.size(); ++i) {
        const SelectItem& item = select.items[i];
        if (item.expr->kind == ExprKind::kStar) {
            if (plan.aggregates) {
                return sql_error(item.pos, "SELECT * cannot be used with GROUP BY or aggregates");
            }
            SF_ASSIGN_OR_RETURN(auto columns, star_columns(*item.expr, plan));
            for (size_t c : columns) {
                const Column& column = plan.input.columns[c];
                plan.projection.push_back(BoundExpr{column.type, [c](const Row& row) {
                                                        return row[c];
                                                    }});
                plan.output.columns.push_back({column.name, column.type, ""});
            }
            continue;
        }
        SF_ASSIGN_OR_RETURN(auto bound, bind_expression(*item.expr, scope));
        std::string name = output_name(item, i);
        for (const auto& c : plan.output.columns) {
            if (same_name(c.name, name)) {
                return sql_error(
                    item.pos, "the output has two columns named '{}': add AS to one", name);
            }
        }
        plan.output.columns.push_back(
            {name, bound.type == SqlType::kNull ? SqlType::kVarchar : bound.type, ""});
        plan.projection.push_back(std::move(bound));
    }
    return ok();
}

bool is_window_bound(const Expr& e, const SelectPlan& plan) {
    return plan.window && e.kind == ExprKind::kColumn &&
           (same_name(e.name, "window_start") || same_name(e.name, "window_end"));
}

std::vector<ExprPtr> aggregate_calls_of(const Select& select) {
    std::vector<ExprPtr> calls;
    for (const auto& item : select.items) {
        collect_aggregates(item.expr, calls);
    }
    collect_aggregates(select.having, calls);
    return calls;
}

/// GROUP BY keys and aggregate calls; the rows after them; which SELECT items are computed.
Status plan_aggregation(const Select& select, SelectPlan& plan, bool window_rows) {
    std::vector<ExprPtr> calls = aggregate_calls_of(select);
    plan.aggregates = has_aggregation(select);
    if (!plan.aggregates) {
        if (select.having) {
            return sql_error(select.having->pos, "HAVING needs GROUP BY or an aggregate");
        }
        if (plan.window && !window_rows) {
            return sql_error(select.from.pos,
                             "a window table function needs an aggregation: add GROUP BY "
                             "window_start, window_end and aggregates");
        }
        return ok();
    }
    std::vector<ExprPtr> key_exprs;
    std::vector<std::optional<size_t>> key_columns;  // the input column of a plain column key
    BindScope group_scope{plan.input, "GROUP BY"};
    for (const auto& e : select.group_by) {
        if (is_window_bound(*e, plan)) {
            continue;
        }
        SF_ASSIGN_OR_RETURN(auto key, bind_expression(*e, group_scope));
        std::optional<size_t> column;
        if (e->kind == ExprKind::kColumn) {
            SF_ASSIGN_OR_RETURN(column,
                                plan.input.resolve(e->qualifier, e->name, e->pos, "GROUP BY"));
        }
        plan.grouped.columns.push_back(
            {e->kind == ExprKind::kColumn ? e->name : expression_text(*e), key.type, ""});
        plan.keys.push_back(std::move(key));
        key_exprs.push_back(e);
        key_columns.push_back(column);
    }
    size_t window_at = plan.grouped.size();
    if (plan.window) {
        plan.grouped.columns.push_back({"window_start", SqlType::kTimestamp, ""});
        plan.grouped.columns.push_back({"window_end", SqlType::kTimestamp, ""});
    }
    size_t calls_at = plan.grouped.size();
    std::vector<AggregateCall> bound_calls;
    std::vector<std::string> call_texts;
    for (const auto& call : calls) {
        std::string text = expression_text(*call);
        if (std::find(call_texts.begin(), call_texts.end(), text) != call_texts.end()) {
            continue;
        }
        SF_ASSIGN_OR_RETURN(auto bound, bind_aggregate(*call, BindScope{plan.input, call->name}));
        plan.grouped.columns.push_back({text, bound.type, ""});
        bound_calls.push_back(std::move(bound));
        call_texts.push_back(std::move(text));
    }
    plan.aggregate_calls = std::make_shared<RowAggregates>(std::move(bound_calls));

    const Schema& input = plan.input;
    auto computed = [&, window_at, calls_at](const Expr& e) -> std::optional<size_t> {
        if (is_window_bound(e, plan)) {
            return window_at + (same_name(e.name, "window_end") ? 1 : 0);
        }
        std::string text = expression_text(e);
        for (size_t i = 0; i < call_texts.size(); ++i) {
            if (call_texts[i] == text) {
                return calls_at + i;
            }
        }
        for (size_t i = 0; i < key_exprs.size(); ++i) {
            if (expression_text(*key_exprs[i]) == text) {
                return i;
            }
            if (e.kind == ExprKind::kColumn && key_columns[i]) {
                auto column = input.resolve(e.qualifier, e.name, e.pos, "");
                if (column && *column == *key_columns[i]) {
                    return i;
                }
            }
        }
        return std::nullopt;
    };
    BindScope select_scope{plan.grouped, "SELECT", computed, &plan.input};
    SF_TRY(plan_projection(select, select_scope, plan));
    if (select.having) {
        BindScope having_scope{plan.grouped, "HAVING", computed, &plan.input};
        SF_ASSIGN_OR_RETURN(auto having, bind_expression(*select.having, having_scope));
        plan.having = std::move(having);
    }
    // A table keyed by the groups: every key and window_start (which fixes the window) must be
    // selected.
    for (size_t i = 0; i < window_at + (plan.window ? 1 : 0); ++i) {
        bool found = false;
        for (size_t o = 0; o < select.items.size() && o < plan.output.size(); ++o) {
            if (select.items[o].expr->kind != ExprKind::kStar &&
                computed(*select.items[o].expr) == i) {
                plan.output_key.push_back(o);
                found = true;
                break;
            }
        }
        if (!found) {
            plan.output_key.clear();  // not keyed by its groups: results are appended
            break;
        }
    }
    return ok();
}

}  // namespace

namespace {

/// The window bounds a side of a window join carries on each row.
void add_window_columns(Schema& schema, std::string qualifier) {  // a copy: push_back moves columns
    schema.columns.push_back({"window_start", SqlType::kTimestamp, qualifier});
    schema.columns.push_back({"window_end", SqlType::kTimestamp, qualifier});
}

/// A side of a window join (TUMBLE only): its rows get the window bounds; the DESCRIPTOR column.
Result<std::optional<size_t>> window_join_side(const TableRef& ref,
                                               Schema& schema,
                                               std::optional<int64_t>& tumble_ms) {
    std::optional<size_t> time;
    if (ref.window) {
        if (ref.window->kind != WindowKind::kTumble) {
            return sql_error(ref.window->pos, "a window join needs TUMBLE windows");
        }
        SF_ASSIGN_OR_RETURN(auto window, plan_window(*ref.window, schema));
        tumble_ms = window.size_ms;
        time = window.time_column;
        add_window_columns(schema, schema.columns.front().qualifier);
    }
    return time;
}

Status plan_source(const Select& select, const PlanCatalog& catalog, SelectPlan& plan) {
    plan.source = catalog.find_stream(select.from.name);
    if (!plan.source) {
        return sql_error(select.from.pos, "unknown stream '{}'", select.from.name);
    }
    plan.source_input =
        plan.source->schema(select.from.alias.empty() ? plan.source->name : select.from.alias);
    if (select.joins.empty()) {
        plan.input = plan.source_input;
        if (select.from.window) {
            SF_ASSIGN_OR_RETURN(auto window, plan_window(*select.from.window, plan.input));
            plan.event_time_column = window.time_column;
            plan.window = window;
        }
        return ok();
    }
    if (select.joins.size() > 1) {
        return sql_error(
            select.joins[1].pos,
            "one JOIN per query for now: join the result of the first in another query");
    }
    const Join& join = select.joins.front();
    const TableRef& right = join.right;
    std::string right_name = right.alias.empty() ? right.name : right.alias;
    JoinPlan base;
    std::optional<int64_t> right_tumble;
    if (const LookupTable* table = catalog.find_table(right.name)) {
        if (right.window) {
            return sql_error(
                right.pos, "{} is a table: a lookup join reads it without a window", right.name);
        }
        base.kind = JoinKind::kLookup;
        base.right_table = table;
        for (const auto& c : table->columns) {
            base.right_input.columns.push_back({c.name, c.type, right_name});
        }
    } else if (const StreamDef* stream = catalog.find_stream(right.name)) {
        base.right_stream = stream;
        base.right_input = stream->schema(right_name);
    } else {
        return sql_error(right.pos, "unknown stream or table '{}'", right.name);
    }
    if (select.from.window && base.kind == JoinKind::kLookup) {
        return sql_error(select.from.pos, "a lookup join reads its stream without a window");
    }
    SF_ASSIGN_OR_RETURN(auto left_time,
                        window_join_side(select.from, plan.source_input, plan.source_tumble_ms));
    SF_ASSIGN_OR_RETURN(auto right_time, window_join_side(right, base.right_input, right_tumble));
    const Schema right_schema = base.right_input;  // base moves into plan_join
    plan.input = plan.source_input;
    plan.input.columns.insert(
        plan.input.columns.end(), right_schema.columns.begin(), right_schema.columns.end());
    JoinSide left_side{plan.source_input, plan.source_tumble_ms, left_time};
    JoinSide right_side{right_schema, right_tumble, right_time};
    SF_ASSIGN_OR_RETURN(auto planned,
                        plan_join(join, left_side, right_side, plan.input, std::move(base)));
    plan.join = std::move(planned);
    return ok();
}

/// SELECT DISTINCT a, b is SELECT a, b ... GROUP BY a, b.
Result<Select> distinct_as_group_by(const Select& select) {
    if (!select.group_by.empty()) {
        return sql_error(select.pos, "SELECT DISTINCT with GROUP BY: drop one of them");
    }
    Select grouped = select;
    grouped.distinct = false;
    for (const auto& item : select.items) {
        if (item.expr->kind == ExprKind::kStar) {
            return sql_error(item.pos, "SELECT DISTINCT needs its columns named, not *");
        }
        std::vector<ExprPtr> calls;
        collect_aggregates(item.expr, calls);
        if (!calls.empty()) {
            return sql_error(item.pos, "SELECT DISTINCT with aggregates: use GROUP BY");
        }
        grouped.group_by.push_back(item.expr);
    }
    return grouped;
}

}  // namespace

bool has_aggregation(const Select& select) {
    return !select.group_by.empty() || !aggregate_calls_of(select).empty();
}

std::string output_name(const SelectItem& item, size_t index) {
    if (!item.alias.empty()) {
        return item.alias;
    }
    if (item.expr->kind == ExprKind::kColumn) {
        return item.expr->name;
    }
    return fmt::format("EXPR${}", index);
}

Result<std::vector<size_t>> star_columns(const Expr& star, const SelectPlan& plan) {
    size_t first = 0;
    size_t count = plan.source->columns.size();
    const std::string& left = plan.source_input.columns.front().qualifier;
    if (!star.qualifier.empty() && !same_name(star.qualifier, left)) {
        const JoinPlan* join = plan.join ? &*plan.join : nullptr;
        if (!join || !same_name(star.qualifier, join->right_input.columns.front().qualifier)) {
            return sql_error(star.pos, "{}.* names no stream or table of FROM", star.qualifier);
        }
        first = plan.source_input.size();
        count = join->right_stream ? join->right_stream->columns.size() : join->right_input.size();
    }
    std::vector<size_t> columns(count);
    std::iota(columns.begin(), columns.end(), first);
    return columns;
}

namespace {

Status plan_where(const Select& select, SelectPlan& plan) {
    if (!select.where) {
        return ok();
    }
    SF_ASSIGN_OR_RETURN(auto where, bind_expression(*select.where, BindScope{plan.input, "WHERE"}));
    if (where.type != SqlType::kBoolean && where.type != SqlType::kNull) {
        return sql_error(
            select.where->pos, "WHERE needs a BOOLEAN condition, not {}", type_name(where.type));
    }
    plan.where = std::move(where);
    return ok();
}

/// A GROUP BY over a subquery whose rows change: its aggregates take each replaced row back.
Result<SelectPlan> plan_over_updates(const Select& select, const PlanCatalog& catalog) {
    if (!select.joins.empty()) {
        return sql_error(select.joins.front().pos, "{}", kSubqueryForms);
    }
    SF_ASSIGN_OR_RETURN(SelectPlan inner, plan_select(*select.from.subquery, catalog));
    if (!inner.emits_updates()) {
        return sql_error(select.from.pos, "{}", kSubqueryForms);
    }
    if (inner.updates) {
        return sql_error(select.from.pos,
                         "one level of GROUP BY over a GROUP BY subquery is supported: INSERT the "
                         "inner levels into a table or stream and aggregate that");
    }
    if (select.distinct) {
        return sql_error(select.pos,
                         "SELECT DISTINCT over a GROUP BY subquery is not supported: a row that "
                         "leaves its group cannot be taken out of a table yet");
    }
    if (!has_aggregation(select)) {
        return sql_error(select.pos,
                         "the rows of a GROUP BY subquery change as its groups do: the query over "
                         "it must aggregate them (GROUP BY or aggregate calls)");
    }
    SelectPlan plan;
    plan.emit = select.emit;
    plan.input = inner.output;
    for (auto& column : plan.input.columns) {
        column.qualifier = select.from.alias;
    }
    for (const auto& call : aggregate_calls_of(select)) {
        SF_ASSIGN_OR_RETURN(auto bound, bind_aggregate(*call, BindScope{plan.input, call->name}));
        if (!can_retract(bound.kind)) {
            return sql_error(call->pos,
                             "{} cannot take back the rows a GROUP BY subquery replaces: over one, "
                             "use COUNT, SUM, AVG, MIN, MAX or COUNT(DISTINCT)",
                             call->name);
        }
    }
    plan.updates = std::make_shared<const SelectPlan>(std::move(inner));
    SF_TRY(plan_where(select, plan));
    SF_TRY(plan_aggregation(select, plan, false));
    return plan;
}

}  // namespace

Result<SelectPlan> plan_select(const Select& select, const PlanCatalog& catalog, bool window_rows) {
    if (select.from.subquery) {
        return is_top_n(select) ? plan_top_n(select, catalog) : plan_over_updates(select, catalog);
    }
    for (const Join& join : select.joins) {
        if (join.right.subquery) {
            return sql_error(join.right.pos, "{}", kSubqueryForms);
        }
    }
    SelectPlan plan;
    plan.emit = select.emit;
    if (select.distinct) {
        SF_ASSIGN_OR_RETURN(Select grouped, distinct_as_group_by(select));
        return plan_select(grouped, catalog, window_rows);
    }
    SF_TRY(plan_source(select, catalog, plan));
    if (window_rows && plan.window && !has_aggregation(select)) {
        add_window_columns(plan.input, plan.input.columns.front().qualifier);
    }
    SF_TRY(plan_where(select, plan));
    SF_TRY(plan_aggregation(select, plan, window_rows));
    if (!plan.aggregates) {
        SF_TRY(plan_projection(select, BindScope{plan.input, "SELECT"}, plan));
    }
    if (plan.emit == EmitClause::kChanges && plan.window &&
        plan.window->kind != WindowKind::kTumble) {
        return sql_error(select.pos, "EMIT CHANGES works with TUMBLE windows or without a window");
    }
    return plan;
}

Status check_keyed_updates(const SelectPlan& plan, bool bounded) {
    if (plan.unkeyed_updates && !bounded) {
        return *plan.unkeyed_updates;
    }
    return ok();
}

int64_t SelectPlan::watermark_delay_ms() const {
    if (updates) {
        return updates->watermark_delay_ms();
    }
    int64_t delay = source->watermark_delay_ms;
    if (join && join->right_stream) {
        delay = std::max(delay, join->right_stream->watermark_delay_ms);
    }
    return delay;
}

std::vector<std::string> SelectPlan::reads() const {
    const SelectPlan& reader = stream_reader();
    std::vector<std::string> out{reader.source->name};
    if (reader.join && reader.join->right_stream) {
        out.push_back(reader.join->right_stream->name);
    }
    if (reader.join && reader.join->right_table) {
        out.push_back(reader.join->right_table->name);
    }
    return out;
}

std::string SelectPlan::describe() const {
    std::string out;
    if (updates) {
        out = updates->describe() + "\n  -> as changes (each replaced row taken back)";
        if (where) {
            out += "\n  -> filter(WHERE)";
        }
        return out + describe_aggregation();
    }
    out = fmt::format("shard_source({}, {}, start {})",
                      source->store_stream,
                      source->format == RecordFormat::kJson ? "json" : "csv",
                      source->start);
    out += "\n  -> try_map(decode; errors to the error output)";
    if (join) {
        static constexpr std::string_view kKinds[] = {
            "interval_join", "window_join", "lookup_join", "regular_join"};
        std::string right = join->right_stream
                                ? "shard_source(" + join->right_stream->store_stream + ")"
                                : "table(" + join->right_table->name + ")";
        out += fmt::format("\n  -> {}({}, {}, {} key{}",
                           kKinds[static_cast<int>(join->kind)],
                           right,
                           join->left_outer ? "left" : "inner",
                           join->left_keys.size(),
                           join->left_keys.size() == 1 ? "" : "s");
        if (join->kind == JoinKind::kInterval) {
            out += fmt::format(
                ", right time - left time in [{} ms, {} ms]", join->lower_ms, join->upper_ms);
        } else if (join->kind == JoinKind::kWindow) {
            out += fmt::format(", tumbling {} ms", join->window_ms);
        }
        out += ")";
        if (join->residual) {
            out += "\n  -> filter(ON)";
        }
    }
    if (where) {
        out += "\n  -> filter(WHERE)";
    }
    if (event_time_column) {
        out += fmt::format("\n  -> event_time({}, watermark delay {} ms)",
                           input.columns[*event_time_column].name,
                           source->watermark_delay_ms);
    }
    return out + describe_aggregation();
}

std::string SelectPlan::describe_aggregation() const {
    std::string out;
    if (aggregates) {
        std::string key_names;
        for (size_t i = 0; i < keys.size(); ++i) {
            key_names += (i ? ", " : "") + grouped.columns[i].name;
        }
        out += fmt::format("\n  -> key_by({})", key_names.empty() ? "()" : key_names);
        if (window) {
            static constexpr std::string_view kNames[] = {
                "tumbling", "hopping", "session", "stagger"};
            out += fmt::format("\n  -> {}_window(size {} ms, slide {} ms, gap {} ms)",
                               kNames[static_cast<int>(window->kind)],
                               window->size_ms,
                               window->slide_ms,
                               window->gap_ms);
        } else {
            out += updates ? "\n  -> running_aggregate(emit changes, taking replaced rows back)"
                           : "\n  -> running_aggregate(emit changes)";
        }
        out += fmt::format("\n  -> aggregate({} calls)", aggregate_calls->calls().size());
        if (having) {
            out += "\n  -> filter(HAVING)";
        }
    }
    auto names = [](const Schema& schema) {
        std::string text;
        for (size_t i = 0; i < schema.size(); ++i) {
            text += (i ? ", " : "") + schema.columns[i].name;
        }
        return text;
    };
    if (!top_n) {
        return out + fmt::format("\n  -> project({})", names(output));
    }
    std::string partitions;
    for (size_t i = 0; i < top_n->partition_names.size(); ++i) {
        partitions += (i ? ", " : "") + top_n->partition_names[i];
    }
    out += fmt::format("\n  -> project({})", names(top_n->ranked));
    const std::string_view ranking = top_n->rank ? "rank" : "row_number";
    if (top_n->window) {
        const WindowPlan& w = top_n->window->window;
        if (top_n->window->time_offset_ms) {
            out += "\n  -> event_time(window_end - 1)";
        }
        out += fmt::format("\n  -> key_by({})", partitions);
        out += w.kind == WindowKind::kHop
                   ? fmt::format(
                         "\n  -> hopping_window(size {} ms, slide {} ms)", w.size_ms, w.slide_ms)
                   : fmt::format("\n  -> tumbling_window(size {} ms)", w.size_ms);
        out += fmt::format("\n  -> top_n({} per key and window, {})", top_n->limit, ranking);
    } else {
        out += fmt::format("\n  -> key_by({})", partitions.empty() ? "()" : partitions);
        out += fmt::format("\n  -> top_n({} per key{}{})",
                           top_n->limit,
                           top_n->rank ? ", rank" : "",
                           aggregates ? ", over the aggregate's changes" : "");
    }
    if (top_n->filter) {
        out += "\n  -> filter(WHERE)";
    }
    return out + fmt::format("\n  -> project({})", names(output));
}

}  // namespace shardflow::sql
