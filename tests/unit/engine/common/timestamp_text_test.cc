// Timestamps as text: the forms users write parsed to milliseconds, what is not a date refused,
// milliseconds shown.

#include "engine/common/timestamp_text.h"

#include <gtest/gtest.h>

namespace shardflow {
namespace {

TEST(Timestamps, ParseTheFormsUsersWrite) {
    EXPECT_EQ(parse_timestamp("1970-01-01"), 0);
    EXPECT_EQ(parse_timestamp("1970-01-01 00:00:01"), 1000);
    EXPECT_EQ(parse_timestamp("1970-01-01T00:00:01.5Z"), 1500);
    EXPECT_EQ(parse_timestamp("1970-01-01T00:00:01.123"), 1123);
    EXPECT_EQ(parse_timestamp("1970-01-01T01:00:00+01:00"), 0);
    EXPECT_EQ(parse_timestamp("1969-12-31 23:59:59"), -1000);
    EXPECT_EQ(parse_timestamp("2024-02-29 12:00:00"), 1709208000000);
}

TEST(Timestamps, RefuseWhatIsNotADate) {
    for (const char* bad : {"",
                            "yesterday",
                            "2024-02-30",
                            "2024-13-01",
                            "2024-01-01 25:00:00",
                            "2024-01-01T10:00",
                            "2024-01-01 10:00:00 extra",
                            "2024-1-1"}) {
        EXPECT_FALSE(parse_timestamp(bad)) << bad;
    }
}

TEST(Timestamps, ShowWithMilliseconds) {
    EXPECT_EQ(format_timestamp(0), "1970-01-01 00:00:00.000");
    EXPECT_EQ(format_timestamp(-1), "1969-12-31 23:59:59.999");
    EXPECT_EQ(format_timestamp(1709208000123), "2024-02-29 12:00:00.123");
}

}  // namespace
}  // namespace shardflow
