// The regex functions on RE2: a record of a megabyte against a pattern that makes a backtracking
// engine recurse per character, the replacement notation, refused patterns, many patterns.

#include "sql/binder/regex_functions.h"

#include <gtest/gtest.h>

#include <string>

namespace shardflow::sql {
namespace {

TEST(RegexFunctions, AMegabyteRecordAgainstARepeatedGroupIsMatchedNotOverflowed) {
    const std::string text(1 << 20, 'a');  // std::regex overflowed the stack at 100 KB
    EXPECT_EQ(regexp_matches(text, "(a|b)*c"), false);
    auto whole = regexp_extract(text + "c", "(a|b)*c", 0);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->size(), text.size() + 1);
    auto replaced = regexp_replace(text, "(a|b)+", "x");
    ASSERT_TRUE(replaced);
    EXPECT_EQ(*replaced, "x");
}

TEST(RegexFunctions, ReplacementsNameGroupsTheMatchAndLiteralCharacters) {
    EXPECT_EQ(regexp_replace("2026-12-04", R"((\d+)-(\d+)-(\d+))", "$3.$2.$1"), "04.12.2026");
    EXPECT_EQ(regexp_replace("ab", "b", "<$&|$0>"), "a<b|b>");
    EXPECT_EQ(regexp_replace("a$b", R"(\$)", "$$"), "a$b");
    EXPECT_EQ(regexp_replace("ab", "a", R"(\1)"), R"(\1b)");   // a backslash is itself
    EXPECT_EQ(regexp_replace("ab", "a", "$1"), std::nullopt);  // the pattern has no group 1
}

TEST(RegexFunctions, GroupsThatDidNotTakePartOrDoNotExistAreNull) {
    EXPECT_EQ(regexp_extract("ac", "a(b)?c", 1), std::nullopt);
    EXPECT_EQ(regexp_extract("abc", "a(b)?c", 1), "b");
    EXPECT_EQ(regexp_extract("abc", "a(b)?c", 2), std::nullopt);
    EXPECT_EQ(regexp_extract("abc", "a(b)?c", -1), std::nullopt);
    EXPECT_EQ(regexp_extract("abc", "z", 0), std::nullopt);
}

TEST(RegexFunctions, RefusedPatternsAreNullAndManyPatternsStillCompile) {
    for (const char* refused : {"(", "a(?=b)", R"((a)\1)", "[z-a]"}) {
        EXPECT_EQ(regexp_matches("ab", refused), std::nullopt) << refused;
    }
    for (int i = 0; i < 300; ++i) {  // more than the per-thread cache keeps
        EXPECT_EQ(regexp_matches("n" + std::to_string(i), "^n" + std::to_string(i) + "$"), true);
    }
}

}  // namespace
}  // namespace shardflow::sql
