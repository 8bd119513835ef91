// The tailer on real files: appends, partial lines, rotation by rename and by copytruncate,
// restarts from a checkpoint (also after a rotation while stopped), and the checkpoint file.

#include "connectors/file_tailer/file_tailer.h"

#include "connectors/file_tailer/checkpoint_file.h"
#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

namespace shardflow::connectors {
namespace {

using Lines = std::vector<std::string>;

class FileTailerTest : public ::testing::Test {
protected:
    void append(const std::string& text, const std::filesystem::path& file = {}) {
        std::ofstream(file.empty() ? log_ : file, std::ios::app) << text;
    }

    Lines poll(FileTailer& tailer, size_t max_bytes = 1 << 20) {
        Lines lines;
        Status s = tailer.poll(lines, max_bytes);
        EXPECT_TRUE(s) << s.error().message;
        return lines;
    }

    /// Polls until a poll returns nothing twice in a row (rotation takes a quiet poll).
    Lines drain(FileTailer& tailer) {
        Lines all;
        for (int empty = 0; empty < 3;) {
            Lines got = poll(tailer);
            empty = got.empty() ? empty + 1 : 0;
            all.insert(all.end(), got.begin(), got.end());
        }
        return all;
    }

    tests::TempDir dir_;
    std::filesystem::path log_ = dir_.path() / "app.log";
};

TEST_F(FileTailerTest, ReadsAppendsAndWaitsForTheEndOfAPartialLine) {
    append("one\ntwo\n");
    FileTailer tailer(log_, std::nullopt, true);
    EXPECT_EQ(poll(tailer), (Lines{"one", "two"}));
    EXPECT_EQ(poll(tailer), Lines{});
    append("thr");
    EXPECT_EQ(poll(tailer), Lines{});
    append("ee\n\nfour\n");
    EXPECT_EQ(poll(tailer), (Lines{"three", "", "four"}));
    EXPECT_EQ(tailer.position().offset, 20u);
}

TEST_F(FileTailerTest, StartsAtTheEndUnlessFromStartAndWaitsForAMissingFile) {
    append("old\n");
    FileTailer at_end(log_, std::nullopt, false);
    EXPECT_EQ(poll(at_end), Lines{});
    append("new\n");
    EXPECT_EQ(poll(at_end), Lines{"new"});

    FileTailer later(dir_.path() / "later.log", std::nullopt, false);
    EXPECT_EQ(poll(later), Lines{});
    append("first\n", dir_.path() / "later.log");  // appeared after start: read from 0
    EXPECT_EQ(poll(later), Lines{"first"});
}

TEST_F(FileTailerTest, LimitsAPollAndCutsOverlongLines) {
    append("aaaa\nbbbb\ncccccccccccc\n");
    FileTailer tailer(log_, std::nullopt, true);
    EXPECT_EQ(poll(tailer, 8), Lines{"aaaa"});
    EXPECT_EQ(poll(tailer, 8), Lines{"bbbb"});
    EXPECT_EQ(poll(tailer, 8), Lines{"cccccccc"});
    EXPECT_EQ(poll(tailer, 8), Lines{"cccc"});
}

TEST_F(FileTailerTest, FollowsRotationByRenameAfterDrainingTheOldFile) {
    append("a1\n");
    FileTailer tailer(log_, std::nullopt, true);
    EXPECT_EQ(poll(tailer), Lines{"a1"});
    append("a2\na3-no-newline");
    std::filesystem::rename(log_, dir_.path() / "app.log.1");
    append("b1\n");
    EXPECT_EQ(drain(tailer), (Lines{"a2", "a3-no-newline", "b1"}));
    append("b2\n");
    EXPECT_EQ(poll(tailer), Lines{"b2"});
}

TEST_F(FileTailerTest, RereadsATruncatedFileFromItsStart) {
    append("a1\na2\n");
    FileTailer tailer(log_, std::nullopt, true);
    EXPECT_EQ(poll(tailer), (Lines{"a1", "a2"}));
    std::filesystem::resize_file(log_, 0);  // copytruncate
    append("b\n");
    EXPECT_EQ(poll(tailer), Lines{"b"});
}

TEST_F(FileTailerTest, ResumesFromACheckpointWithoutLosingOrRepeatingLines) {
    append("a1\na2\n");
    FilePosition saved;
    {
        FileTailer tailer(log_, std::nullopt, true);
        EXPECT_EQ(poll(tailer), (Lines{"a1", "a2"}));
        saved = tailer.position();
    }
    append("a3\n");
    FileTailer same(log_, saved, false);
    EXPECT_EQ(poll(same), Lines{"a3"});
    saved = same.position();

    append("a4\n");  // then rotated while the agent was stopped
    std::filesystem::rename(log_, dir_.path() / "app.log.1");
    append("b1\n");
    FileTailer rotated(log_, saved, false);
    EXPECT_EQ(drain(rotated), (Lines{"a4", "b1"}));

    saved = rotated.position();
    std::filesystem::remove(dir_.path() / "app.log.1");
    std::filesystem::remove(log_);
    append("c1\n");  // the checkpointed file is gone: what is there now is new
    FileTailer gone(log_, saved, false);
    EXPECT_EQ(poll(gone), Lines{"c1"});
}

TEST_F(FileTailerTest, CheckpointsRoundTripThroughTheirFile) {
    auto file = dir_.path() / "agent.checkpoints";
    EXPECT_TRUE(load_checkpoints(file)->empty());
    Checkpoints saved{{"/a", {"/a", 1, 2, 3}}, {"/b", {"/b", 4, 5, 6}}};
    ASSERT_TRUE(save_checkpoints(file, saved));
    EXPECT_EQ(*load_checkpoints(file), saved);
    std::ofstream(file) << "{\"files\": 7}";
    auto bad = load_checkpoints(file);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kCorruption);
    EXPECT_FALSE(save_checkpoints(dir_.path() / "no-such-dir" / "x", saved));
}

}  // namespace
}  // namespace shardflow::connectors
