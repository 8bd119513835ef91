#pragma once
// The aggregates of a GROUP BY over an update stream (FROM a subquery that aggregates without a
// window): each change takes the row it replaces back out of its group before the new row goes
// in, so every aggregate must be able to remove a value. COUNT, SUM and AVG keep counts and
// sums; MIN, MAX and COUNT(DISTINCT) keep how often each value occurs.

#include "operators/aggregate/change.h"
#include "sql/binder/aggregate_functions.h"

#include <map>
#include <optional>
#include <vector>

namespace shardflow::sql {

using RowChange = ops::Change<Row>;

/// The kinds an aggregate over an update stream supports, for the error naming the others.
bool can_retract(AggregateKind kind);

struct RetractableState {
    int64_t count = 0;                // rows for COUNT(*), else non-NULL values
    Value sum;                        // SUM and AVG: NULL when nothing is summed
    std::map<Value, int64_t> values;  // MIN, MAX, COUNT(DISTINCT): how many of each
    static auto fields(auto& self) { return std::tie(self.count, self.sum, self.values); }
};

/// Every aggregate call of a query over RowChanges: Acc is one RetractableState per call, the
/// result a row of their values in call order (as RowAggregates gives it).
class RetractingAggregates {
public:
    /// Every call can_retract().
    explicit RetractingAggregates(std::vector<AggregateCall> calls)
        : calls_(std::move(calls)) {}

    template <class T>
    std::vector<RetractableState> init() const {
        return std::vector<RetractableState>(calls_.size());
    }
    void add(std::vector<RetractableState>& acc, const RowChange& change) const;
    Row result(const std::vector<RetractableState>& acc) const;

private:
    std::vector<AggregateCall> calls_;
};

}  // namespace shardflow::sql
