// Naming objects: Firehose prefix expressions (timestamp patterns, partition keys, firehose
// values, and the prefixes create() must refuse) and object file names.

#include "connectors/files/prefix_expression.h"

#include "connectors/files/object_name.h"
#include "tests/unit/connectors/files/files_test_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace shardflow::connectors::files {
namespace {

using ::testing::HasSubstr;
using testing::kArrival;

std::string expand(std::string_view prefix,
                   std::vector<std::string> keys = {},
                   PrefixExpression::Use use = PrefixExpression::Use::kData) {
    auto parsed = PrefixExpression::parse(prefix, use);
    EXPECT_TRUE(parsed) << parsed.error().message;
    return parsed->expand({kArrival, keys, "processing-failed", "AbCdEfGhIjK"}).value();
}

std::string refusal(std::string_view prefix,
                    PrefixExpression::Use use = PrefixExpression::Use::kData) {
    auto parsed = PrefixExpression::parse(prefix, use);
    EXPECT_FALSE(parsed) << prefix;
    return parsed ? std::string() : parsed.error().message;
}

TEST(PrefixExpression, ExpandsTimestampPartitionKeysAndFirehoseValues) {
    EXPECT_EQ(expand("!{timestamp:yyyy/MM/dd/HH}/"), "2024/03/05/07/");
    EXPECT_EQ(expand("y=!{timestamp:yyyy}/m=!{timestamp:MM}/d=!{timestamp:dd}/"),
              "y=2024/m=03/d=05/");
    EXPECT_EQ(expand("c=!{partitionKeyFromQuery:customer}/!{partitionKeyFromQuery:region}/"
                     "again=!{partitionKeyFromQuery:customer}/",
                     {"acme", "eu"}),
              "c=acme/eu/again=acme/");
    EXPECT_EQ(expand("r-!{firehose:random-string}/"), "r-AbCdEfGhIjK/");
    EXPECT_EQ(
        expand("errors/!{firehose:error-output-type}/", {}, PrefixExpression::Use::kErrorOutput),
        "errors/processing-failed/");
    EXPECT_EQ(expand("no-slash-"), "no-slash-");
    EXPECT_EQ(expand("a!b/"), "a!b/");
}

TEST(PrefixExpression, ListsEachPartitionKeyOnce) {
    auto p = PrefixExpression::parse(
        "!{partitionKeyFromQuery:a}/!{partitionKeyFromQuery:b}/!{partitionKeyFromQuery:a}/",
        PrefixExpression::Use::kData);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->partition_keys(), (std::vector<std::string>{"a", "b"}));
}

TEST(PrefixExpression, RefusesBadExpressionsNamingTheOffset) {
    EXPECT_THAT(refusal("logs/!{timestamp:yyyy"), HasSubstr("unclosed '!{' at offset 5"));
    EXPECT_THAT(refusal("a/!{weather:today}/"),
                HasSubstr("'!{weather:today}' at offset 2: unknown namespace 'weather'"));
    EXPECT_THAT(refusal("!{timestamp}/"), HasSubstr("is not !{namespace:value}"));
    EXPECT_THAT(refusal("!{timestamp:}/"), HasSubstr("is not !{namespace:value}"));
    EXPECT_THAT(refusal("x/!{timestamp:yyyy-ww}/"),
                HasSubstr("'!{timestamp:yyyy-ww}' at offset 2: date pattern 'yyyy-ww': 'ww' "
                          "is not supported"));
    EXPECT_THAT(refusal("!{firehose:shard-id}/"), HasSubstr("unknown firehose value 'shard-id'"));
    EXPECT_THAT(refusal("!{firehose:error-output-type}/"),
                HasSubstr("only allowed in the error output prefix"));
    EXPECT_THAT(refusal("e/!{partitionKeyFromQuery:k}/", PrefixExpression::Use::kErrorOutput),
                HasSubstr("partition keys are not allowed in the error output prefix"));
}

TEST(PrefixExpression, RefusesPrefixesThatLeaveTheRoot) {
    EXPECT_THAT(refusal("../elsewhere/"), HasSubstr("has a '..' component"));
    EXPECT_THAT(refusal("a/./b/"), HasSubstr("has a '.' component"));
    EXPECT_THAT(refusal("/etc/"), HasSubstr("is an absolute path"));
    auto p =
        PrefixExpression::parse("k=!{partitionKeyFromQuery:k}/../", PrefixExpression::Use::kData);
    EXPECT_FALSE(p);
    auto q = PrefixExpression::parse("!{partitionKeyFromQuery:k}/", PrefixExpression::Use::kData);
    ASSERT_TRUE(q);
    std::vector<std::string> dots{".."};
    EXPECT_FALSE(q->expand({kArrival, dots, {}, "r"}));
}

TEST(ObjectName, FollowsFirehose) {
    RandomNames names;
    std::string id = names.uuid();
    EXPECT_THAT(id,
                ::testing::MatchesRegex(
                    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    EXPECT_NE(id, names.uuid());
    EXPECT_THAT(names.random_string(), ::testing::MatchesRegex("[A-Za-z0-9]{11}"));
    EXPECT_EQ(object_file_name("orders", kArrival, "ID", ".jsonl.gz"),
              "orders-1-2024-03-05-07-08-09-ID.jsonl.gz");
}

}  // namespace
}  // namespace shardflow::connectors::files
