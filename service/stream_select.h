#pragma once
// A SELECT over streams, run to its end outside the engine's lock: bounded (to the tail of every
// shard, then ORDER BY and LIMIT) or a push query (EMIT CHANGES, until its LIMIT, the caller's
// stop or its time on HTTP), either within the statement's deadline.

#include "engine/store/stream_store.h"
#include "service/statement_io.h"
#include "sql/ast.h"
#include "sql/planner/select_plan.h"

namespace shardflow::service {

struct StreamSelectLimits {
    size_t workers = 0;  // 0: one per core
    /// The rows it may gather (text bytes, about): a bounded SELECT keeps every row until its
    /// ORDER BY; beyond this it fails instead of taking the server's memory.
    size_t max_result_bytes = 64 << 20;
    size_t max_state_bytes = size_t{1} << 30;  // see StateBudget
};

/// `plan` is `select`'s; both must outlive the call, as must the streams the plan reads.
Result<ResultSet> run_stream_select(const sql::Select& select,
                                    const sql::SelectPlan& plan,
                                    store::StreamStore& store,
                                    const PushOptions& push,
                                    const StatementDeadline& deadline,
                                    const StreamSelectLimits& limits);

}  // namespace shardflow::service
