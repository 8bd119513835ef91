// CsvFields: plain and quoted fields, doubled quotes, empty fields, bad quoting with offsets.

#include "connectors/formats/csv_fields.h"

#include <gtest/gtest.h>

namespace shardflow::connectors {
namespace {

TEST(CsvFields, ReadsPlainQuotedAndEmptyFields) {
    CsvFields f;
    ASSERT_TRUE(f.scan("/home,\"a, \"\"quoted\"\" one\",,42,-1.5,\"two\nlines\"\r\n"));
    ASSERT_EQ(f.size(), 6u);
    EXPECT_EQ(*f.string(0), "/home");
    EXPECT_EQ(*f.string(1), "a, \"quoted\" one");
    EXPECT_EQ(*f.string(2), "");
    EXPECT_EQ(*f.int64(3), 42);
    EXPECT_DOUBLE_EQ(*f.number(4), -1.5);
    EXPECT_EQ(*f.string(5), "two\nlines");
    EXPECT_EQ(f.string(6).error().message, "the record has 6 fields, field 7 was asked for");
    EXPECT_EQ(f.int64(0).error().message, "field 1 is not an integer: /home");
    EXPECT_FALSE(f.int64(2));  // empty is not a number
}

TEST(CsvFields, OtherSeparatorsAndTrailingEmptyField) {
    CsvFields f('\t');
    ASSERT_TRUE(f.scan("a\tb,c\t"));
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(*f.string(1), "b,c");
    EXPECT_EQ(*f.string(2), "");
}

TEST(CsvFields, RefusesBadQuotingWithTheOffset) {
    CsvFields f;
    EXPECT_EQ(f.scan("a,\"open").error().message, "unterminated quoted field at byte 2");
    EXPECT_EQ(f.scan("\"x\"y,b").error().message,
              "unexpected character after a quoted field at byte 3");
    EXPECT_EQ(f.scan("ab\"c").error().message, "a quote inside an unquoted field at byte 2");
}

}  // namespace
}  // namespace shardflow::connectors
