// Crash recovery of the whole store: a child process puts records and reports each one only
// after put_records returned; the parent kills it with SIGKILL at a random moment, reopens the
// data directory and requires every acknowledged record, byte for byte and in order.

#include "engine/store/stream_store.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace shardflow::store {
namespace {

constexpr int kIterations = 12;
constexpr int kShards = 3;

StoreOptions options_for(const std::filesystem::path& dir) {
    StoreOptions options;
    options.data_dir = dir;
    options.background_housekeeping = false;
    options.log.segment_bytes = 64 * 1024;  // small, so kills also land around segment rolls
    return options;
}

std::string payload(uint64_t n) {
    return "record-" + std::to_string(n) + std::string(n % 300, static_cast<char>('a' + n % 26));
}

// Runs in the child: puts batches forever, writing "<n> <shard id> <sequence number>\n" to
// `ack_fd` for each record once its batch is acknowledged.
[[noreturn]] void ingest_until_killed(const std::filesystem::path& dir,
                                      uint64_t first,
                                      int ack_fd) {
    auto store = StreamStore::open(options_for(dir));
    if (!store) {
        _exit(2);
    }
    std::mt19937_64 rng(first);
    for (uint64_t n = first;;) {
        size_t count = 1 + rng() % 40;
        std::vector<std::string> keys;
        std::vector<std::string> data;
        for (size_t i = 0; i < count; ++i) {
            keys.push_back("key-" + std::to_string(rng() % 17));
            data.push_back(payload(n + i));
        }
        std::vector<PutRecordRequest> batch;
        for (size_t i = 0; i < count; ++i) {
            batch.push_back({keys[i], data[i], std::nullopt});
        }
        auto results = (*store)->put_records("s", batch);
        if (!results) {
            _exit(3);
        }
        std::string acks;
        for (size_t i = 0; i < count; ++i) {
            const auto& r = (*results)[i];
            if (!r) {
                _exit(4);
            }
            acks += std::to_string(n + i) + " " + r->shard_id + " " + r->sequence_number + "\n";
        }
        if (::write(ack_fd, acks.data(), acks.size()) != static_cast<ssize_t>(acks.size())) {
            _exit(5);
        }
        n += count;
    }
}

struct Ack {
    std::string shard_id;
    std::string sequence_number;
};

std::map<uint64_t, Ack> parse_acks(const std::string& text) {
    std::map<uint64_t, Ack> acks;
    size_t pos = 0;
    while (true) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) {
            break;  // a line cut by the kill was never fully reported
        }
        std::string line = text.substr(pos, end - pos);
        size_t a = line.find(' ');
        size_t b = line.find(' ', a + 1);
        acks[std::stoull(line.substr(0, a))] = {line.substr(a + 1, b - a - 1), line.substr(b + 1)};
        pos = end + 1;
    }
    return acks;
}

TEST(StoreCrashRecovery, KeepsEveryAcknowledgedRecordAcrossKillNine) {
    tests::TempDir dir;
    {
        auto store = StreamStore::open(options_for(dir.path()));
        ASSERT_TRUE(store);
        ASSERT_TRUE((*store)->create_stream({"s", kShards, StreamMode::kProvisioned, {}}));
    }
    std::mt19937 rng(42);
    std::map<uint64_t, Ack> acknowledged;
    uint64_t next = 0;
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        int pipe_fds[2];
        ASSERT_EQ(::pipe(pipe_fds), 0);
        pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(pipe_fds[0]);
            ingest_until_killed(dir.path(), next, pipe_fds[1]);
        }
        ::close(pipe_fds[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 120));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "child exited on its own with " << WEXITSTATUS(status);
        std::string text;
        char buf[65536];
        for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) {
            text.append(buf, static_cast<size_t>(n));
        }
        ::close(pipe_fds[0]);
        auto acks = parse_acks(text);
        acknowledged.insert(acks.begin(), acks.end());

        // Reopen and check: every acknowledged record is there with its sequence number and bytes.
        auto store = StreamStore::open(options_for(dir.path()));
        ASSERT_TRUE(store) << store.error().message;
        std::map<std::string, std::string> by_sequence;  // sequence number -> data
        uint64_t highest = next;
        for (int shard = 0; shard < kShards; ++shard) {
            auto it = (*store)->get_shard_iterator(
                "s", shard_id_name(shard), {IteratorType::kTrimHorizon, {}, 0});
            ASSERT_TRUE(it);
            std::string previous;
            for (int call = 0; call < 10000; ++call) {
                auto r = (*store)->get_records(*it, 10000);
                ASSERT_TRUE(r) << r.error().message;
                if (r->records.empty()) {
                    break;
                }
                for (const auto& rec : r->records) {
                    ASSERT_TRUE(previous.empty() || SequenceNumber::parse(previous) <
                                                        SequenceNumber::parse(rec.sequence_number));
                    previous = rec.sequence_number;
                    by_sequence[rec.sequence_number] = std::string(rec.data);
                    uint64_t n = std::stoull(std::string(
                        rec.data.substr(7, rec.data.find_first_not_of("0123456789", 7) - 7)));
                    highest = std::max(highest, n + 1);
                }
                it = *r->next_shard_iterator;
            }
        }
        for (const auto& [n, ack] : acknowledged) {
            auto found = by_sequence.find(ack.sequence_number);
            ASSERT_NE(found, by_sequence.end())
                << "acknowledged record " << n << " lost after iteration " << iteration;
            ASSERT_EQ(found->second, payload(n));
        }
        // The next child continues past anything that reached the disk, acknowledged or not.
        next = highest;
    }
    EXPECT_GT(acknowledged.size(), 100u);
}

}  // namespace
}  // namespace shardflow::store
