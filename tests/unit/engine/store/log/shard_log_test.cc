// ShardLog: appends, group commit, reads across segments, lookups by time, retention, recovery.

#include "engine/store/log/shard_log.h"

#include "engine/store/log/fault_points.h"
#include "engine/store/log/record_format.h"
#include "tests/support/fault_saboteur.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

namespace shardflow::store::log {
namespace {

constexpr EpochMillis kStart = 1700000000000;

class ShardLogTest : public ::testing::TestWithParam<SyncMode> {
protected:
    std::shared_ptr<ShardLog> open_log(uint64_t segment_bytes = 1024) {
        auto log = ShardLog::open(dir_.path() / "shard", {segment_bytes, GetParam()}, clock_);
        EXPECT_TRUE(log) << log.error().message;
        return log ? std::move(*log) : nullptr;
    }

    void TearDown() override { FaultPoints::disarm_all(); }

    /// Appends without waiting for durability.
    static Result<ShardLog::Appended> append_only(ShardLog& log,
                                                  const std::vector<std::string>& data,
                                                  std::string_view key = "pk") {
        std::vector<RecordInput> inputs;
        for (const auto& d : data) {
            inputs.push_back({key, d});
        }
        return log.append(inputs);
    }

    static ShardLog::Appended append(ShardLog& log,
                                     const std::vector<std::string>& data,
                                     std::string key = "pk") {
        auto appended = append_only(log, data, key);
        EXPECT_TRUE(appended) << appended.error().message;
        EXPECT_TRUE(log.wait_durable(*appended));
        return *appended;
    }

    static std::vector<std::string> read_data(const ShardLog& log,
                                              uint64_t from = 0,
                                              EpochMillis min_arrival = 0) {
        std::vector<std::string> out;
        for (int calls = 0; calls < 1000; ++calls) {
            auto batch = log.read(from, 7, SIZE_MAX, min_arrival);
            EXPECT_TRUE(batch) << batch.error().message;
            if (batch->records.empty()) {
                break;
            }
            for (const auto& r : batch->records) {
                out.emplace_back(r.data);
            }
            from = batch->next_seq_ix;
        }
        return out;
    }

    std::vector<std::filesystem::path> segment_files() const {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir_.path() / "shard")) {
            if (e.path().extension() == ".log") {
                files.push_back(e.path());
            }
        }
        std::sort(files.begin(), files.end());
        return files;
    }

    static std::vector<std::string> numbered(int from, int to) {
        std::vector<std::string> out;
        for (int i = from; i < to; ++i) {
            out.push_back("record-" + std::to_string(i) +
                          std::string(static_cast<size_t>(i % 50), '.'));
        }
        return out;
    }

    static std::vector<std::string> concat(std::vector<std::string> a,
                                           const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    }

    tests::TempDir dir_;
    FakeClock clock_{kStart};
};

TEST_P(ShardLogTest, ReadsBackWhatWasAppendedAcrossSegments) {
    auto log = open_log();
    // A batch is never split across segments; segments roll between batches.
    for (int i = 0; i < 100; i += 10) {
        EXPECT_EQ(append(*log, numbered(i, i + 10)).first_seq_ix, static_cast<uint64_t>(i));
    }
    EXPECT_EQ(log->durable_end(), 100u);
    EXPECT_GT(segment_files().size(), 3u);
    EXPECT_EQ(read_data(*log), numbered(0, 100));
    EXPECT_EQ(read_data(*log, 63), numbered(63, 100));

    auto batch = log->read(10, 5, SIZE_MAX, 0);
    ASSERT_EQ(batch->records.size(), 5u);
    EXPECT_EQ(batch->records[0].seq_ix, 10u);
    EXPECT_EQ(batch->records[0].partition_key, "pk");
    EXPECT_EQ(batch->next_seq_ix, 15u);
}

