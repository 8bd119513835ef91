// What footprint() counts of a value: its size, and what strings, vectors, variants and
// optionals own on the heap; and the budget it is counted against.

#include "engine/runtime/state_budget.h"

#include <gtest/gtest.h>

namespace shardflow::runtime {
namespace {

TEST(Footprint, CountsTheHeapOfLongStringsOnly) {
    EXPECT_EQ(footprint(std::string("short")), sizeof(std::string));
    std::string longer(100, 'x');
    EXPECT_EQ(footprint(longer), sizeof(std::string) + longer.capacity());
}

TEST(Footprint, AddsUpRowsOfVariants) {
    using Value = std::variant<std::monostate, int64_t, std::string>;
    std::vector<Value> row{int64_t{1}, std::string(64, 'a'), std::monostate{}};
    row.shrink_to_fit();
    size_t text = std::get<std::string>(row[1]).capacity();
    EXPECT_EQ(footprint(row), sizeof(row) + 3 * sizeof(Value) + text);
    EXPECT_EQ(footprint(std::optional<std::string>()), sizeof(std::optional<std::string>));
}

TEST(StateBudget, IsExceededOnlyPastItsLimit) {
    StateBudget budget(100);
    budget.add(100);
    EXPECT_FALSE(budget.exceeded());
    budget.add(1);
    EXPECT_TRUE(budget.exceeded());
    budget.add(-50);
    EXPECT_EQ(budget.held(), 51u);
    EXPECT_FALSE(budget.exceeded());
}

}  // namespace
}  // namespace shardflow::runtime
