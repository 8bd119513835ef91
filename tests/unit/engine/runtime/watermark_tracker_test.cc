// Watermarks: minimum over partitions, out-of-orderness, idle and finished partitions.

#include "engine/runtime/watermark_tracker.h"

#include <gtest/gtest.h>

namespace shardflow::runtime {
namespace {

using namespace std::chrono_literals;

TEST(WatermarkTracker, IsTheMinimumOverPartitionsMinusTheOutOfOrderness) {
    FakeClock clock(0);
    WatermarkTracker w({.out_of_orderness = 100ms, .idle_timeout = 10s}, clock);
    w.add(0);
    w.add(1);
    EXPECT_EQ(w.advance(), kMinEventTime);  // nothing seen yet
    w.observe(0, 5000);
    EXPECT_EQ(w.advance(), kMinEventTime);  // partition 1 has seen nothing
    w.observe(1, 3000);
    EXPECT_EQ(w.advance(), 2899);
    w.observe(1, 2000);  // older than before: the watermark never goes back
    EXPECT_EQ(w.advance(), 2899);
}

TEST(WatermarkTracker, AnIdlePartitionStopsHoldingItBackUntilItHasRecordsAgain) {
    FakeClock clock(0);
    WatermarkTracker w({.out_of_orderness = 0ms, .idle_timeout = 10s}, clock);
    w.observe(0, 1000);
    w.observe(1, 9000);
    EXPECT_EQ(w.advance(), 999);
    clock.advance_ms(5000);
    w.observe(1, 20000);
    EXPECT_EQ(w.advance(), 999);
    clock.advance_ms(6000);  // partition 0 silent for 11 s
    EXPECT_EQ(w.advance(), 19999);
    w.observe(0, 21000);
    EXPECT_EQ(w.advance(), 19999);
}

TEST(WatermarkTracker, AFinishedPartitionIsLeftOutAndANewOneStartsAtTheWatermark) {
    FakeClock clock(0);
    WatermarkTracker w({.out_of_orderness = 0ms, .idle_timeout = 10s}, clock);
    w.observe(0, 1000);
    w.observe(1, 5000);
    EXPECT_EQ(w.advance(), 999);
    w.finish(0);
    EXPECT_EQ(w.advance(), 4999);
    w.add(2);  // a child shard: must not drag the watermark back to nothing
    EXPECT_EQ(w.advance(), 4999);
}

}  // namespace
}  // namespace shardflow::runtime
