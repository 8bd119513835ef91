#include "engine/common/date_pattern.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shardflow {
namespace {

using testing::HasSubstr;

constexpr EpochMillis kInstant = 1709622489042;  // 2024-03-05 07:08:09.042 UTC

std::string formatted(std::string_view pattern, DatePattern::Syntax syntax, EpochMillis ms) {
    auto parsed = DatePattern::parse(pattern, syntax);
    EXPECT_TRUE(parsed) << pattern;
    return parsed ? parsed->format(ms) : "";
}

TEST(DatePattern, FormatsDateTimeFormatterLettersInUtc) {
    using enum DatePattern::Syntax;
    EXPECT_EQ(formatted("yyyy-MM-dd HH:mm:ss.SSS", kJava, kInstant), "2024-03-05 07:08:09.042");
    EXPECT_EQ(formatted("yyyy/MM/dd/HH", kJava, kInstant), "2024/03/05/07");
    EXPECT_EQ(formatted("yy-MM", kJava, kInstant), "24-03");
    EXPECT_EQ(formatted("yyyy", kJava, -1), "1969");
    EXPECT_EQ(formatted("SSS", kJava, -1), "999");
}

TEST(DatePattern, JavaSyntaxRefusesLettersJavaReadsOtherwise) {
    for (std::string_view bad : {"yyyy-MMM", "'T'HH", "YYYY", "DD", "yyyyy", "HH:mm z"}) {
        auto parsed = DatePattern::parse(bad, DatePattern::Syntax::kJava);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_THAT(parsed.error().message, HasSubstr("is not supported")) << bad;
    }
    EXPECT_THAT(DatePattern::parse("yyyy-MMM", DatePattern::Syntax::kJava).error().message,
                HasSubstr("'MMM' is not supported"));
}

TEST(DatePattern, LenientSyntaxTakesMomentLettersAndCopiesTheRest) {
    using enum DatePattern::Syntax;
    EXPECT_EQ(formatted("YYYY-MM-DDTHH:mm:ssZ", kLenient, kInstant), "2024-03-05T07:08:09Z");
    EXPECT_EQ(DatePattern::iso8601().format(kInstant), "2024-03-05T07:08:09.042Z");
}

}  // namespace
}  // namespace shardflow
