#include "sql/binder/retracting_aggregates.h"

#include "sql/value_ops.h"

namespace shardflow::sql {
namespace {

Value negated(const Value& v) {
    if (const auto* i = std::get_if<int64_t>(&v); i && *i != INT64_MIN) {
        return -*i;
    }
    return -as_double(v);
}

}  // namespace

bool can_retract(AggregateKind kind) {
    switch (kind) {
        case AggregateKind::kCount:
        case AggregateKind::kSum:
        case AggregateKind::kMin:
        case AggregateKind::kMax:
        case AggregateKind::kAvg:
        case AggregateKind::kCountDistinct:
            return true;
        default:
            return false;
    }
}

void RetractingAggregates::add(std::vector<RetractableState>& acc, const RowChange& change) const {
    const int64_t weight = change.retract ? -1 : 1;
    for (size_t i = 0; i < calls_.size(); ++i) {
        const AggregateCall& call = calls_[i];
        RetractableState& s = acc[i];
        if (!call.arg) {  // COUNT(*)
            s.count += weight;
            continue;
        }
        Value v = call.arg->eval(change.value);
        if (is_null(v)) {
            continue;  // aggregates skip NULLs
        }
        switch (call.kind) {
            case AggregateKind::kSum:
            case AggregateKind::kAvg:
                s.count += weight;
                // An empty group starts again from NULL: no rounding left over from doubles.
                s.sum =
                    s.count == 0 ? Value{} : add_numbers(s.sum, change.retract ? negated(v) : v);
                break;
            case AggregateKind::kMin:
            case AggregateKind::kMax:
            case AggregateKind::kCountDistinct: {
                auto it = s.values.try_emplace(std::move(v), 0).first;
                if ((it->second += weight) <= 0) {
                    s.values.erase(it);
                }
                break;
            }
            default:  // COUNT(x)
                s.count += weight;
                break;
        }
    }
}

Row RetractingAggregates::result(const std::vector<RetractableState>& acc) const {
    Row out;
    out.reserve(calls_.size());
    for (size_t i = 0; i < calls_.size(); ++i) {
        const RetractableState& s = acc[i];
        const AggregateCall& call = calls_[i];
        switch (call.kind) {
            case AggregateKind::kSum:
                out.push_back(sum_of_type(s.sum, call.type));
                break;
            case AggregateKind::kAvg:
                out.push_back(s.count > 0 ? Value(as_double(s.sum) / static_cast<double>(s.count))
                                          : Value{});
                break;
            case AggregateKind::kMin:
                out.push_back(s.values.empty() ? Value{} : s.values.begin()->first);
                break;
            case AggregateKind::kMax:
                out.push_back(s.values.empty() ? Value{} : s.values.rbegin()->first);
                break;
            case AggregateKind::kCountDistinct:
                out.emplace_back(static_cast<int64_t>(s.values.size()));
                break;
            default:
                out.emplace_back(s.count);
                break;
        }
    }
    return out;
}

}  // namespace shardflow::sql
