#pragma once
// The SQL aggregate functions (COUNT, SUM, MIN, MAX, AVG, COUNT(DISTINCT), APPROX_COUNT_DISTINCT,
// APPROX_PERCENTILE, TOP_K, FIRST_VALUE, LAST_VALUE) as one aggregate over rows that the
// runtime's window and running-aggregate operators take like any C++ aggregate
// (operators/aggregate/aggregates.h): an accumulator per call, merged for hopping panes.

#include "engine/runtime/state_codec.h"
#include "operators/aggregate/distinct.h"
#include "operators/aggregate/percentile.h"
#include "sql/binder/bound_expression.h"

#include <map>
#include <set>
#include <string_view>
#include <variant>
#include <vector>

namespace shardflow::sql {

bool is_aggregate_function(std::string_view upper_name);

enum class AggregateKind : uint8_t {
    kCount,  // COUNT(x) counts non-NULL x; COUNT(*) counts rows
    kSum,
    kMin,
    kMax,
    kAvg,
    kCountDistinct,
    kApproxCountDistinct,
    kApproxPercentile,
    kTopK,
    kFirstValue,
    kLastValue,
};

/// One aggregate call of a query, bound: `arg` is empty for COUNT(*).
struct AggregateCall {
    AggregateKind kind = AggregateKind::kCount;
    std::optional<BoundExpr> arg;
    double parameter = 0;  // the percentile, or k
    SqlType type = SqlType::kBigint;
};

/// Binds an aggregate call (e.kind == kFunction, is_aggregate_function(e.name)) against the
/// rows it aggregates.
Result<AggregateCall> bind_aggregate(const Expr& e, const BindScope& scope);

/// A SUM's running sum (add_numbers keeps BIGINT while it fits) as the call's type.
Value sum_of_type(const Value& sum, SqlType type);

struct AvgState {
    double sum = 0;
    int64_t count = 0;
    static auto fields(auto& self) { return std::tie(self.sum, self.count); }
};

using AggState = std::variant<int64_t,                        // COUNT
                              Value,                          // SUM, MIN, MAX, FIRST, LAST
                              AvgState,                       // AVG
                              std::set<Value>,                // COUNT(DISTINCT)
                              std::vector<ops::HyperLogLog>,  // one, on the heap (4 KiB)
                              ops::TDigest,                   // APPROX_PERCENTILE
                              std::map<Value, int64_t>>;      // TOP_K: counts per value

/// Every aggregate call of a query over rows: Acc is one AggState per call, the result a row
/// of their values in call order.
class RowAggregates {
public:
    explicit RowAggregates(std::vector<AggregateCall> calls)
        : calls_(std::move(calls)) {}

    template <class T>
    std::vector<AggState> init() const {
        return empty();
    }
    void add(std::vector<AggState>& acc, const Row& row) const;
    void merge(std::vector<AggState>& acc, const std::vector<AggState>& other) const;
    Row result(const std::vector<AggState>& acc) const;

    const std::vector<AggregateCall>& calls() const { return calls_; }

private:
    std::vector<AggState> empty() const;

    std::vector<AggregateCall> calls_;
};

}  // namespace shardflow::sql
