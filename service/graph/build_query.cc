#include "service/graph/build_query.h"

#include "connectors/lookup/reference_table.h"
#include "engine/common/timestamp_text.h"
#include "operators/aggregate/running_aggregate.h"
#include "operators/aggregate/top_n_of_changes.h"
#include "operators/aggregate/top_n_rows.h"
#include "operators/join/interval_join.h"
#include "operators/join/regular_join.h"
#include "operators/join/window_join.h"
#include "operators/window/hopping_window.h"
#include "operators/window/session_window.h"
#include "operators/window/stagger_window.h"
#include "operators/window/tumbling_window.h"
#include "service/graph/record_decoder.h"
#include "sql/binder/retracting_aggregates.h"
#include "sql/value_ops.h"

#include <algorithm>

namespace shardflow::service {
namespace {

using std::chrono::milliseconds;

/// Group keys travel as one string (hashable, checkpointable) and are decoded for output.
std::string encode_key(const std::vector<sql::BoundExpr>& keys, const Row& row) {
    Row values;
    values.reserve(keys.size());
    for (const auto& k : keys) {
        values.push_back(k.eval(row));
    }
    runtime::StateWriter w;
    runtime::encode(w, values);
    return w.take();
}

Row decode_key(const std::string& key) {
    runtime::StateReader r(key);
    Row values;
    runtime::decode(r, values);
    return values;
}

/// The row a record of a query's pipeline carries: itself, or the row a change is about.
const Row& row_of(const Row& row) {
    return row;
}
const Row& row_of(const sql::RowChange& change) {
    return change.value;
}

/// The key function of key_by: the values of `keys` over a record's row, encoded.
auto key_of(std::vector<sql::BoundExpr> keys) {
    return [keys = std::move(keys)](const auto& record) {
        return encode_key(keys, row_of(record));
    };
}

/// A RunningAggregate of `aggregate`: every change, or each group's final value in a bounded run.
template <class Agg>
auto running(Agg aggregate, bool bounded) {
    auto spec = ops::RunningAggregate(std::move(aggregate));
    return bounded ? std::move(spec).final_only() : std::move(spec);
}

bool passes(const std::optional<sql::BoundExpr>& condition, const Row& row) {
    return !condition || condition->eval(row) == Value(true);
}

std::function<Row(Row&)> project(std::vector<sql::BoundExpr> projection) {
    return [projection = std::move(projection)](Row& row) {
        Row out;
        out.reserve(projection.size());
        for (const auto& e : projection) {
            out.push_back(e.eval(row));
        }
        return out;
    };
}

/// ROW_NUMBER()'s ORDER BY over the subquery's rows: whether `a` ranks before `b`.
struct RankOrder {
    std::vector<size_t> columns;
    std::vector<bool> descending;