TEST_P(ShardLogTest, ByteLimitStopsTheReadButReturnsAtLeastOneRecord) {
    auto log = open_log(1 << 20);
    append(*log, {std::string(100, 'a'), std::string(100, 'b'), std::string(100, 'c')});
    auto two = log->read(0, 100, 210, 0);
    EXPECT_EQ(two->records.size(), 2u);
    EXPECT_EQ(two->next_seq_ix, 2u);
    auto one = log->read(0, 100, 1, 0);
    EXPECT_EQ(one->records.size(), 1u);
}

TEST_P(ShardLogTest, HandlesRecordsLargerThanTheReadChunk) {
    auto log = open_log();
    std::string big(3 << 20, 'z');
    append(*log, {"small", big, "after"});
    EXPECT_EQ(read_data(*log), (std::vector<std::string>{"small", big, "after"}));
}

TEST_P(ShardLogTest, ArrivalTimesNeverDecreaseAndIndexTime) {
    auto log = open_log();
    append(*log, numbered(0, 10));
    clock_.advance_ms(1000);
    append(*log, numbered(10, 20));
    clock_.set_ms(kStart + 500);  // the wall clock stepped back
    auto late = append(*log, numbered(20, 30));
    EXPECT_EQ(late.arrival_ms, kStart + 1000);

    EXPECT_EQ(*log->seq_ix_at_time(kStart - 1), 0u);
    EXPECT_EQ(*log->seq_ix_at_time(kStart + 1), 10u);
    EXPECT_EQ(*log->seq_ix_at_time(kStart + 1000), 10u);
    EXPECT_EQ(*log->seq_ix_at_time(kStart + 5000), 30u);  // later than every record: the end
    EXPECT_EQ(read_data(*log, 0, kStart + 1), numbered(10, 30));
}

TEST_P(ShardLogTest, RetentionDeletesOnlyWhollyExpiredSealedSegments) {
    auto log = open_log();
    for (int i = 0; i < 60; i += 10) {
        append(*log, numbered(i, i + 10));
    }
    clock_.advance_ms(10000);
    append(*log, numbered(60, 70));
    size_t before = segment_files().size();
    log->delete_segments_before(kStart + 5000);
    EXPECT_LT(segment_files().size(), before);
    EXPECT_GT(log->first_seq_ix(), 0u);
    EXPECT_EQ(read_data(*log, 0, kStart + 5000), numbered(60, 70));
    // Everything expired: the active segment stays and keeps the next sequence index.
    log->delete_segments_before(kStart + 100000);
    EXPECT_EQ(append(*log, {"next"}).first_seq_ix, 70u);
}

TEST_P(ShardLogTest, ReopenKeepsEverythingAndContinuesTheSequence) {
    {
        auto log = open_log();
        append(*log, numbered(0, 50));
    }
    auto log = open_log();
    EXPECT_EQ(log->durable_end(), 50u);
    EXPECT_EQ(read_data(*log), numbered(0, 50));
    EXPECT_EQ(append(*log, {"next"}).first_seq_ix, 50u);
}

TEST_P(ShardLogTest, RecoveryCutsTheRoomReservedAheadOfTheWritesAndAppendsGoOn) {
    {
        auto log = open_log(1 << 20);
        append(*log, numbered(0, 20));
    }
    auto last = segment_files().back();
    auto size = std::filesystem::file_size(last);
    // A crash leaves the allocated room after the last frame: zeros.
    std::filesystem::resize_file(last, size + (1 << 20));
    auto log = open_log(1 << 20);
    EXPECT_EQ(log->durable_end(), 20u);
    EXPECT_EQ(std::filesystem::file_size(last), size);
    EXPECT_EQ(append(*log, {"after"}).first_seq_ix, 20u);
    log.reset();
    auto reopened = open_log(1 << 20);
    EXPECT_EQ(read_data(*reopened), concat(numbered(0, 20), {"after"}));
}

