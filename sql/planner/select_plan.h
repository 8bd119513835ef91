#pragma once
// A SELECT over one stream, checked and bound: what the reader side filters, how records are
// keyed and windowed, what is aggregated, and what each output row holds. build_query turns it
// into an operator graph of the runtime (the same operators C++ queries use).

#include "sql/binder/aggregate_functions.h"
#include "sql/catalog/stream_def.h"
#include "sql/planner/join_plan.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shardflow::sql {

struct WindowPlan {
    WindowKind kind = WindowKind::kTumble;
    size_t time_column = 0;  // in the input schema
    int64_t size_ms = 0;     // tumble, hop, stagger
    int64_t slide_ms = 0;    // hop
    int64_t gap_ms = 0;      // session
};

/// A window Top-N ranks each partition once, when its window closes: final, append-only rows.
struct WindowTopN {
    // The window that ranks: the TVF's own over a window TVF's rows; after a window aggregation
    // a TUMBLE of its slide (HOP) or size, which holds all the rows of one of its windows.
    WindowPlan window;
    size_t time_value = 0;       // in the inner rows: the event time the ranking window reads
    int64_t time_offset_ms = 0;  // -1 after a window aggregation: window_end - 1 is in it
    // Over a window TVF's rows, the `ranked` columns that are window_start or window_end: NULL
    // until the window closes and tells them.
    std::vector<size_t> start_columns;
    std::vector<size_t> end_columns;
};

/// A Top-N (`SELECT ... FROM (SELECT ..., ROW_NUMBER() OVER (...) AS rn FROM ...) WHERE rn <= N`)
/// after the inner SELECT's rows: each partition keeps its `limit` best rows, and after each
/// batch its ranks are emitted again (an update stream keyed by partition and rank); a window
/// Top-N emits them once, when the window closes.
struct TopNPlan {
    size_t limit = 1;
    bool rank = false;                 // RANK(): tied rows share a rank, all ranked <= limit kept
    std::optional<WindowTopN> window;  // PARTITION BY window_start, window_end over a window
    std::vector<BoundExpr> partition_keys;     // over the inner rows (SelectPlan::projection)
    std::vector<size_t> order_columns;         // of the inner rows (after `ranked`)
    std::vector<bool> descending;              // one per order column
    std::vector<std::string> partition_names;  // for EXPLAIN
    Schema ranked;           // the inner SELECT list, rownum among it: what the outer query reads
    size_t rank_column = 0;  // rownum in `ranked`
    std::optional<BoundExpr> filter;    // the outer WHERE without its rownum bound, over `ranked`
    std::vector<BoundExpr> projection;  // the outer SELECT list, over `ranked`
};

struct SelectPlan {
    // A GROUP BY over a subquery whose rows change (a GROUP BY without a window, or a Top-N over
    // one): the subquery's plan reads the streams and emits each change as the row it replaces
    // (taken back) and the new row; this plan's `input` is the subquery's output, and its
    // aggregates take the replaced rows back out of their groups. The fields before `input` are
    // then unset: see stream_reader().
    std::shared_ptr<const SelectPlan> updates;

    const StreamDef* source = nullptr;
    Schema source_input;  // the FROM stream's columns and pseudo-columns (+ window bounds in a
                          // window join)
    std::optional<int64_t> source_tumble_ms;  // window joins: the FROM side's TUMBLE
    std::optional<JoinPlan> join;
    Schema input;  // the rows WHERE and SELECT see: source_input, or the joined rows
    std::optional<BoundExpr> where;
    std::optional<size_t> event_time_column;  // the window's DESCRIPTOR column
    std::optional<WindowPlan> window;

    // Aggregation (GROUP BY or aggregate calls): rows become (keys, [window_start, window_end],
    // aggregate results), the `grouped` schema.
    bool aggregates = false;
    std::vector<BoundExpr> keys;
    std::shared_ptr<const RowAggregates> aggregate_calls;
    Schema grouped;
    std::optional<BoundExpr> having;  // over `grouped`

    std::vector<BoundExpr> projection;  // over `grouped` when aggregating, else `input`; with a
                                        // Top-N the inner's rows: `ranked` then the partition
                                        // and order values
    std::optional<TopNPlan> top_n;
    Schema output;
    std::vector<size_t> output_key;  // output columns a table upserts by (empty: append)
    // Why a running Top-N's updates have no key to upsert by (RANK(): tied rows share a rank and
    // rows drop out; or the outer SELECT leaves out the partition or the rank): only a bounded
    // run, which emits each partition once, may write them into a table or stream. A query that
    // aggregates them reads them as changes and needs no key.
    std::optional<Error> unkeyed_updates;
    EmitClause emit = EmitClause::kNone;

    /// A GROUP BY without a window (ranked by a Top-N or not): rows that change as the groups do.
    bool emits_updates() const { return updates || (aggregates && !window); }
    /// The plan that reads the streams: this one, or the innermost subquery's.
    const SelectPlan& stream_reader() const { return updates ? updates->stream_reader() : *this; }

    std::string describe() const;              // the operator graph, for EXPLAIN
    std::string describe_aggregation() const;  // from key_by on
    /// The out-of-orderness watermarks allow: the largest of the streams read.
    int64_t watermark_delay_ms() const;
    /// The streams and tables it reads (FROM and JOIN), by the names SQL gave them.
    std::vector<std::string> reads() const;
};

/// The names a SELECT can read from.
struct PlanCatalog {
    std::function<const StreamDef*(std::string_view name)> find_stream;
    std::function<const LookupTable*(std::string_view name)> find_table;
};

/// `window_rows`: a window TVF may be read without aggregating (a window Top-N's subquery): its
/// rows get window_start and window_end columns, NULL until the Top-N's window tells them.
Result<SelectPlan> plan_select(const Select& select,
                               const PlanCatalog& catalog,
                               bool window_rows = false);

/// Refuses a running Top-N without a key (SelectPlan::unkeyed_updates) into a table or stream
/// unless the run is bounded.
Status check_keyed_updates(const SelectPlan& plan, bool bounded);

/// The `input` columns `*` or `q.*` stands for: the declared columns (not pseudo-columns) of the
/// FROM stream, or of the join side q names.
Result<std::vector<size_t>> star_columns(const Expr& star, const SelectPlan& plan);

/// Whether a SELECT aggregates: GROUP BY, or an aggregate call in its list or HAVING.
bool has_aggregation(const Select& select);

/// A SELECT item's column name: its alias, the column it reads, or EXPR$<index>.
std::string output_name(const SelectItem& item, size_t index);

}  // namespace shardflow::sql
