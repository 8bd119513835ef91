// JsonFields: values of each kind, escapes, invalid JSON with its offset, and agreement with
// Boost.JSON on random documents.

#include "connectors/formats/json_fields.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <random>

namespace shardflow::connectors {
namespace {

TEST(JsonFields, ReadsEachKindOfValue) {
    JsonFields f({"page", "bytes", "ratio", "ok", "none", "nested", "list", "missing"});
    ASSERT_TRUE(
        f.scan(R"( {"page": "/home", "bytes": -42, "ratio": 2.5e-1, "ok": true, "none": null,
                          "nested": {"a": [1, {"b": "}"}]}, "list": [], "ignored": "x"} )"));
    EXPECT_EQ(*f.string(0), "/home");
    EXPECT_EQ(*f.int64(1), -42);
    EXPECT_DOUBLE_EQ(*f.number(2), 0.25);
    EXPECT_EQ(*f.boolean(3), true);
    EXPECT_EQ(f.kind(4), JsonKind::kNull);
    EXPECT_EQ(f.kind(5), JsonKind::kObject);
    EXPECT_EQ(f.raw(5), R"({"a": [1, {"b": "}"}]})");
    EXPECT_EQ(f.kind(6), JsonKind::kArray);
    EXPECT_EQ(f.kind(7), JsonKind::kMissing);
    EXPECT_EQ(f.int64(7).error().message, "field \"missing\" is missing");
    EXPECT_EQ(f.int64(0).error().message, "field \"page\" is not an integer: /home");
    EXPECT_FALSE(f.int64(2));  // 0.25 is not an integer
}

TEST(JsonFields, DecodesEscapesInValuesAndNames) {
    JsonFields f({"quote", "emoji", "tab"});
    ASSERT_TRUE(
        f.scan(R"({"quote": "a\"b\\c\/\u00e9", "\u0065moji": "\ud83d\ude00", "tab": "x\ty"})"));
    EXPECT_EQ(*f.string(0), "a\"b\\c/\xc3\xa9");
    EXPECT_EQ(std::string(*f.string(1)), "\xf0\x9f\x98\x80");
    EXPECT_EQ(*f.string(2), "x\ty");
    EXPECT_TRUE(f.scan("{\"raw\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}"));  // UTF-8 as is
    EXPECT_FALSE(f.scan(R"({"lone": "\ud83d"})"));  // a high surrogate without its low half
    EXPECT_FALSE(f.scan(R"({"lone": "\ude00x"})"));
}

TEST(JsonFields, RefusesInvalidJsonWithTheOffset) {
    JsonFields f({"a"});
    for (std::string_view bad : {R"({"a": 1,})",
                                 R"({"a" 1})",
                                 R"({"a": 01})",
                                 R"({"a": "x)",
                                 R"({"a": tru})",
                                 R"({"a": 1} x)",
                                 R"({"a": "\q"})",
                                 R"({"a": [1,]})",
                                 R"({"a": -})",
                                 R"({a: 1})",
                                 "{\"a\": \"line\nbreak\"}",
                                 R"({"a": 1.})",
                                 R"({"a": 1e})",
                                 R"({"a": "\u12G4"})",
                                 "{\"a\": \"\xff\"}",
                                 "{\"a\": \"\xc3\"}",
                                 "{\"a\": \"\xed\xa0\x80\"}",
                                 "{\"a\": \"\xe0\x80\xaf\"}",
                                 "{\"a\": \"\xf4\x90\x80\x80\"}"}) {
        auto s = f.scan(bad);
        ASSERT_FALSE(s) << bad;
        EXPECT_TRUE(s.error().message.starts_with("invalid JSON at byte "))
            << bad << ": " << s.error().message;
    }
    EXPECT_EQ(f.scan("[1]").error().message, "not a JSON object: starts with '['");
    EXPECT_EQ(f.scan("").error().message, "not a JSON object: starts with nothing");
    std::string deep = R"({"a": )" + std::string(70, '[') + std::string(70, ']') + "}";
    EXPECT_FALSE(f.scan(deep));
    EXPECT_FALSE(
        f.scan(std::string_view("{\"a\": \"\\\0\"}", 10)));  // a backslash before a NUL byte
    std::string fine = R"({"a": )" + std::string(60, '[') + std::string(60, ']') + "}";
    EXPECT_TRUE(f.scan(fine));
}

boost::json::value random_value(std::mt19937& rng, int depth) {
    switch (rng() % (depth > 2 ? 4 : 6)) {
        case 0:
            return static_cast<int64_t>(rng()) - (1ll << 31);
        case 1:
            return std::ldexp(static_cast<double>(rng()), -static_cast<int>(rng() % 40));
        case 2: {
            std::string s;
            for (int i = rng() % 12; i > 0; --i) {
                s += static_cast<char>(rng() % 3 ? 'a' + rng() % 26
                                                 : rng() % 128);  // controls need escapes
            }
            return boost::json::value(s);
        }
        case 3:
            return rng() % 2 ? boost::json::value(nullptr) : boost::json::value(rng() % 2 == 0);
        case 4: {
            boost::json::array a;
            for (int i = rng() % 4; i > 0; --i) {
                a.push_back(random_value(rng, depth + 1));
            }
            return a;
        }
        default: {
            boost::json::object o;
            for (int i = rng() % 4; i > 0; --i) {
                o[fmt::format("k{}", rng() % 8)] = random_value(rng, depth + 1);
            }
            return o;
        }
    }
}

TEST(JsonFields, AgreesWithBoostJsonOnRandomDocuments) {
    std::mt19937 rng(3);
    std::vector<std::string> names;
    for (int i = 0; i < 8; ++i) {
        names.push_back(fmt::format("k{}", i));
    }
    JsonFields f(names);
    for (int round = 0; round < 2000; ++round) {
        boost::json::object doc;
        for (int i = rng() % 8; i > 0; --i) {
            doc[names[rng() % 8]] = random_value(rng, 0);
        }
        std::string text = boost::json::serialize(doc);
        ASSERT_TRUE(f.scan(text)) << text;
        for (size_t i = 0; i < names.size(); ++i) {
            const boost::json::value* v = doc.if_contains(names[i]);
            if (!v) {
                EXPECT_EQ(f.kind(i), JsonKind::kMissing);
            } else if (v->is_string()) {
                EXPECT_EQ(*f.string(i), std::string_view(v->as_string())) << text;
            } else if (v->is_int64()) {
                EXPECT_EQ(*f.int64(i), v->as_int64()) << text;
            } else if (v->is_double()) {
                EXPECT_DOUBLE_EQ(*f.number(i), v->as_double()) << text;
            } else {
                EXPECT_EQ(f.raw(i), boost::json::serialize(*v)) << text;
            }
        }
    }
}

}  // namespace
}  // namespace shardflow::connectors