TEST_P(ShardLogTest, RecoveryCutsATornOrCorruptTail) {
    {
        auto log = open_log(1 << 20);
        append(*log, numbered(0, 20));
    }
    auto last = segment_files().back();
    auto size = std::filesystem::file_size(last);

    // A frame cut in the middle, as a crash during write() leaves it.
    std::filesystem::resize_file(last, size - 5);
    {
        auto log = open_log(1 << 20);
        EXPECT_EQ(log->durable_end(), 19u);
        EXPECT_EQ(read_data(*log), numbered(0, 19));
        EXPECT_EQ(append(*log, {"after-cut"}).first_seq_ix, 19u);
    }
    // Garbage after the last frame.
    {
        std::ofstream out(last, std::ios::app | std::ios::binary);
        out << std::string(40, '\x7f');
    }
    {
        auto log = open_log(1 << 20);
        EXPECT_EQ(log->durable_end(), 20u);
    }
    // A flipped byte in the last frame's data fails its CRC.
    {
        int fd = ::open(last.c_str(), O_RDWR);
        char c;
        off_t at = static_cast<off_t>(std::filesystem::file_size(last) - 2);
        ASSERT_EQ(::pread(fd, &c, 1, at), 1);
        c ^= 0x01;
        ASSERT_EQ(::pwrite(fd, &c, 1, at), 1);
        ::close(fd);
    }
    auto log = open_log(1 << 20);
    EXPECT_EQ(log->durable_end(), 19u);
    EXPECT_EQ(read_data(*log), numbered(0, 19));
}

TEST_P(ShardLogTest, RebuildsAMissingIndexOfASealedSegment) {
    {
        auto log = open_log();
        for (int i = 0; i < 60; i += 10) {
            append(*log, numbered(i, i + 10));
        }
    }
    for (const auto& e : std::filesystem::directory_iterator(dir_.path() / "shard")) {
        if (e.path().extension() == ".idx") {
            std::filesystem::remove(e.path());
            break;
        }
    }
    auto log = open_log();
    EXPECT_EQ(read_data(*log), numbered(0, 60));
}

TEST_P(ShardLogTest, ConcurrentAppendersGetDenseUniqueSequenceIndexes) {
    auto log = open_log(64 * 1024);
    constexpr int kThreads = 4;
    constexpr int kBatches = 50;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int b = 0; b < kBatches; ++b) {
                std::vector<std::string> data;
                for (int i = 0; i < 10; ++i) {
                    data.push_back(std::to_string(t) + "/" + std::to_string(b * 10 + i));
                }
                auto appended = append(*log, data);
                ASSERT_GE(log->durable_end(), appended.first_seq_ix + appended.count);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    auto all = read_data(*log);
    ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kBatches * 10));
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
    auto batch = log->read(0, 10000, SIZE_MAX, 0);
    for (size_t i = 0; i < batch->records.size(); ++i) {
        ASSERT_EQ(batch->records[i].seq_ix, i);
    }
}

TEST_P(ShardLogTest, SkipsUnknownAndUnparsableFilesWhenOpening) {
    {
        auto log = open_log();
        append(*log, numbered(0, 30));
    }
    auto shard = dir_.path() / "shard";
    for (const char* name :
         {"abcdefghijklmnopqrst.log", "0000000000000000000x.log", "debug.log", "notes"}) {
        std::ofstream(shard / name) << "stray";
    }
    std::filesystem::create_directories(shard / "00000000000000000099.log");
    auto log = open_log();
    EXPECT_EQ(read_data(*log), numbered(0, 30));
    EXPECT_EQ(append(*log, {"next"}).first_seq_ix, 30u);
}

TEST(SegmentFileName, ParsesOnlyTwentyDigitsAndTheExtension) {
    EXPECT_EQ(parse_segment_file_name(segment_file_name(42), ".log"), 42u);
    EXPECT_EQ(parse_segment_file_name(index_file_name(42), ".idx"), 42u);
    EXPECT_EQ(parse_segment_file_name(segment_file_name(42), ".idx"), std::nullopt);
    for (const char* bad : {"abcdefghijklmnopqrst.log",
                            "-0000000000000000001.log",
                            "99999999999999999999.log",
                            "0000000000000000001.log",
                            "debug.log",
                            ""}) {
        EXPECT_EQ(parse_segment_file_name(bad, ".log"), std::nullopt) << bad;
    }
}

