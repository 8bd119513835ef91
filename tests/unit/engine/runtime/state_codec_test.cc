// Checkpoint state encoding: nested standard containers and field-listing structs round-trip;
// truncated or surplus bytes are a Corruption error, never a crash.

#include "engine/runtime/state_codec.h"

#include <gtest/gtest.h>

namespace shardflow::runtime {
namespace {

struct Window {
    int64_t start;
    std::optional<double> max;
    std::vector<std::string> seen;
    static auto fields(auto& self) { return std::tie(self.start, self.max, self.seen); }
    bool operator==(const Window&) const = default;
};

using State = std::tuple<std::map<int64_t, std::unordered_map<std::string, Window>>,
                         std::multimap<int64_t, std::pair<std::string, int64_t>>,
                         std::set<uint32_t>,
                         std::unordered_set<int64_t>,
                         std::array<uint8_t, 4>>;

State sample() {
    State s;
    std::get<0>(s)[1000]["/home"] = Window{1000, 2.5, {"a", "b"}};
    std::get<0>(s)[1000]["/cart"] = Window{1000, std::nullopt, {}};
    std::get<0>(s)[2000];
    std::get<1>(s).emplace(5, std::pair{"k", 7});
    std::get<1>(s).emplace(5, std::pair{"k", 9});
    std::get<2>(s) = {3, 1};
    std::get<3>(s) = {-1, 42};
    std::get<4>(s) = {1, 2, 3, 4};
    return s;
}

TEST(StateCodec, RoundTripsNestedContainersAndStructs) {
    StateWriter w;
    encode(w, sample());
    std::string bytes = w.take();
    StateReader r(bytes);
    State back;
    decode(r, back);
    ASSERT_TRUE(r.status());
    EXPECT_EQ(back, sample());
}

TEST(StateCodec, TruncatedOrLongerInputIsCorruption) {
    StateWriter w;
    encode(w, sample());
    std::string bytes = w.take();
    for (size_t cut : {size_t{0}, size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
        StateReader r(std::string_view(bytes).substr(0, cut));
        State back;
        decode(r, back);
        EXPECT_EQ(r.status().error().code, ErrorCode::kCorruption) << cut;
    }
    std::string longer = bytes + "x";
    StateReader r(longer);
    State back;
    decode(r, back);
    EXPECT_FALSE(r.status());
}

TEST(StateCodec, RoundTripsVariantsAndRefusesAnUnknownAlternative) {
    using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;
    std::vector<Value> values{std::monostate{}, true, int64_t{-7}, 2.5, std::string("page")};
    StateWriter w;
    encode(w, values);
    std::string bytes = w.take();
    StateReader r(bytes);
    std::vector<Value> back;
    decode(r, back);
    ASSERT_TRUE(r.status());
    EXPECT_EQ(back, values);

    std::string unknown = "\x09";  // alternative 9 of five
    StateReader bad(unknown);
    Value v;
    decode(bad, v);
    ASSERT_FALSE(bad.status());
    EXPECT_EQ(bad.status().error().message, "a checkpointed variant holds an unknown alternative");
}

}  // namespace
}  // namespace shardflow::runtime
