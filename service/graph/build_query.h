#pragma once
// Builds the runtime operator graph of a planned SELECT: shard source -> decode (bad records to
// the error output) -> WHERE -> event time -> key -> window / running aggregate -> HAVING ->
// SELECT list -> the sink the statement writes to.

#include "connectors/shard_source/shard_source.h"
#include "operators/query.h"
#include "sql/planner/select_plan.h"

#include <memory>

namespace shardflow::service {

using RowSink = std::shared_ptr<runtime::Downstream<Row>>;
using ErrorSink = std::shared_ptr<runtime::Downstream<ops::Rejected<connectors::ShardRecord>>>;

struct QueryIo {
    store::StreamStore& store;
    RowSink sink;
    ErrorSink errors;
    RowSink late = nullptr;  // rows (of SelectPlan::input) later than their window, or dropped
    /// The run stops at the tail: aggregates without a window emit each group's final value
    /// then, instead of every change.
    bool bounded = false;
};

/// Where a stream definition's `start` reads from.
connectors::ShardSourceOptions source_options(const sql::StreamDef& def);

/// Fails when a lookup join's table cannot be read.
Status build_query(const sql::SelectPlan& plan, ops::Query& query, const QueryIo& io);

}  // namespace shardflow::service
