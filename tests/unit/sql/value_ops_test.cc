// Values at run time: timestamps shown, conversions that fail give NULL, LIKE,
// comparisons across numeric types, and the SQL aggregates' merge (hopping panes).

#include "sql/value_ops.h"

#include "sql/binder/aggregate_functions.h"
#include "sql/binder/operators.h"

#include <gtest/gtest.h>

namespace shardflow::sql {
namespace {

TEST(Timestamps, ShowWithMilliseconds) {
    EXPECT_EQ(value_text(Value(int64_t{1500}), SqlType::kTimestamp), "1970-01-01 00:00:01.500");
}

TEST(Casts, FailedConversionsAreNull) {
    EXPECT_EQ(cast_value(std::string("42"), SqlType::kVarchar, SqlType::kBigint),
              Value(int64_t{42}));
    EXPECT_EQ(cast_value(std::string("4x"), SqlType::kVarchar, SqlType::kBigint), Value());
    EXPECT_EQ(cast_value(2.9, SqlType::kDouble, SqlType::kBigint), Value(int64_t{2}));
    EXPECT_EQ(cast_value(1e300, SqlType::kDouble, SqlType::kBigint), Value());
    EXPECT_EQ(cast_value(std::string("true"), SqlType::kVarchar, SqlType::kBoolean), Value(true));
    EXPECT_EQ(cast_value(std::string("maybe"), SqlType::kVarchar, SqlType::kBoolean), Value());
    EXPECT_EQ(
        cast_value(std::string("1970-01-01 00:00:02"), SqlType::kVarchar, SqlType::kTimestamp),
        Value(int64_t{2000}));
    EXPECT_EQ(cast_value(int64_t{2000}, SqlType::kTimestamp, SqlType::kVarchar),
              Value(std::string("1970-01-01 00:00:02.000")));
    EXPECT_EQ(cast_value(Value(), SqlType::kVarchar, SqlType::kBigint), Value());
}

TEST(Compare, NumbersAcrossTypesAndStringsBytewise) {
    EXPECT_EQ(compare_values(int64_t{2}, 2.0), 0);
    EXPECT_LT(compare_values(int64_t{2}, 2.5), 0);
    EXPECT_GT(compare_values(std::string("b"), std::string("a")), 0);
    EXPECT_LT(compare_values(false, true), 0);
    // Beyond 2^53 doubles lose integers: two BIGINTs still compare exactly.
    EXPECT_LT(compare_values(int64_t{9007199254740993}, int64_t{9007199254740994}), 0);
}

TEST(Like, PercentAndUnderscore) {
    EXPECT_TRUE(like_match("/home/index", "/home%"));
    EXPECT_TRUE(like_match("/home", "%home"));
    EXPECT_TRUE(like_match("abc", "a_c"));
    EXPECT_TRUE(like_match("", "%"));
    EXPECT_TRUE(like_match("a%b", "a%b"));
    EXPECT_FALSE(like_match("abc", "a_"));
    EXPECT_FALSE(like_match("abc", "b%"));
    EXPECT_TRUE(like_match("aaab", "%a%b"));
}

/// A bound column reference, for aggregate calls over rows of one column.
BoundExpr column0(SqlType type) {
    return BoundExpr{type, [](const Row& row) {
                         return row[0];
                     }};
}

TEST(RowAggregates, MergeOfPartsEqualsOneAccumulator) {
    std::vector<AggregateCall> calls;
    for (AggregateKind kind : {AggregateKind::kCount,
                               AggregateKind::kSum,
                               AggregateKind::kMin,
                               AggregateKind::kMax,
                               AggregateKind::kAvg,
                               AggregateKind::kCountDistinct,
                               AggregateKind::kFirstValue,
                               AggregateKind::kLastValue}) {
        AggregateCall call;
        call.kind = kind;
        call.arg = column0(SqlType::kBigint);
        call.type = kind == AggregateKind::kAvg ? SqlType::kDouble : SqlType::kBigint;
        calls.push_back(call);
    }
    RowAggregates aggs(calls);
    auto whole = aggs.init<Row>();
    auto older = aggs.init<Row>();
    auto newer = aggs.init<Row>();
    std::vector<Value> values{int64_t{5}, Value(), int64_t{-3}, int64_t{5}, int64_t{9}};
    for (size_t i = 0; i < values.size(); ++i) {
        Row row{values[i]};
        aggs.add(whole, row);
        aggs.add(i < 2 ? older : newer, row);
    }
    aggs.merge(older, newer);
    Row expected{
        int64_t{4}, int64_t{16}, int64_t{-3}, int64_t{9}, 4.0, int64_t{3}, int64_t{5}, int64_t{9}};
    EXPECT_EQ(aggs.result(whole), expected);
    EXPECT_EQ(aggs.result(older), expected);
}

}  // namespace
}  // namespace shardflow::sql