    bool operator()(const Row& a, const Row& b) const {
        for (size_t i = 0; i < columns.size(); ++i) {
            int c = sql::compare_for_order(a[columns[i]], b[columns[i]]);
            if (c != 0) {
                return descending[i] ? c > 0 : c < 0;
            }
        }
        return false;
    }
};

ops::TopNRows<RankOrder> ranking_of(const sql::TopNPlan& top) {
    return ops::TopNRows{top.limit,
                         RankOrder{top.order_columns, top.descending},
                         top.rank ? ops::TopNTies::kRank : ops::TopNTies::kRowNumber};
}

/// A partition's ranked rows, as the subquery's rows with their rank (and, over a window TVF's
/// rows, their window's bounds), then the outer WHERE and SELECT list.
std::function<
    void(std::vector<Row>&, std::optional<std::pair<int64_t, int64_t>>, std::vector<Row>&)>
emit_ranked(const sql::TopNPlan& top) {
    return [ranking = ranking_of(top), top, projection = project(top.projection)](
               std::vector<Row>& ranked,
               std::optional<std::pair<int64_t, int64_t>> window,
               std::vector<Row>& out) {
        const auto ranks = ranking.ranks(ranked);
        for (size_t i = 0; i < ranked.size(); ++i) {
            Row& row = ranked[i];
            row.resize(top.ranked.size());  // without the partition and order values
            row[top.rank_column] = static_cast<int64_t>(ranks[i]);
            if (window && top.window) {
                for (size_t c : top.window->start_columns) {
                    row[c] = window->first;
                }
                for (size_t c : top.window->end_columns) {
                    row[c] = window->second;
                }
            }
            if (passes(top.filter, row)) {
                out.push_back(projection(row));
            }
        }
    };
}

/// A window Top-N: each partition ranked once, when its window closes.
template <class Keyed, class Spec>
void rank_in_windows(Keyed keyed, Spec spec, const sql::TopNPlan& top, const QueryIo& io) {
    using Ranked = ops::WindowResult<std::string, std::vector<Row>>;
    std::move(keyed)
        .apply(std::move(spec))
        .template flat_map<Row>([emit = emit_ranked(top)](Ranked& ranked, std::vector<Row>& out) {
            emit(ranked.value, std::pair(ranked.window_start, ranked.window_end), out);
        })
        .sink(io.sink);
}

/// A partition's ranked output rows before and after a batch: those that left its top N, and
/// those that entered it (a row whose rank changed does both; rows that stayed are in neither).
struct RankedDiff {
    std::vector<Row> left;
    std::vector<Row> entered;
};

auto ranked_diff(const sql::TopNPlan& top) {
    return [emit = emit_ranked(top)](ops::KeyedChange<std::string, std::vector<Row>>& ranked) {
        std::vector<Row> before, after;
        if (ranked.before) {
            emit(*ranked.before, std::nullopt, before);
        }
        emit(ranked.after, std::nullopt, after);
        std::sort(before.begin(), before.end());
        std::sort(after.begin(), after.end());
        RankedDiff diff;
        std::set_difference(before.begin(),
                            before.end(),
                            after.begin(),
                            after.end(),
                            std::back_inserter(diff.left));
        std::set_difference(after.begin(),
                            after.end(),
                            before.begin(),
                            before.end(),
                            std::back_inserter(diff.entered));
        return diff;
    };
}

/// A running aggregate of a Top-N's `ranking` (over rows or over changes) per partition.
template <class S, class Ranking>
auto ranked_partitions(S rows, Ranking ranking, const sql::TopNPlan& top, bool bounded) {
    return std::move(rows)
        .key_by(key_of(top.partition_keys))
        .apply(running(std::move(ranking), bounded).changes());
}

/// A Top-N without a window: each partition's ranked rows (after the outer WHERE and SELECT
/// list) that a batch changed, upserted by partition and rank, or each partition's rows once at
/// the end of a bounded run.
template <class S, class Ranking>
void rank_running(S rows, Ranking ranking, const sql::TopNPlan& top, const QueryIo& io) {
    using Ranked = ops::KeyedChange<std::string, std::vector<Row>>;
    ranked_partitions(std::move(rows), std::move(ranking), top, io.bounded)
        .template flat_map<Row>([diff = ranked_diff(top)](Ranked& ranked, std::vector<Row>& out) {
            for (auto& row : diff(ranked).entered) {
                out.push_back(std::move(row));
            }
        })
        .sink(io.sink);
}

/// The Top-N after the subquery's rows: TopNRows per partition (ties keep arrival order), or a
/// window Top-N, which ranks in windows (WindowTopN).
template <class S>
void top_n(S rows, const sql::TopNPlan& top, const QueryIo& io) {
    if (!top.window) {
        return rank_running(std::move(rows), ranking_of(top), top, io);
    }
    const sql::WindowTopN& w = *top.window;
    auto keyed =
        std::move(rows)
            .with_event_time([at = w.time_value, offset = w.time_offset_ms](const Row& row) {
                return std::get<int64_t>(row[at]) + offset;
            })
            .key_by(key_of(top.partition_keys));
    milliseconds size(w.window.size_ms), slide(w.window.slide_ms);
    if (w.window.kind == sql::WindowKind::kHop) {
        return rank_in_windows(
            std::move(keyed), ops::HoppingWindow(size, slide).aggregate(ranking_of(top)), top, io);
    }
    rank_in_windows(
        std::move(keyed), ops::TumblingWindow(size).aggregate(ranking_of(top)), top, io);
}

/// HAVING, then the SELECT list (then a Top-N), then the sink: the end every plan shares.
template <class S>
void finish(S stream, const sql::SelectPlan& plan, const QueryIo& io) {
    auto rows = std::move(stream)
                    .filter([having = plan.having](const Row& row) { return passes(having, row); })
                    .map(project(plan.projection));
    if (plan.top_n) {
        return top_n(std::move(rows), *plan.top_n, io);
    }
    std::move(rows).sink(io.sink);
}

/// A window's result as a row of the grouped schema: keys, window bounds, aggregates.
Row window_row(ops::WindowResult<std::string, Row>& r) {
    Row row = decode_key(r.key);
    row.emplace_back(r.window_start);
    row.emplace_back(r.window_end);
    for (auto& v : r.value) {
        row.push_back(std::move(v));
    }
    return row;
}

/// Records later than their window go to the late output when the statement names one.
template <class Keyed, class Spec>
void window_with(Keyed keyed, Spec spec, const sql::SelectPlan& plan, const QueryIo& io) {
    if (io.late) {
        spec = std::move(spec).template late_to<Row>(io.late);
    }
    finish(std::move(keyed).apply(std::move(spec)).map(window_row), plan, io);
}

template <class Keyed>
void windowed(Keyed keyed, const sql::SelectPlan& plan, const QueryIo& io) {
    const sql::WindowPlan& w = *plan.window;
    const sql::RowAggregates& aggs = *plan.aggregate_calls;
    auto emit =
        plan.emit == sql::EmitClause::kChanges ? ops::EmitMode::kChanges : ops::EmitMode::kFinal;
    milliseconds size(w.size_ms), slide(w.slide_ms), gap(w.gap_ms);
    switch (w.kind) {
        case sql::WindowKind::kTumble:
            return window_with(
                std::move(keyed), ops::TumblingWindow(size).emit(emit).aggregate(aggs), plan, io);
        case sql::WindowKind::kHop:
            return window_with(
                std::move(keyed), ops::HoppingWindow(size, slide).aggregate(aggs), plan, io);
        case sql::WindowKind::kSession:
            return window_with(std::move(keyed), ops::SessionWindow(gap).aggregate(aggs), plan, io);
        case sql::WindowKind::kStagger:
            return window_with(
                std::move(keyed), ops::StaggerWindow(size).aggregate(aggs), plan, io);
    }
}

/// A group's value as a row of the grouped schema: its keys, then its aggregates.
Row group_row(Row keys, Row values) {
    Row row = std::move(keys);
    for (auto& v : values) {
        row.push_back(std::move(v));
    }
    return row;
}

/// The groups of `plan` over rows or changes (`aggregate` takes Rows or RowChanges), as changes
/// of the rows the plan emits for them (after HAVING and the SELECT list): the row a group's new
/// value replaces taken back, then the new row.
template <class S, class Agg>
auto grouped_changes(S input, const sql::SelectPlan& plan, Agg aggregate, bool bounded) {
    auto emitted = [having = plan.having, projection = project(plan.projection)](
                       Row keys, Row values) -> std::optional<Row> {
        Row row = group_row(std::move(keys), std::move(values));
        return passes(having, row) ? std::optional(projection(row)) : std::nullopt;
    };
    return std::move(input)
        .key_by(key_of(plan.keys))
        .apply(running(std::move(aggregate), bounded).changes())
        .template flat_map<sql::RowChange>([emitted](ops::KeyedChange<std::string, Row>& change,
                                                     std::vector<sql::RowChange>& out) {
            Row keys = decode_key(change.key);
            auto before = change.before ? emitted(keys, std::move(*change.before)) : std::nullopt;
            auto after = emitted(std::move(keys), std::move(change.after));
            if (before == after) {
                return;
            }
            if (before) {
                out.push_back({std::move(*before), true});
            }
            if (after) {
                out.push_back({std::move(*after), false});
            }
        });
}

/// A Top-N's changes: the ranked rows of a partition that left it taken back, those that entered
/// it put in.
template <class S>
auto ranked_changes(S changes, const sql::TopNPlan& top, bool bounded) {
    using Ranked = ops::KeyedChange<std::string, std::vector<Row>>;
    return ranked_partitions(std::move(changes), ops::TopNOfChanges{ranking_of(top)}, top, bounded)
        .template flat_map<sql::RowChange>(
            [diff = ranked_diff(top)](Ranked& ranked, std::vector<sql::RowChange>& out) {
                RankedDiff d = diff(ranked);
                for (auto& row : d.left) {
                    out.push_back({std::move(row), true});
                }
                for (auto& row : d.entered) {
                    out.push_back({std::move(row), false});
                }
            });
}

/// A GROUP BY without a window (over rows, or over changes with RetractingAggregates): each
/// group's new row after every batch that changed it, then HAVING, the SELECT list, the sink.
template <class S, class Agg>
void aggregate_running(S input, Agg aggregate, const sql::SelectPlan& plan, const QueryIo& io) {
    finish(std::move(input)
               .key_by(key_of(plan.keys))
               .apply(running(std::move(aggregate), io.bounded))
               .map([](ops::KeyedResult<std::string, Row>& r) {
                   return group_row(decode_key(r.key), std::move(r.value));
               }),
           plan,
           io);
}

template <class S>
void route(S rows, const sql::SelectPlan& plan, const QueryIo& io) {
    if (!plan.aggregates) {
        return finish(std::move(rows), plan, io);
    }
    if (plan.window) {
        return windowed(std::move(rows).key_by(key_of(plan.keys)), plan, io);
    }
    if (plan.top_n) {  // ranks the groups' rows as they change
        auto changes = grouped_changes(std::move(rows), plan, *plan.aggregate_calls, io.bounded);
        return rank_running(
            std::move(changes), ops::TopNOfChanges{ranking_of(*plan.top_n)}, *plan.top_n, io);
    }
    aggregate_running(std::move(rows), *plan.aggregate_calls, plan, io);
}

}  // namespace

connectors::ShardSourceOptions source_options(const sql::StreamDef& def) {
    connectors::ShardSourceOptions options;
    if (def.start == "LATEST") {
        options.start.type = store::IteratorType::kLatest;
    } else if (def.start != "TRIM_HORIZON") {
        options.start.type = store::IteratorType::kAtTimestamp;
        options.start.timestamp_ms = parse_timestamp(def.start).value_or(0);
    }
    return options;
}

namespace {

/// A stream's records as rows: decoded (bad ones to the error output), then, for a window join
/// side, with the bounds of their TUMBLE window; records without an event time are rejected.
ops::Stream<Row> decoded(ops::Query& query,
                         const QueryIo& io,
                         const sql::StreamDef& def,
                         const sql::Schema& schema,
                         std::optional<size_t> time,
                         std::optional<int64_t> tumble_ms) {
    auto source =
        std::make_shared<connectors::ShardSource>(io.store, def.store_stream, source_options(def));
    std::string time_name = time ? schema.columns[*time].name : "";
    auto decode = [decoder = RecordDecoder(def), time, time_name, tumble_ms](
                      const connectors::ShardRecord& record) mutable -> Result<Row> {
        SF_ASSIGN_OR_RETURN(Row row, decoder(record));
        if (time && is_null(row[*time])) {
            return Error::make(ErrorCode::kInvalidArgument, "event time '{}' is NULL", time_name);
        }
        if (tumble_ms) {
            int64_t start = ops::window_start_of(std::get<int64_t>(row[*time]), *tumble_ms);
            row.emplace_back(start);
            row.emplace_back(start + *tumble_ms);
        }
        return row;
    };
    return query.source<connectors::ShardRecord>(source).try_map(std::move(decode), io.errors);
}

std::function<runtime::EventTime(const Row&)> time_of(size_t column) {
    return [column](const Row& row) {
        return std::get<int64_t>(row[column]);
    };
}

/// Appends the matching row of the table (LEFT: NULLs when none; INNER: drops the record).
Result<std::function<void(const Row&, std::vector<Row>&)>> lookup(const sql::JoinPlan& join) {
    const sql::LookupTable& table = *join.right_table;
    const sql::Schema& right = join.right_input;
    SF_ASSIGN_OR_RETURN(auto reference,
                        connectors::ReferenceTable::load(
                            table.database, table.table, right.columns[*join.lookup_column].name));
    std::vector<size_t> columns;
    for (const auto& c : right.columns) {
        auto at = reference->column(c.name);
        if (!at) {
            return Error::make(
                ErrorCode::kInvalidArgument, "table {} has no column {}", table.table, c.name);
        }
        columns.push_back(*at);
    }
    using Enrich = std::function<void(const Row&, std::vector<Row>&)>;
    return Enrich([reference,
                   columns,
                   right,
                   key = join.left_keys.front(),
                   left_outer = join.left_outer,
                   residual = join.residual](const Row& row, std::vector<Row>& out) {
        Value k = key.eval(row);
        const Row* match = is_null(k) ? nullptr : reference->find(sql::value_text(k, key.type));
        if (!match && !left_outer) {
            return;
        }
        Row joined = row;
        for (size_t i = 0; i < columns.size(); ++i) {
            if (!match) {
                joined.emplace_back();
                continue;
            }
            const Value& v = (*match)[columns[i]];
            joined.push_back(sql::cast_value(v, sql::type_of(v), right.columns[i].type));
        }
        if (passes(residual, joined)) {
            out.push_back(std::move(joined));
        }
    });
}

/// With event time from `time`, when there is one.
ops::Stream<Row> in_time(ops::Stream<Row> rows, std::optional<size_t> time) {
    if (!time) {
        return rows;
    }
    return std::move(rows).with_event_time(time_of(*time));
}

/// A window TVF's rows (a window Top-N's subquery) get window_start and window_end: NULL until
/// the Top-N's window closes and tells them.
ops::Stream<Row> with_window_bounds(ops::Stream<Row> rows, const sql::SelectPlan& plan) {
    if (!plan.window || plan.aggregates) {
        return rows;
    }
    return std::move(rows).map([](Row& row) {
        row.resize(row.size() + 2);
        return std::move(row);
    });
}

/// Drops rows with a NULL join key: `a.k = b.k` is never true for them (SQL's NULL).
ops::Stream<Row> without_null_keys(ops::Stream<Row> rows, const std::vector<sql::BoundExpr>& keys) {
    return std::move(rows).filter([keys](const Row& row) {
        return std::none_of(keys.begin(), keys.end(), [&](const sql::BoundExpr& k) {
            return is_null(k.eval(row));
        });
    });
}

/// A join of two streams: the joined rows that pass ON and WHERE, handed to `then`.
template <class Then>
Status stream_join(const sql::SelectPlan& plan, ops::Query& query, const QueryIo& io, Then then) {
    const sql::JoinPlan& join = *plan.join;
    // A regular join reads both sides without event time: it keeps every record, so nothing is
    // late, and nothing after it needs a time (only a GROUP BY without a window may follow a
    // stream join), so the joined row has no event time; a NULL in a time column is a value.
    bool timed = join.kind != sql::JoinKind::kRegular;
    std::optional<size_t> left_time = timed ? std::optional(join.left_time) : std::nullopt;
    std::optional<size_t> right_time = timed ? std::optional(join.right_time) : std::nullopt;
    auto left = in_time(
        decoded(query, io, *plan.source, plan.source_input, left_time, plan.source_tumble_ms),
        left_time);
    auto right = in_time(
        decoded(query,
                io,
                *join.right_stream,
                join.right_input,
                right_time,
                join.kind == sql::JoinKind::kWindow ? std::optional(join.window_ms) : std::nullopt),
        right_time);
    // A left join still emits its NULL-keyed left rows, unmatched.
    auto keyed = ops::connect(join.left_outer ? std::move(left)
                                              : without_null_keys(std::move(left), join.left_keys),
                              without_null_keys(std::move(right), join.right_keys))
                     .key_by(key_of(join.left_keys), key_of(join.right_keys));
    size_t right_width = join.right_input.size();
    auto to_row = [right_width](ops::JoinResult<std::string, Row, Row>& r) {
        Row row = std::move(r.left);
        if (r.right) {
            row.insert(row.end(),
                       std::make_move_iterator(r.right->begin()),
                       std::make_move_iterator(r.right->end()));
        } else {
            row.resize(row.size() + right_width);
        }
        return row;
    };
    auto on_and_where = [residual = join.residual, where = plan.where](const Row& row) {
        return passes(residual, row) && passes(where, row);
    };
    milliseconds lower(join.lower_ms), upper(join.upper_ms), size(join.window_ms);
    if (join.kind == sql::JoinKind::kRegular) {  // inner only: the planner refuses LEFT
        then(std::move(keyed).apply(ops::RegularJoin()).map(to_row).filter(on_and_where));
    } else if (join.kind == sql::JoinKind::kWindow) {
        auto spec = join.left_outer ? ops::WindowJoin(size).left() : ops::WindowJoin(size);
        then(std::move(keyed).apply(std::move(spec)).map(to_row).filter(on_and_where));
    } else {
        auto spec = join.left_outer ? ops::IntervalJoin(lower, upper).left()
                                    : ops::IntervalJoin(lower, upper);
        then(std::move(keyed).apply(std::move(spec)).map(to_row).filter(on_and_where));
    }
    return ok();
}

/// The rows a plan reading streams goes on with (read, joined, WHERE applied, with event time),
/// handed to `then`.
template <class Then>
Status with_rows(const sql::SelectPlan& plan, ops::Query& query, const QueryIo& io, Then then) {
    if (plan.join && plan.join->kind != sql::JoinKind::kLookup) {
        return stream_join(plan, query, io, std::move(then));
    }
    std::optional<size_t> time = plan.event_time_column;
    auto rows = decoded(query, io, *plan.source, plan.source_input, time, std::nullopt);
    auto where = [where = plan.where](const Row& row) {
        return passes(where, row);
    };
    if (plan.join) {
        SF_ASSIGN_OR_RETURN(auto enrich, lookup(*plan.join));
        then(in_time(std::move(rows).flat_map<Row>(std::move(enrich)).filter(where), time));
        return ok();
    }
    then(in_time(with_window_bounds(std::move(rows), plan).filter(where), time));
    return ok();
}

/// The rows of a plan that emits updates (a GROUP BY without a window, ranked or not) as
/// changes, handed to `then`.
template <class Then>
Status with_changes(const sql::SelectPlan& plan, ops::Query& query, const QueryIo& io, Then then) {
    return with_rows(plan, query, io, [&](auto rows) {
        auto changes = grouped_changes(std::move(rows), plan, *plan.aggregate_calls, io.bounded);
        if (plan.top_n) {
            then(ranked_changes(std::move(changes), *plan.top_n, io.bounded));
        } else {
            then(std::move(changes));
        }
    });
}

/// A GROUP BY over a subquery's changes: each replaced row taken back out of its group.
template <class S>
void aggregate_changes(S changes, const sql::SelectPlan& plan, const QueryIo& io) {
    aggregate_running(std::move(changes).filter([where = plan.where](const sql::RowChange& c) {
        return passes(where, c.value);
    }),
                      sql::RetractingAggregates(plan.aggregate_calls->calls()),
                      plan,
                      io);
}

}  // namespace

Status build_query(const sql::SelectPlan& plan, ops::Query& query, const QueryIo& io) {
    if (io.late) {  // an exactly-once table commits with the query's checkpoints
        query.add_sink(dynamic_cast<runtime::CheckpointParticipant*>(io.late.get()));
    }
    if (plan.updates) {
        return with_changes(*plan.updates, query, io, [&](auto changes) {
            aggregate_changes(std::move(changes), plan, io);
        });
    }
    return with_rows(plan, query, io, [&](auto rows) { route(std::move(rows), plan, io); });
}

}  // namespace shardflow::service
