#include "sql/binder/aggregate_functions.h"

#include "sql/sql_error.h"
#include "sql/value_ops.h"

#include <algorithm>
#include <map>

namespace shardflow::sql {
namespace {

const std::map<std::string, AggregateKind, std::less<>>& kinds() {
    static const std::map<std::string, AggregateKind, std::less<>> all{
        {"COUNT", AggregateKind::kCount},
        {"SUM", AggregateKind::kSum},
        {"MIN", AggregateKind::kMin},
        {"MAX", AggregateKind::kMax},
        {"AVG", AggregateKind::kAvg},
        {"APPROX_COUNT_DISTINCT", AggregateKind::kApproxCountDistinct},
        {"APPROX_PERCENTILE", AggregateKind::kApproxPercentile},
        {"TOP_K", AggregateKind::kTopK},
        {"FIRST_VALUE", AggregateKind::kFirstValue},
        {"LAST_VALUE", AggregateKind::kLastValue},
    };
    return all;
}

bool numeric(SqlType t) {
    return t == SqlType::kBigint || t == SqlType::kDouble || t == SqlType::kNull;
}

uint64_t value_hash(const Value& v) {
    return std::hash<std::string>{}(value_text(v, SqlType::kVarchar)) ^
           (v.index() * 0x9e3779b97f4a7c15ULL);
}

/// TOP_K's result: the k most frequent values, most frequent first (ties by value), as a JSON
/// array of their text.
Value top_k_text(const std::map<Value, int64_t>& counts, size_t k, SqlType type) {
    std::vector<std::pair<Value, int64_t>> top(counts.begin(), counts.end());
    std::stable_sort(
        top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    top.resize(std::min(k, top.size()));
    std::string out = "[";
    for (size_t i = 0; i < top.size(); ++i) {
        std::string text = value_text(top[i].first, type);
        bool quote = type == SqlType::kVarchar || type == SqlType::kTimestamp;
        out += (i ? "," : "") + (quote ? "\"" + text + "\"" : text);
    }
    return out + "]";
}

}  // namespace

Value sum_of_type(const Value& sum, SqlType type) {
    return type == SqlType::kDouble && !is_null(sum) ? Value(as_double(sum)) : sum;
}

bool is_aggregate_function(std::string_view upper_name) {
    return kinds().contains(upper_name);
}

Result<AggregateCall> bind_aggregate(const Expr& e, const BindScope& scope) {
    AggregateCall call;
    call.kind = kinds().find(e.name)->second;
    bool star = e.args.size() == 1 && e.args[0]->kind == ExprKind::kStar;
    if (call.kind == AggregateKind::kCount && e.distinct) {
        call.kind = AggregateKind::kCountDistinct;
    } else if (e.distinct) {
        return sql_error(e.pos, "DISTINCT is supported in COUNT only, not in {}", e.name);
    }
    size_t wanted =
        call.kind == AggregateKind::kApproxPercentile || call.kind == AggregateKind::kTopK ? 2 : 1;
    if (e.args.size() != wanted) {
        return sql_error(e.pos,
                         "{} takes {} argument{}, not {}",
                         e.name,
                         wanted,
                         wanted > 1 ? "s" : "",
                         e.args.size());
    }
    if (star && call.kind != AggregateKind::kCount) {
        return sql_error(e.pos, "{}(*) is not allowed; only COUNT(*)", e.name);
    }
    if (!star) {
        BindScope inner{scope.schema, e.name};
        SF_ASSIGN_OR_RETURN(auto arg, bind_expression(*e.args[0], inner));
        call.arg = std::move(arg);
    }
    if (wanted == 2) {
        SF_ASSIGN_OR_RETURN(Value p, constant_value(*e.args[1], e.name));
        call.parameter = as_double(p);
        bool percentile = call.kind == AggregateKind::kApproxPercentile;
        if (percentile ? !(call.parameter >= 0 && call.parameter <= 1)
                       : !(call.parameter >= 1 && call.parameter <= 1000)) {
            return sql_error(e.args[1]->pos,
                             "{}'s second argument must be a constant {}",
                             e.name,
                             percentile ? "between 0 and 1" : "count between 1 and 1000");
        }
    }
    SqlType arg = call.arg ? call.arg->type : SqlType::kNull;
    switch (call.kind) {
        case AggregateKind::kCount:
        case AggregateKind::kCountDistinct:
        case AggregateKind::kApproxCountDistinct:
            call.type = SqlType::kBigint;
            break;
        case AggregateKind::kSum:
        case AggregateKind::kAvg:
        case AggregateKind::kApproxPercentile:
            if (!numeric(arg)) {
                return sql_error(e.pos, "{} needs a number, not {}", e.name, type_name(arg));
            }
            call.type = call.kind == AggregateKind::kSum && arg == SqlType::kBigint
                            ? SqlType::kBigint
                            : SqlType::kDouble;
            break;
        case AggregateKind::kTopK:
            call.type = SqlType::kVarchar;
            break;
        default:
            call.type = arg;
            break;
    }
    return call;
}

std::vector<AggState> RowAggregates::empty() const {
    std::vector<AggState> acc;
    acc.reserve(calls_.size());
    for (const auto& call : calls_) {
        switch (call.kind) {
            case AggregateKind::kCount:
                acc.emplace_back(int64_t{0});
                break;
            case AggregateKind::kAvg:
                acc.emplace_back(AvgState{});
                break;
            case AggregateKind::kCountDistinct:
                acc.emplace_back(std::set<Value>{});
                break;
            case AggregateKind::kApproxCountDistinct:
                acc.emplace_back(std::vector<ops::HyperLogLog>(1));
                break;
            case AggregateKind::kApproxPercentile:
                acc.emplace_back(ops::TDigest{});
                break;
            case AggregateKind::kTopK:
                acc.emplace_back(std::map<Value, int64_t>{});
                break;
            default:
                acc.emplace_back(Value{});
                break;
        }
    }
    return acc;
}

void RowAggregates::add(std::vector<AggState>& acc, const Row& row) const {
    for (size_t i = 0; i < calls_.size(); ++i) {
        const AggregateCall& call = calls_[i];
        if (!call.arg) {  // COUNT(*)
            ++std::get<int64_t>(acc[i]);
            continue;
        }
        Value v = call.arg->eval(row);
        if (is_null(v)) {
            continue;  // aggregates skip NULLs
        }
        AggState& s = acc[i];
        switch (call.kind) {
            case AggregateKind::kCount:
                ++std::get<int64_t>(s);
                break;
            case AggregateKind::kSum:
                std::get<Value>(s) = add_numbers(std::get<Value>(s), v);
                break;
            case AggregateKind::kMin:
            case AggregateKind::kMax: {
                Value& best = std::get<Value>(s);
                int c = is_null(best) ? 0 : compare_values(v, best);
                if (is_null(best) || (call.kind == AggregateKind::kMin ? c < 0 : c > 0)) {
                    best = std::move(v);
                }
                break;
            }
            case AggregateKind::kAvg: {
                auto& avg = std::get<AvgState>(s);
                avg.sum += as_double(v);
                ++avg.count;
                break;
            }
            case AggregateKind::kCountDistinct:
                std::get<std::set<Value>>(s).insert(std::move(v));
                break;
            case AggregateKind::kApproxCountDistinct:
                std::get<std::vector<ops::HyperLogLog>>(s)[0].add_hash(value_hash(v));
                break;
            case AggregateKind::kApproxPercentile:
                std::get<ops::TDigest>(s).add(as_double(v));
                break;
            case AggregateKind::kTopK:
                ++std::get<std::map<Value, int64_t>>(s)[std::move(v)];
                break;
            case AggregateKind::kFirstValue:
                if (is_null(std::get<Value>(s))) {
                    std::get<Value>(s) = std::move(v);
                }
                break;
            case AggregateKind::kLastValue:
                std::get<Value>(s) = std::move(v);
                break;
        }
    }
}

void RowAggregates::merge(std::vector<AggState>& acc, const std::vector<AggState>& other) const {
    for (size_t i = 0; i < calls_.size(); ++i) {
        AggState& s = acc[i];
        const AggState& o = other[i];
        switch (calls_[i].kind) {
            case AggregateKind::kCount:
                std::get<int64_t>(s) += std::get<int64_t>(o);
                break;
            case AggregateKind::kSum:
                if (!is_null(std::get<Value>(o))) {
                    std::get<Value>(s) = add_numbers(std::get<Value>(s), std::get<Value>(o));
                }
                break;
            case AggregateKind::kMin:
            case AggregateKind::kMax: {
                const Value& v = std::get<Value>(o);
                Value& best = std::get<Value>(s);
                bool min = calls_[i].kind == AggregateKind::kMin;
                if (!is_null(v) && (is_null(best) || (min ? compare_values(v, best) < 0
                                                          : compare_values(v, best) > 0))) {
                    best = v;
                }
                break;
            }
            case AggregateKind::kAvg:
                std::get<AvgState>(s).sum += std::get<AvgState>(o).sum;
                std::get<AvgState>(s).count += std::get<AvgState>(o).count;
                break;
            case AggregateKind::kCountDistinct: {
                const auto& values = std::get<std::set<Value>>(o);
                std::get<std::set<Value>>(s).insert(values.begin(), values.end());
                break;
            }
            case AggregateKind::kApproxCountDistinct:
                std::get<std::vector<ops::HyperLogLog>>(s)[0].merge(
                    std::get<std::vector<ops::HyperLogLog>>(o)[0]);
                break;
            case AggregateKind::kApproxPercentile:
                std::get<ops::TDigest>(s).merge(std::get<ops::TDigest>(o));
                break;
            case AggregateKind::kTopK:
                for (const auto& [v, n] : std::get<std::map<Value, int64_t>>(o)) {
                    std::get<std::map<Value, int64_t>>(s)[v] += n;
                }
                break;
            case AggregateKind::kFirstValue:  // `acc` is the older part: it keeps its first
                if (is_null(std::get<Value>(s))) {
                    std::get<Value>(s) = std::get<Value>(o);
                }
                break;
            case AggregateKind::kLastValue:
                if (!is_null(std::get<Value>(o))) {
                    std::get<Value>(s) = std::get<Value>(o);
                }
                break;
        }
    }
}

Row RowAggregates::result(const std::vector<AggState>& acc) const {
    Row out;
    out.reserve(calls_.size());
    for (size_t i = 0; i < calls_.size(); ++i) {
        const AggState& s = acc[i];
        const AggregateCall& call = calls_[i];
        switch (call.kind) {
            case AggregateKind::kCount:
                out.emplace_back(std::get<int64_t>(s));
                break;
            case AggregateKind::kAvg: {
                const auto& avg = std::get<AvgState>(s);
                out.push_back(avg.count ? Value(avg.sum / avg.count) : Value{});
                break;
            }
            case AggregateKind::kCountDistinct:
                out.emplace_back(static_cast<int64_t>(std::get<std::set<Value>>(s).size()));
                break;
            case AggregateKind::kApproxCountDistinct:
                out.emplace_back(std::get<std::vector<ops::HyperLogLog>>(s)[0].estimate());
                break;
            case AggregateKind::kApproxPercentile: {
                ops::TDigest copy = std::get<ops::TDigest>(s);  // quantile() compresses
                double q = copy.quantile(call.parameter);
                out.push_back(std::isnan(q) ? Value{} : Value(q));
                break;
            }
            case AggregateKind::kTopK:
                out.push_back(top_k_text(std::get<std::map<Value, int64_t>>(s),
                                         static_cast<size_t>(call.parameter),
                                         call.arg->type));
                break;
            case AggregateKind::kSum:
                out.push_back(sum_of_type(std::get<Value>(s), call.type));
                break;
            default:
                out.push_back(std::get<Value>(s));
                break;
        }
    }
    return out;
}

}  // namespace shardflow::sql