TEST_P(ShardLogTest, FailedWriteLeavesNothingAcrossACrash) {
    auto log = open_log(1 << 20);
    append(*log, numbered(0, 10));
    FaultPoints::arm(FaultPoint::kSegmentWrite, ENOSPC);
    auto failed = append_only(*log, numbered(10, 30));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kIoError);
    EXPECT_NE(failed.error().message.find("No space left on device"), std::string::npos);
    EXPECT_EQ(log->durable_end(), 10u);
    EXPECT_EQ(read_data(*log), numbered(0, 10));

    // Half of the failed frames had reached the file: a reopen without any clean close must not
    // find them.
    auto recovered = open_log(1 << 20);
    EXPECT_EQ(recovered->durable_end(), 10u);
    EXPECT_EQ(read_data(*recovered), numbered(0, 10));
    recovered.reset();

    EXPECT_EQ(append(*log, numbered(30, 35)).first_seq_ix, 10u);
    log.reset();
    auto reopened = open_log(1 << 20);
    EXPECT_EQ(read_data(*reopened), concat(numbered(0, 10), numbered(30, 35)));
}

TEST_P(ShardLogTest, FailedSyncFailsEveryPutOfItsBatchAndKeepsEarlierBatches) {
    if (GetParam() == SyncMode::kNone) {
        GTEST_SKIP() << "puts do not sync";
    }
    auto log = open_log(1 << 20);
    append(*log, numbered(0, 10));
    auto first = append_only(*log, numbered(10, 15));
    auto second = append_only(*log, numbered(15, 20));
    ASSERT_TRUE(first && second);
    FaultPoints::arm(FaultPoint::kSegmentSync, EIO);
    auto first_durable = log->wait_durable(*first);
    ASSERT_FALSE(first_durable);
    EXPECT_NE(first_durable.error().message.find("Input/output error"), std::string::npos);
    auto second_durable = log->wait_durable(*second);
    ASSERT_FALSE(second_durable);
    EXPECT_EQ(second_durable.error().message, first_durable.error().message);

    // The failed indexes are reused: no reader ever saw them, and the log stays dense.
    auto later = append(*log, numbered(20, 25));
    EXPECT_EQ(later.first_seq_ix, 10u);
    // Its indexes are durable again, but for other records: the failed put stays failed.
    EXPECT_FALSE(log->wait_durable(*first));
    auto recovered = open_log(1 << 20);
    EXPECT_EQ(read_data(*recovered), concat(numbered(0, 10), numbered(20, 25)));
}

TEST_P(ShardLogTest, FailedSealWhenRollingCutsTheActiveSegment) {
    auto log = open_log(1024);
    append(*log, numbered(0, 10));
    auto pending = append_only(*log, numbered(10, 12));
    ASSERT_TRUE(pending);
    FaultPoints::arm(FaultPoint::kSegmentSync, EIO);
    std::vector<std::string> big(1, std::string(2000, 'x'));
    ASSERT_FALSE(append_only(*log, big));
    if (GetParam() == SyncMode::kFsync) {
        EXPECT_FALSE(log->wait_durable(*pending));
        EXPECT_EQ(log->durable_end(), 10u);
    }
    uint64_t kept = log->durable_end();
    EXPECT_EQ(append(*log, big).first_seq_ix, kept);
    auto recovered = open_log(1024);
    EXPECT_EQ(recovered->durable_end(), kept + 1);
}

