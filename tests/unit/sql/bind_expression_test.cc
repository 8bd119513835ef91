// Bound expressions: columns and constants are read in place (no copy of a long string per
// record), anything else is computed; functions and comparisons over them give the same values.

#include "sql/binder/bound_expression.h"
#include "sql/parser/parser.h"

#include <gtest/gtest.h>

namespace shardflow::sql {
namespace {

/// The first SELECT item of `select` bound over the columns (url VARCHAR, n BIGINT).
BoundExpr bound(const std::string& select) {
    auto script = parse_script(select);
    EXPECT_TRUE(script) << script.error().message;
    const auto& items = std::get<Select>(script->front().node).items;
    Schema schema{{{"url", SqlType::kVarchar, ""}, {"n", SqlType::kBigint, ""}}};
    auto e = bind_expression(*items.front().expr, BindScope{schema, "SELECT"});
    EXPECT_TRUE(e) << e.error().message;
    return std::move(*e);
}

TEST(BindExpression, ColumnsAndConstantsAreReadInPlaceOthersComputed) {
    const Row row{std::string(100, 'u'), int64_t{7}};
    Value scratch;
    EXPECT_EQ(&value_in(bound("SELECT url FROM s"), row, scratch), &row[0]);
    const BoundExpr text = bound("SELECT 'a long constant, longer than any short string' FROM s");
    EXPECT_EQ(&value_in(text, row, scratch), text.constant.get());
    const Value& sum = value_in(bound("SELECT n + 1 FROM s"), row, scratch);
    EXPECT_EQ(&sum, &scratch);
    EXPECT_EQ(sum, Value(int64_t{8}));
}

TEST(BindExpression, FunctionsAndComparisonsOverColumnsAndConstants) {
    const Row row{std::string("https://x.com/?channel_id=42&b=1"), int64_t{7}};
    EXPECT_EQ(bound("SELECT REGEXP_EXTRACT(url, 'channel_id=([0-9]+)', 1) FROM s").eval(row),
              Value(std::string("42")));
    EXPECT_EQ(bound("SELECT UPPER(SUBSTRING(url, 1, 5)) = 'HTTPS' FROM s").eval(row), Value(true));
    EXPECT_EQ(bound("SELECT n IN (1, 7, NULL) FROM s").eval(row), Value(true));
    EXPECT_EQ(bound("SELECT n IN (1, NULL) FROM s").eval(row), Value());
    EXPECT_EQ(bound("SELECT COALESCE(NULL, url) FROM s").eval(row), row[0]);
}

}  // namespace
}  // namespace shardflow::sql
