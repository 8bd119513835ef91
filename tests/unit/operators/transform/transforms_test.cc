// Stateless stages in a query: map, filter, flat_map, and try_map sending bad records to an
// error output with the reason while the query goes on.

#include "operators/transform/transforms.h"

#include "connectors/sinks/collect_sink.h"
#include "operators/query.h"
#include "tests/support/vector_source.h"

#include <gtest/gtest.h>

#include <charconv>

namespace shardflow::ops {
namespace {

Result<int64_t> parse_int(const std::string& text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return Error::make(ErrorCode::kInvalidArgument, "not an integer: '{}'", text);
    }
    return value;
}

runtime::ExecutorOptions bounded(size_t workers) {
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.bounded = true;
    return options;
}

TEST(Transforms, BadRecordsGoToTheErrorOutputAndTheRestGoesOn) {
    std::vector<std::vector<std::string>> input{{"1", "2", "x", "4"}, {"5", "", "7"}};
    Query q("parse");
    auto sink = std::make_shared<connectors::CollectSink<int64_t>>();
    auto errors = std::make_shared<connectors::CollectSink<Rejected<std::string>>>();
    q.source<std::string>(std::make_shared<tests::VectorSource<std::string>>(input))
        .try_map(&parse_int, errors)
        .filter([](int64_t v) { return v != 4; })
        .flat_map<int64_t>([](int64_t v, std::vector<int64_t>& out) {
            out.insert(out.end(), {v, v * 10});
        })
        .map([](int64_t v) { return v + 1; })
        .sink(sink);
    ASSERT_TRUE(q.run(bounded(2)));
    auto values = sink->records();
    std::sort(values.begin(), values.end());
    EXPECT_EQ(values, (std::vector<int64_t>{2, 3, 6, 8, 11, 21, 51, 71}));
    auto rejected = errors->records();
    ASSERT_EQ(rejected.size(), 2u);
    std::sort(
        rejected.begin(), rejected.end(), [](auto& a, auto& b) { return a.record < b.record; });
    EXPECT_EQ(rejected[0].record, "");
    EXPECT_EQ(rejected[1].reason, "not an integer: 'x'");
}

}  // namespace
}  // namespace shardflow::ops
