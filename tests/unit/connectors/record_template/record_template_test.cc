// Every placeholder, determinism for a seed, and errors that name the placeholder and its place.

#include "connectors/record_template/record_template.h"

#include "connectors/record_template/record_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace shardflow::connectors {
namespace {

using ::testing::HasSubstr;

constexpr EpochMillis kNow = 1'700'000'000'123;  // 2023-11-14T22:13:20.123Z

/// `n` renderings of `text` with seed 7 at kNow.
std::vector<std::string> render(std::string_view text, int n = 1, uint64_t seed = 7) {
    auto parsed = RecordTemplate::parse(text);
    EXPECT_TRUE(parsed) << parsed.error().message;
    FakeClock clock(kNow);
    RecordGenerator generator(*parsed, *RecordTemplate::parse(""), seed, clock);
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(generator.next().data);
    }
    return out;
}

std::string error_of(std::string_view text) {
    auto parsed = RecordTemplate::parse(text);
    EXPECT_FALSE(parsed) << text;
    return parsed ? "" : parsed.error().message;
}

bool matches(const std::vector<std::string>& values, const char* pattern) {
    std::regex re(pattern);
    return std::all_of(
        values.begin(), values.end(), [&](const auto& v) { return std::regex_match(v, re); });
}

TEST(RecordTemplateTest, LiteralTextPassesThrough) {
    EXPECT_EQ(render("plain {text} } {")[0], "plain {text} } {");
    EXPECT_EQ(render("")[0], "");
}

TEST(RecordTemplateTest, RandomNumbersStayInTheirRange) {
    for (const auto& v : render("{{random.number(3)}}", 200)) {
        EXPECT_GE(std::stoi(v), 0);
        EXPECT_LE(std::stoi(v), 3);
    }
    std::set<std::string> seen;
    for (const auto& v : render(R"({{ random.number({"min": 1, "max": 3}) }})", 200)) {
        seen.insert(v);
    }
    EXPECT_EQ(seen, (std::set<std::string>{"1", "2", "3"}));
    EXPECT_TRUE(matches(render("{{random.number(-5, -1)}}", 50), "-[1-5]"));
    EXPECT_TRUE(matches(render("{{random.number}}", 50), "[0-9]{1,5}"));
    auto prices = render(R"({{random.number({"min": 1, "max": 2, "precision": 0.01})}})", 200);
    EXPECT_TRUE(matches(prices, "[12]\\.[0-9]{2}"));
    EXPECT_TRUE(std::all_of(prices.begin(), prices.end(), [](auto& p) {
        return std::stod(p) >= 1 && std::stod(p) <= 2;
    }));
}

TEST(RecordTemplateTest, ArrayElementsAndWeights) {
    std::set<std::string> seen;
    for (const auto& v : render(R"({{random.arrayElement(["/a", "/b", 3, {"x": 1}])}})", 200)) {
        seen.insert(v);
    }
    EXPECT_EQ(seen, (std::set<std::string>{"/a", "/b", "3", R"({"x":1})"}));
    auto weighted = render(
        R"({{random.weightedArrayElement({"weights": [0.9, 0.1, 0], "data": ["a", "b", "c"]})}})",
        1000);
    auto a = std::count(weighted.begin(), weighted.end(), "a");
    EXPECT_GT(a, 820);
    EXPECT_LT(a, 980);
    EXPECT_EQ(std::count(weighted.begin(), weighted.end(), "c"), 0);
}

