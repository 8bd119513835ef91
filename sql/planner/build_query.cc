#include "sql/planner/build_query.h"

#include "connectors/lookup/reference_table.h"
#include "operators/aggregate/running_aggregate.h"
#include "operators/aggregate/top_n_rows.h"
#include "operators/join/interval_join.h"
#include "operators/join/regular_join.h"
#include "operators/join/window_join.h"
#include "operators/window/hopping_window.h"
#include "operators/window/session_window.h"
#include "operators/window/stagger_window.h"
#include "operators/window/tumbling_window.h"
#include "sql/planner/record_decoder.h"
#include "sql/value_ops.h"

#include <algorithm>

namespace shardflow::sql {
namespace {

using std::chrono::milliseconds;

/// Group keys travel as one string (hashable, checkpointable) and are decoded for output.
std::string encode_key(const std::vector<BoundExpr>& keys, const Row& row) {
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

bool passes(const std::optional<BoundExpr>& condition, const Row& row) {
    return !condition || condition->eval(row) == Value(true);
}

std::function<Row(Row&)> project(std::vector<BoundExpr> projection) {
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
            int c = compare_for_order(a[columns[i]], b[columns[i]]);
            if (c != 0) {
                return descending[i] ? c > 0 : c < 0;
            }
        }
        return false;
    }
};

ops::TopNRows<RankOrder> ranking_of(const TopNPlan& top) {
    return ops::TopNRows{top.limit,
                         RankOrder{top.order_columns, top.descending},
                         top.rank ? ops::TopNTies::kRank : ops::TopNTies::kRowNumber};
}

/// A partition's ranked rows, as the subquery's rows with their rank (and, over a window TVF's
/// rows, their window's bounds), then the outer WHERE and SELECT list.
std::function<
    void(std::vector<Row>&, std::optional<std::pair<int64_t, int64_t>>, std::vector<Row>&)>
emit_ranked(const TopNPlan& top) {
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
void rank_in_windows(Keyed keyed, Spec spec, const TopNPlan& top, const QueryIo& io) {
    using Ranked = ops::WindowResult<std::string, std::vector<Row>>;
    std::move(keyed)
        .apply(std::move(spec))
        .template flat_map<Row>([emit = emit_ranked(top)](Ranked& ranked, std::vector<Row>& out) {
            emit(ranked.value, std::pair(ranked.window_start, ranked.window_end), out);
        })
        .sink(io.sink);
}

/// The Top-N after the subquery's rows: each partition's best rows (a RunningAggregate of
/// TopNRows, so ties keep arrival order), emitted with their rank after each batch that touched
/// the partition, or once at the end of a bounded run; then the outer WHERE and SELECT list. A
/// window Top-N ranks in windows instead (WindowTopN).
template <class S>
void top_n(S rows, const TopNPlan& top, const QueryIo& io) {
    auto key = [keys = top.partition_keys](const Row& row) {
        return encode_key(keys, row);
    };
    if (top.window) {
        const WindowTopN& w = *top.window;
        auto keyed =
            std::move(rows)
                .with_event_time([at = w.time_value, offset = w.time_offset_ms](const Row& row) {
                    return std::get<int64_t>(row[at]) + offset;
                })
                .key_by(key);
        milliseconds size(w.window.size_ms), slide(w.window.slide_ms);
        if (w.window.kind == WindowKind::kHop) {
            return rank_in_windows(std::move(keyed),
                                   ops::HoppingWindow(size, slide).aggregate(ranking_of(top)),
                                   top,
                                   io);
        }
        return rank_in_windows(
            std::move(keyed), ops::TumblingWindow(size).aggregate(ranking_of(top)), top, io);
    }
    using Ranked = ops::KeyedResult<std::string, std::vector<Row>>;
    auto ranking = ops::RunningAggregate(ranking_of(top));
    if (io.bounded) {
        ranking = std::move(ranking).final_only();
    }
    std::move(rows)
        .key_by(key)
        .apply(std::move(ranking))
        .template flat_map<Row>([emit = emit_ranked(top)](Ranked& ranked, std::vector<Row>& out) {
            emit(ranked.value, std::nullopt, out);
        })
        .sink(io.sink);
}

/// HAVING, then the SELECT list (then a Top-N), then the sink: the end every plan shares.
template <class S>
void finish(S stream, const SelectPlan& plan, const QueryIo& io) {
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
void window_with(Keyed keyed, Spec spec, const SelectPlan& plan, const QueryIo& io) {
    if (io.late) {
        spec = std::move(spec).template late_to<Row>(io.late);
    }
    finish(std::move(keyed).apply(std::move(spec)).map(window_row), plan, io);
}

template <class Keyed>
void windowed(Keyed keyed, const SelectPlan& plan, const QueryIo& io) {
    const WindowPlan& w = *plan.window;
    const RowAggregates& aggs = *plan.aggregate_calls;
    auto emit = plan.emit == EmitClause::kChanges ? ops::EmitMode::kChanges : ops::EmitMode::kFinal;
    milliseconds size(w.size_ms), slide(w.slide_ms), gap(w.gap_ms);
    switch (w.kind) {
        case WindowKind::kTumble:
            return window_with(
                std::move(keyed), ops::TumblingWindow(size).emit(emit).aggregate(aggs), plan, io);
        case WindowKind::kHop:
            return window_with(
                std::move(keyed), ops::HoppingWindow(size, slide).aggregate(aggs), plan, io);
        case WindowKind::kSession:
            return window_with(std::move(keyed), ops::SessionWindow(gap).aggregate(aggs), plan, io);
        case WindowKind::kStagger:
            return window_with(
                std::move(keyed), ops::StaggerWindow(size).aggregate(aggs), plan, io);
    }
}

template <class S>
void route(S rows, const SelectPlan& plan, const QueryIo& io) {
    if (!plan.aggregates) {
        return finish(std::move(rows), plan, io);
    }
    auto keyed = std::move(rows).key_by(
        [keys = plan.keys](const Row& row) { return encode_key(keys, row); });
    if (plan.window) {
        return windowed(std::move(keyed), plan, io);
    }
    auto running = ops::RunningAggregate(*plan.aggregate_calls);
    if (io.bounded) {
        running = std::move(running).final_only();
    }
    finish(
        std::move(keyed).apply(std::move(running)).map([](ops::KeyedResult<std::string, Row>& r) {
            Row row = decode_key(r.key);
            for (auto& v : r.value) {
                row.push_back(std::move(v));
            }
            return row;
        }),
        plan,
        io);
}

}  // namespace

connectors::ShardSourceOptions source_options(const StreamDef& def) {
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
                         const StreamDef& def,
                         const Schema& schema,
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
Result<std::function<void(const Row&, std::vector<Row>&)>> lookup(const JoinPlan& join) {
    const LookupTable& table = *join.right_table;
    const Schema& right = join.right_input;
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
        const connectors::SqlRow* match =
            is_null(k) ? nullptr : reference->find(value_text(k, key.type));
        if (!match && !left_outer) {
            return;
        }
        Row joined = row;
        for (size_t i = 0; i < columns.size(); ++i) {
            if (!match) {
                joined.emplace_back();
                continue;
            }
            Value v = std::visit([](const auto& x) { return Value(x); }, (*match)[columns[i]]);
            joined.push_back(cast_value(v, type_of(v), right.columns[i].type));
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
ops::Stream<Row> with_window_bounds(ops::Stream<Row> rows, const SelectPlan& plan) {
    if (!plan.window || plan.aggregates) {
        return rows;
    }
    return std::move(rows).map([](Row& row) {
        row.resize(row.size() + 2);
        return std::move(row);
    });
}

/// Drops rows with a NULL join key: `a.k = b.k` is never true for them (SQL's NULL).
ops::Stream<Row> without_null_keys(ops::Stream<Row> rows, const std::vector<BoundExpr>& keys) {
    return std::move(rows).filter([keys](const Row& row) {
        return std::none_of(
            keys.begin(), keys.end(), [&](const BoundExpr& k) { return is_null(k.eval(row)); });
    });
}

Status stream_join(const SelectPlan& plan, ops::Query& query, const QueryIo& io) {
    const JoinPlan& join = *plan.join;
    // A regular join reads both sides without event time: it keeps every record, so nothing is
    // late, and nothing after it needs a time (GROUP BY over a stream join is refused), so the
    // joined row has no event time; a NULL in a time column is just a value there.
    bool timed = join.kind != JoinKind::kRegular;
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
                join.kind == JoinKind::kWindow ? std::optional(join.window_ms) : std::nullopt),
        right_time);
    // A left join still emits its NULL-keyed left rows, unmatched.
    auto keyed =
        ops::connect(
            join.left_outer ? std::move(left) : without_null_keys(std::move(left), join.left_keys),
            without_null_keys(std::move(right), join.right_keys))
            .key_by([keys = join.left_keys](const Row& r) { return encode_key(keys, r); },
                    [keys = join.right_keys](const Row& r) { return encode_key(keys, r); });
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
    if (join.kind == JoinKind::kRegular) {  // inner only: the planner refuses LEFT
        finish(
            std::move(keyed).apply(ops::RegularJoin()).map(to_row).filter(on_and_where), plan, io);
    } else if (join.kind == JoinKind::kWindow) {
        auto spec = join.left_outer ? ops::WindowJoin(size).left() : ops::WindowJoin(size);
        finish(std::move(keyed).apply(std::move(spec)).map(to_row).filter(on_and_where), plan, io);
    } else {
        auto spec = join.left_outer ? ops::IntervalJoin(lower, upper).left()
                                    : ops::IntervalJoin(lower, upper);
        finish(std::move(keyed).apply(std::move(spec)).map(to_row).filter(on_and_where), plan, io);
    }
    return ok();
}

}  // namespace

Status build_query(const SelectPlan& plan, ops::Query& query, const QueryIo& io) {
    if (io.late) {  // an exactly-once table commits with the query's checkpoints
        query.add_sink(dynamic_cast<runtime::CheckpointParticipant*>(io.late.get()));
    }
    if (plan.join && plan.join->kind != JoinKind::kLookup) {
        return stream_join(plan, query, io);
    }
    std::optional<size_t> time = plan.event_time_column;
    auto rows = decoded(query, io, *plan.source, plan.source_input, time, std::nullopt);
    auto where = [where = plan.where](const Row& row) {
        return passes(where, row);
    };
    if (plan.join) {
        SF_ASSIGN_OR_RETURN(auto enrich, lookup(*plan.join));
        route(in_time(std::move(rows).flat_map<Row>(std::move(enrich)).filter(where), time),
              plan,
              io);
        return ok();
    }
    route(in_time(with_window_bounds(std::move(rows), plan).filter(where), time), plan, io);
    return ok();
}

}  // namespace shardflow::sql
