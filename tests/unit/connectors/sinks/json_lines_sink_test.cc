// JSON lines files: appended, one line per record, flushed at watermarks; bad paths are errors.

#include "connectors/sinks/json_lines_sink.h"

#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace shardflow::connectors {
namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(JsonLinesSink, AppendsOneLinePerRecordAndFlushesOnWatermarks) {
    tests::TempDir dir;
    auto path = dir.path() / "out.jsonl";
    auto to_json = [](const int& n) {
        return fmt::format(R"({{"n": {}}})", n);
    };
    {
        JsonLinesSink<int> sink(LineWriter::open(path).value(), to_json);
        std::vector<int> batch{1, 2};
        sink.on_batch(batch);
        sink.on_watermark(0);
        EXPECT_EQ(read_file(path), "{\"n\": 1}\n{\"n\": 2}\n");
    }
    JsonLinesSink<int> again(LineWriter::open(path).value(), to_json);
    std::vector<int> more{3};
    again.on_batch(more);
    again.on_end();
    EXPECT_EQ(read_file(path), "{\"n\": 1}\n{\"n\": 2}\n{\"n\": 3}\n");
}

TEST(JsonLinesSink, AnUnwritablePathIsAnError) {
    auto writer = LineWriter::open("/nonexistent-dir/out.jsonl");
    ASSERT_FALSE(writer);
    EXPECT_NE(writer.error().message.find("cannot open /nonexistent-dir/out.jsonl"),
              std::string::npos);
}

}  // namespace
}  // namespace shardflow::connectors