TEST(RecordTemplateTest, IdentifiersNamesAndInternet) {
    auto uuids = render("{{random.uuid}}", 100);
    EXPECT_TRUE(
        matches(uuids, "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    EXPECT_EQ(std::set<std::string>(uuids.begin(), uuids.end()).size(), 100u);
    EXPECT_TRUE(
        matches(render("{{name.firstName}} {{name.lastName}}", 20), "[A-Z][a-z]+ [A-Z][a-z]+"));
    EXPECT_TRUE(
        matches(render("{{internet.userName}}", 50), "[A-Z][a-z]+([._][A-Z][a-z]+)?[0-9]{0,2}"));
    EXPECT_TRUE(
        matches(render("{{internet.email}}", 20), "[A-Za-z._0-9]+@example\\.(com|org|net)"));
    EXPECT_TRUE(
        matches(render("{{internet.ip}}", 50),
                "([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])(\\.([0-9]|[1-9][0-9]|1[0-9]{"
                "2}|2[0-4][0-9]|25[0-5])){3}"));
    EXPECT_TRUE(matches(render("{{lorem.word}}", 20), "[a-z]+"));
    EXPECT_TRUE(matches(render("{{random.boolean}}", 20), "true|false"));
    EXPECT_TRUE(matches(render("{{random.alphaNumeric(12)}}", 20), "[a-z0-9]{12}"));
}

TEST(RecordTemplateTest, DatesAndSequence) {
    EXPECT_EQ(render("{{date.now}}")[0], "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(render(R"({{date.now("yyyy-MM-dd HH:mm:ss")}})")[0], "2023-11-14 22:13:20");
    EXPECT_EQ(render(R"({{date.now("DD/MM/YY HH:mm:ss.SSS")}})")[0], "14/11/23 22:13:20.123");
    EXPECT_EQ(render("{{date.epoch}} {{date.epochMillis}}")[0], "1700000000 1700000000123");
    EXPECT_EQ(render("#{{sequence}}", 3), (std::vector<std::string>{"#1", "#2", "#3"}));
}

TEST(RecordTemplateTest, TheSameSeedGivesTheSameRecords) {
    constexpr std::string_view kText =
        R"({"id": "{{random.uuid}}", "user": "{{internet.userName}}", "n": {{random.number(1000)}}})";
    EXPECT_EQ(render(kText, 50, 42), render(kText, 50, 42));
    EXPECT_NE(render(kText, 50, 42), render(kText, 50, 43));
}

TEST(RecordTemplateTest, KeyAndDataShareTheSequenceOfARecord) {
    FakeClock clock(kNow);
    RecordGenerator generator(*RecordTemplate::parse("data {{sequence}}"),
                              *RecordTemplate::parse("key-{{sequence}}"),
                              1,
                              clock);
    generator.next();
    auto second = generator.next();
    EXPECT_EQ(second.data, "data 2");
    EXPECT_EQ(second.partition_key, "key-2");
}

TEST(RecordTemplateTest, ErrorsNameThePlaceholderAndWhereItStarts) {
    EXPECT_THAT(error_of("{\n  \"a\": \"{{random.nmber}}\"\n}"),
                HasSubstr("template error at line 2, column 9: {{random.nmber}}: unknown "
                          "placeholder; known: date.epoch"));
    EXPECT_THAT(error_of("x {{random.number(\"ten\")}}"),
                HasSubstr("line 1, column 3: {{random.number(\"ten\")}}: takes a maximum"));
    EXPECT_THAT(
        error_of("{{random.number({\"min\": 5, \"max\": 1})}}"),
        HasSubstr("column 1: {{random.number({\"min\": 5, \"max\": 1})}}: needs min <= max"));
    EXPECT_THAT(error_of("ab{{random.arrayElement([])}}"), HasSubstr("column 3"));
    EXPECT_THAT(error_of("{{random.arrayElement([1,)}}"),
                HasSubstr("unbalanced parentheses or brackets"));
    EXPECT_THAT(error_of("{{random.number(1 2)}}"),
                HasSubstr("the arguments are not JSON values separated by commas"));
    EXPECT_THAT(error_of("{{random.uuid(4)}}"), HasSubstr("takes no arguments"));
    EXPECT_THAT(error_of("{{ }}"), HasSubstr("expected a placeholder name after {{"));
    EXPECT_THAT(error_of("a\nbc {{name.firstName"),
                HasSubstr("line 2, column 4: {{name.firstName: expected }} after the placeholder"));
    EXPECT_THAT(error_of(R"({{random.weightedArrayElement({"weights": [1], "data": []})}})"),
                HasSubstr("takes {\"weights\""));
}

}  // namespace
}  // namespace shardflow::connectors