TEST_P(ShardLogTest, LogThatCannotCutBackRefusesAppendsUntilReopened) {
    auto log = open_log(1 << 20);
    append(*log, numbered(0, 10));
    FaultPoints::arm(FaultPoint::kSegmentWrite, EIO);
    FaultPoints::arm(FaultPoint::kSegmentSync, EIO);
    ASSERT_FALSE(append_only(*log, numbered(10, 20)));
    auto refused = append_only(*log, numbered(20, 21));
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("cutting back after it failed too"), std::string::npos);
    EXPECT_EQ(read_data(*log), numbered(0, 10));
    log.reset();
    auto reopened = open_log(1 << 20);
    EXPECT_EQ(read_data(*reopened), numbered(0, 10));
    EXPECT_EQ(append(*reopened, {"after"}).first_seq_ix, 10u);
}

TEST_P(ShardLogTest, ConcurrentPutsWithFailuresKeepExactlyTheAcknowledgedOnes) {
    auto log = open_log(4096);
    constexpr int kThreads = 4;
    constexpr int kBatches = 150;
    std::mutex mu;
    std::set<std::string> acknowledged;  // guarded by mu
    tests::FaultSaboteur saboteur;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int b = 0; b < kBatches; ++b) {
                std::vector<std::string> data;
                for (int i = 0; i < 3; ++i) {
                    data.push_back(fmt::format("{}/{}/{}", t, b, i));
                }
                auto appended = append_only(*log, data);
                if (appended && log->wait_durable(*appended)) {
                    std::lock_guard lock(mu);
                    acknowledged.insert(data.begin(), data.end());
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    saboteur.stop();

    auto recovered = open_log(4096);
    auto all = read_data(*recovered);
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), acknowledged);
    EXPECT_EQ(all.size(), acknowledged.size());
    EXPECT_EQ(recovered->durable_end(), all.size());
}

/// A shard log on a 1 MiB tmpfs: the disk really fills up. Needs root and mount(2).
class ShardLogOnTinyDiskTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0 || ::mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, "size=1m") != 0) {
            GTEST_SKIP() << "cannot mount a tmpfs here";
        }
        mounted_ = true;
    }
    void TearDown() override {
        if (mounted_) {
            ::umount(dir_.path().c_str());
        }
    }

    tests::TempDir dir_;
    FakeClock clock_{kStart};
    bool mounted_ = false;
};

TEST_F(ShardLogOnTinyDiskTest, FullDiskFailsTheAppendAndRecoveryKeepsOnlyAcknowledged) {
    auto shard = dir_.path() / "shard";
    auto log = ShardLog::open(shard, {64 << 20, SyncMode::kFsync}, clock_);
    ASSERT_TRUE(log) << log.error().message;
    std::string payload(8 * 1024, 'd');
    std::vector<RecordInput> batch(8, RecordInput{"pk", payload});
    uint64_t acknowledged = 0;
    Status failure;
    for (int i = 0; i < 1000 && failure; ++i) {
        auto appended = (*log)->append(batch);
        if (!appended) {
            failure = appended.error();
            break;
        }
        failure = (*log)->wait_durable(*appended);
        if (failure) {
            acknowledged += appended->count;
        }
    }
    ASSERT_FALSE(failure) << "a 1 MiB disk never filled up";
    EXPECT_NE(failure.error().message.find("No space left on device"), std::string::npos);
    EXPECT_EQ((*log)->durable_end(), acknowledged);
    EXPECT_EQ(std::filesystem::file_size(shard / segment_file_name(0)),
              acknowledged * (kFrameHeaderSize + 2 + payload.size()));

    auto recovered = ShardLog::open(shard, {64 << 20, SyncMode::kFsync}, clock_);
    ASSERT_TRUE(recovered) << recovered.error().message;
    EXPECT_EQ((*recovered)->durable_end(), acknowledged);
    auto read = (*recovered)->read(0, 10000, SIZE_MAX, 0);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->records.size(), acknowledged);
}

INSTANTIATE_TEST_SUITE_P(SyncModes,
                         ShardLogTest,
                         ::testing::Values(SyncMode::kFsync, SyncMode::kNone),
                         [](const auto& info) {
                             return info.param == SyncMode::kFsync ? "Fsync" : "NoSync";
                         });

}  // namespace
}  // namespace shardflow::store::log
