#include "sql/planner/build_query.h"

#include "operators/aggregate/running_aggregate.h"
#include "operators/window/hopping_window.h"
#include "operators/window/session_window.h"
#include "operators/window/stagger_window.h"
#include "operators/window/tumbling_window.h"
#include "sql/planner/record_decoder.h"
#include "sql/value_ops.h"

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

/// HAVING, then the SELECT list, then the sink: the end every plan shares.
template <class S>
void finish(S stream, const SelectPlan& plan, const QueryIo& io) {
    std::move(stream)
        .filter([having = plan.having](const Row& row) { return passes(having, row); })
        .map([projection = plan.projection](Row& row) {
            Row out;
            out.reserve(projection.size());
            for (const auto& e : projection) {
                out.push_back(e.eval(row));
            }
            return out;
        })
        .sink(io.sink);
}

template <class Keyed>
void windowed(Keyed keyed, const SelectPlan& plan, const QueryIo& io) {
    const WindowPlan& w = *plan.window;
    auto to_row = [](ops::WindowResult<std::string, Row>& r) {
        Row row = decode_key(r.key);
        row.emplace_back(r.window_start);
        row.emplace_back(r.window_end);
        for (auto& v : r.value) {
            row.push_back(std::move(v));
        }
        return row;
    };
    const RowAggregates& aggs = *plan.aggregate_calls;
    auto emit = plan.emit == EmitClause::kChanges ? ops::EmitMode::kChanges : ops::EmitMode::kFinal;
    switch (w.kind) {
        case WindowKind::kTumble:
            return finish(
                std::move(keyed)
                    .apply(ops::TumblingWindow(milliseconds(w.size_ms)).emit(emit).aggregate(aggs))
                    .map(to_row),
                plan,
                io);
        case WindowKind::kHop:
            return finish(
                std::move(keyed)
                    .apply(ops::HoppingWindow(milliseconds(w.size_ms), milliseconds(w.slide_ms))
                               .aggregate(aggs))
                    .map(to_row),
                plan,
                io);
        case WindowKind::kSession:
            return finish(std::move(keyed)
                              .apply(ops::SessionWindow(milliseconds(w.gap_ms)).aggregate(aggs))
                              .map(to_row),
                          plan,
                          io);
        case WindowKind::kStagger:
            return finish(std::move(keyed)
                              .apply(ops::StaggerWindow(milliseconds(w.size_ms)).aggregate(aggs))
                              .map(to_row),
                          plan,
                          io);
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
    finish(std::move(keyed)
               .apply(ops::RunningAggregate(*plan.aggregate_calls))
               .map([](ops::KeyedResult<std::string, Row>& r) {
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

void build_query(const SelectPlan& plan, ops::Query& query, const QueryIo& io) {
    const StreamDef& def = *plan.source;
    auto source =
        std::make_shared<connectors::ShardSource>(io.store, def.store_stream, source_options(def));
    std::optional<size_t> time = plan.event_time_column;
    std::string time_name = time ? plan.input.columns[*time].name : "";
    auto decode = [decoder = RecordDecoder(def), time, time_name](
                      const connectors::ShardRecord& record) mutable -> Result<Row> {
        SF_ASSIGN_OR_RETURN(Row row, decoder(record));
        if (time && is_null(row[*time])) {
            return Error::make(ErrorCode::kInvalidArgument, "event time '{}' is NULL", time_name);
        }
        return row;
    };
    auto rows = query.source<connectors::ShardRecord>(source)
                    .try_map(std::move(decode), io.errors)
                    .filter([where = plan.where](const Row& row) { return passes(where, row); });
    if (!time) {
        return route(std::move(rows), plan, io);
    }
    route(std::move(rows).with_event_time(
              [c = *time](const Row& row) { return std::get<int64_t>(row[c]); }),
          plan,
          io);
}

}  // namespace shardflow::sql
