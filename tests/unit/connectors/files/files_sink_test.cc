// The files sink: buffering hints, prefixes and object names, formats, the error output,
// compression, transforms and file errors.

#include "connectors/files/files_sink.h"

#include "engine/common/base64.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/connectors/files/files_test_util.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace shardflow::connectors::files {
namespace {

using testing::all_lines;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kArrival;
using testing::lines_of;
using ::testing::MatchesRegex;
using testing::objects;
using testing::read_object;
using testing::record;
using ::testing::SizeIs;

class FilesSinkTest : public ::testing::Test {
protected:
    FilesSinkOptions options() const {
        FilesSinkOptions o;
        o.name = "orders";
        o.path = dir_.path();
        return o;
    }

    std::shared_ptr<FilesSink> make(FilesSinkOptions o) {
        auto sink = FilesSink::create(std::move(o), nullptr, clock_);
        EXPECT_TRUE(sink) << sink.error().message;
        return sink ? *sink : nullptr;
    }

    void put(FilesSink& sink, std::vector<DeliveryRecord> records) { sink.on_batch(records); }

    std::string read(const std::string& object) const { return read_object(dir_.path() / object); }

    tests::TempDir dir_;
    FakeClock clock_{kArrival + 500};
};

TEST_F(FilesSinkTest, SizeHintDeliversABufferOnceItIsFull) {
    auto o = options();
    o.buffer_size_bytes = 30;  // each record is 8 bytes with its newline
    auto sink = make(o);
    put(*sink, {record(R"({"n":1})"), record(R"({"n":2})"), record(R"({"n":3})")});
    EXPECT_THAT(objects(dir_.path()), SizeIs(0));
    put(*sink, {record(R"({"n":4})"), record(R"({"n":5})")});
    auto first = objects(dir_.path());
    ASSERT_THAT(first, SizeIs(1));
    EXPECT_EQ(read(first[0]), "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n");
    sink->on_end();
    EXPECT_THAT(all_lines(dir_.path()), SizeIs(5));
    EXPECT_THAT(objects(dir_.path()), SizeIs(2));
}

TEST_F(FilesSinkTest, IntervalHintDeliversByTheInjectedClock) {
    auto o = options();
    o.buffer_interval = std::chrono::seconds(60);
    auto sink = make(o);
    put(*sink, {record(R"({"n":1})")});
    clock_.advance_ms(59'999);
    sink->on_watermark(0);
    EXPECT_THAT(objects(dir_.path()), SizeIs(0));
    clock_.advance_ms(1);
    sink->on_watermark(0);
    EXPECT_THAT(objects(dir_.path()), SizeIs(1));

    // on_batch checks too: the old buffer goes, the new record opens the next one.
    put(*sink, {record(R"({"n":2})")});
    clock_.advance_ms(60'000);
    put(*sink, {record(R"({"n":3})")});
    EXPECT_THAT(objects(dir_.path()), SizeIs(2));
    EXPECT_EQ(sink->stats().records_delivered, 2u);
}

TEST_F(FilesSinkTest, OnEndDeliversEverythingAndLeavesNoTemporaryFiles) {
    auto sink = make(options());
    put(*sink, {record(R"({"n":1})"), record("not json")});
    EXPECT_EQ(testing::staging_files(dir_.path(), "orders"), 2u);
    sink->on_end();
    sink->on_end();
    EXPECT_THAT(objects(dir_.path()), SizeIs(2));
    for (const std::string& o : objects(dir_.path())) {
        EXPECT_EQ(o.find("/."), std::string::npos) << o;
    }
    EXPECT_EQ(testing::staging_files(dir_.path(), "orders"), 0u);
    FilesSinkStats s = sink->stats();
    EXPECT_EQ(s.records_delivered, 1u);
    EXPECT_EQ(s.error_records, 1u);
    EXPECT_EQ(s.objects_written, 2u);
    EXPECT_GT(s.bytes_written, 8u);
    EXPECT_TRUE(sink->status());
}

TEST_F(FilesSinkTest, DefaultPrefixIsTheUtcHourOfTheBuffersFirstRecord) {
    auto sink = make(options());
    put(*sink, {record(R"({"n":1})"), record(R"({"n":2})", kArrival + 3'600'000)});
    sink->on_end();
    EXPECT_THAT(objects(dir_.path()),
                ElementsAre(MatchesRegex("2024/03/05/07/orders-1-2024-03-05-07-08-09-"
                                         "[0-9a-f-]{36}\\.jsonl")));
}

TEST_F(FilesSinkTest, CustomPrefixPartitionsByTimestampAndKey) {
    auto o = options();
    o.prefix = "year=!{timestamp:yyyy}/!{partitionKeyFromQuery:customer}/";
    auto sink = make(o);
    put(*sink,
        {record(R"({"customer":"acme","n":1})"),
         record(R"({"customer":42,"n":2})"),
         record(R"({"customer":"acme","n":3})"),
         record(R"({"n":4})"),
         record(R"({"customer":["x"],"n":5})"),
         record(R"({"customer":"..","n":6})")});
    sink->on_end();
    EXPECT_THAT(all_lines(dir_.path(), "year=2024/acme/orders-1-"),
                ElementsAre(R"({"customer":"acme","n":1})", R"({"customer":"acme","n":3})"));
    EXPECT_THAT(all_lines(dir_.path(), "year=2024/42/"), ElementsAre(R"({"customer":42,"n":2})"));
    auto errors = all_lines(dir_.path(), "errors/partition-key-failed/2024/03/05/07/orders-1-");
    ASSERT_THAT(errors, SizeIs(3));
    EXPECT_THAT(errors[0], HasSubstr("partition key field 'customer' is missing"));
    EXPECT_THAT(errors[1], HasSubstr("is an array, not a string or number"));
    EXPECT_THAT(errors[2], HasSubstr("has a '..' component"));
    EXPECT_THAT(objects(dir_.path()), SizeIs(3));
}

TEST_F(FilesSinkTest, BadOptionsAreRefusedAtCreate) {
    auto with = [&](auto change) {
        auto o = options();
        change(o);
        auto sink = FilesSink::create(std::move(o), nullptr, clock_);
        EXPECT_FALSE(sink);
        return sink ? std::string() : sink.error().message;
    };
    EXPECT_THAT(with([](auto& o) { o.prefix = "logs/!{timestamp:yyyy"; }),
                HasSubstr("unclosed '!{' at offset 5"));
    EXPECT_THAT(with([](auto& o) { o.prefix = "!{nope:x}/"; }), HasSubstr("unknown namespace"));
    EXPECT_THAT(with([](auto& o) { o.error_output_prefix = "e/!{timestamp:YYYY}/"; }),
                HasSubstr("'YYYY' is not supported"));
    EXPECT_THAT(with([](auto& o) { o.name = "a/b"; }), HasSubstr("files sink name 'a/b'"));
    EXPECT_THAT(with([](auto& o) { o.buffer_size_bytes = 0; }), HasSubstr("buffer size"));
    EXPECT_THAT(with([](auto& o) { o.csv_columns = std::vector<std::string>{"a"}; }),
                HasSubstr("CSV columns need the csv format"));
}

TEST_F(FilesSinkTest, JsonLinesValidatesEachRecordAndSendsFailuresToTheErrorOutput) {
    auto sink = make(options());
    clock_.set_ms(kArrival + 1234);
    put(*sink,
        {record("{\"a\":\n  [1, 2]}"),
         record(R"("just a string")"),
         record(R"({"broken": )"),
         record("{} {}")});
    sink->on_end();
    EXPECT_THAT(all_lines(dir_.path(), "2024/"),
                ElementsAre(R"({"a":[1,2]})", R"("just a string")"));
    auto errors = all_lines(dir_.path(), "errors/format-conversion-failed/2024/03/05/07/");
    ASSERT_THAT(errors, SizeIs(2));
    boost::json::object e = boost::json::parse(errors[0]).as_object();
    EXPECT_EQ(e.at("attemptsMade").as_int64(), 1);
    EXPECT_EQ(e.at("arrivalTimestamp").as_int64(), kArrival);
    EXPECT_EQ(e.at("attemptEndingTimestamp").as_int64(), kArrival + 1234);
    EXPECT_EQ(e.at("errorCode").as_string(), "DataFormatConversion.MalformedData");
    EXPECT_THAT(std::string(e.at("errorMessage").as_string()), HasSubstr("not valid JSON"));
    EXPECT_EQ(base64_decode(e.at("rawData").as_string()), R"({"broken": )");
    boost::json::object second = boost::json::parse(errors[1]).as_object();
    EXPECT_EQ(base64_decode(second.at("rawData").as_string()), "{} {}");
    EXPECT_EQ(sink->stats().error_records, 2u);
}

TEST_F(FilesSinkTest, RecordsThatFailedUpstreamJoinTheErrorOutput) {
    auto sink = make(options());
    put(*sink, {record(R"({"broken": )")});
    sink->deliver_failed(record("\x01\x02"),
                         {FailureKind::kFormatConversionFailed, "column 'n' is not a number"});
    sink->on_end();
    auto errors = all_lines(dir_.path(), "errors/format-conversion-failed/");
    ASSERT_THAT(errors, SizeIs(2));
    boost::json::object e = boost::json::parse(errors[1]).as_object();
    EXPECT_EQ(e.at("errorMessage").as_string(), "column 'n' is not a number");
    EXPECT_EQ(base64_decode(e.at("rawData").as_string()), "\x01\x02");
    EXPECT_EQ(sink->stats().error_records, 2u);
}

TEST_F(FilesSinkTest, CsvWritesAHeaderPerObjectAndQuotesFields) {
    auto o = options();
    o.format = FileFormat::kCsv;
    o.buffer_size_bytes = 40;
    auto sink = make(o);
    put(*sink,
        {record(R"({"id":1,"note":"plain","ok":true})"),
         record(R"({"note":"a, \"quoted\"\nline","id":2,"extra":"dropped"})"),
         record(R"({"id":3.5,"ok":null})"),
         record(R"([1,2])"),
         record(R"({"id":4,"note":{"nested":[1]}})")});
    sink->on_end();
    auto files = objects(dir_.path());
    ASSERT_THAT(files, SizeIs(3));
    EXPECT_THAT(files[0], MatchesRegex("2024/03/05/07/orders-1-.*\\.csv"));
    std::vector<std::string> contents;
    for (const auto& f : files) {
        if (f.starts_with("2024/")) {
            contents.push_back(read(f));
        }
    }
    std::sort(contents.begin(), contents.end(), [](const auto& a, const auto& b) {
        return a.size() > b.size();
    });
    ASSERT_THAT(contents, SizeIs(2));
    EXPECT_EQ(contents[0], "id,note,ok\n1,plain,true\n2,\"a, \"\"quoted\"\"\nline\",\n");
    EXPECT_EQ(contents[1], "id,note,ok\n3.5,,\n4,\"{\"\"nested\"\":[1]}\",\n");
    auto errors = all_lines(dir_.path(), "errors/format-conversion-failed/");
    ASSERT_THAT(errors, SizeIs(1));
    EXPECT_THAT(errors[0], HasSubstr("CSV needs a JSON object, not an array"));
}

TEST_F(FilesSinkTest, CsvUsesTheGivenColumns) {
    auto o = options();
    o.format = FileFormat::kCsv;
    o.csv_columns = std::vector<std::string>{"b", "a"};
    auto sink = make(o);
    put(*sink, {record(R"({"a":1,"b":"x"})")});
    sink->on_end();
    EXPECT_THAT(all_lines(dir_.path()), ElementsAre("b,a", "x,1"));
}

TEST_F(FilesSinkTest, GzipObjectsDecompressToTheRecords) {
    auto o = options();
    o.compression = Compression::kGzip;
    auto sink = make(o);
    std::vector<DeliveryRecord> batch;
    std::string expected;
    for (int i = 0; i < 20'000; ++i) {
        std::string line = fmt::format(R"({{"n":{},"pad":"{}"}})", i, std::string(i % 50, 'x'));
        expected += line + "\n";
        batch.push_back(record(line));
    }
    sink->on_batch(batch);
    put(*sink, {record("oops")});
    sink->on_end();
    auto files = objects(dir_.path());
    ASSERT_THAT(files, SizeIs(2));
    EXPECT_THAT(files[0], MatchesRegex("2024/03/05/07/orders-1-.*\\.jsonl\\.gz"));
    EXPECT_THAT(files[1], MatchesRegex("errors/format-conversion-failed/.*\\.jsonl\\.gz"));
    EXPECT_EQ(read(files[0]), expected);
    EXPECT_LT(std::filesystem::file_size(dir_.path() / files[0]), expected.size() / 4);
    EXPECT_EQ(sink->stats().bytes_written,
              std::filesystem::file_size(dir_.path() / files[0]) +
                  std::filesystem::file_size(dir_.path() / files[1]));
}

TEST_F(FilesSinkTest, TransformResultsAreDeliveredDroppedOrFailed) {
    auto o = options();
    o.transform = [](const DeliveryRecord& r) {
        if (r.data == "drop") {
            return TransformResult::dropped();
        }
        if (r.data == "fail") {
            return TransformResult::processing_failed("cannot enrich");
        }
        return TransformResult::ok(fmt::format(R"({{"wrapped":"{}"}})", r.data));
    };
    auto sink = make(o);
    put(*sink, {record("a"), record("drop"), record("fail"), record("b")});
    sink->on_end();
    EXPECT_THAT(all_lines(dir_.path(), "2024/"),
                ElementsAre(R"({"wrapped":"a"})", R"({"wrapped":"b"})"));
    auto errors = all_lines(dir_.path(), "errors/processing-failed/2024/03/05/07/");
    ASSERT_THAT(errors, SizeIs(1));
    boost::json::object e = boost::json::parse(errors[0]).as_object();
    EXPECT_EQ(e.at("errorCode").as_string(), "Transform.ProcessingFailed");
    EXPECT_EQ(e.at("errorMessage").as_string(), "cannot enrich");
    EXPECT_EQ(base64_decode(e.at("rawData").as_string()), "fail");
    FilesSinkStats s = sink->stats();
    EXPECT_EQ(s.records_delivered, 2u);
    EXPECT_EQ(s.dropped_records, 1u);
    EXPECT_EQ(s.error_records, 1u);
}

TEST_F(FilesSinkTest, TheFirstFileErrorStopsTheSinkAndFailsTheCheckpoint) {
    std::ofstream(dir_.path() / "2024") << "a file where a directory must go";
    auto sink = make(options());
    put(*sink, {record(R"({"n":1})")});
    sink->on_end();
    Status s = sink->status();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kIoError);
    EXPECT_THAT(s.error().message, HasSubstr("2024/03/05/07"));
    put(*sink, {record(R"({"n":2})")});
    Status c = sink->commit(nullptr);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, s.error().message);
}

}  // namespace
}  // namespace shardflow::connectors::files
