#pragma once
// q12's rows are windows of processing time, so they differ from run to run; what must hold is
// that every bid is counted in exactly one aligned 10 s window. Shared by the C++ and SQL checks.

#include "engine/common/timestamp_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace shardflow::nexmark {

/// Bids per bidder summed over "bidder bid_count starttime endtime" rows (timestamps as
/// "yyyy-MM-dd HH:mm:ss.SSS"), checking each window's bounds on the way.
inline std::map<int64_t, int64_t> bids_per_bidder(const std::vector<std::string>& rows) {
    std::map<int64_t, int64_t> out;
    for (const auto& row : rows) {
        std::istringstream in(row);
        int64_t bidder = 0, count = 0;
        std::string start_day, start_time, end_day, end_time;
        in >> bidder >> count >> start_day >> start_time >> end_day >> end_time;
        auto start = parse_timestamp(start_day + " " + start_time);
        auto end = parse_timestamp(end_day + " " + end_time);
        EXPECT_TRUE(start && end) << row;
        if (start && end) {
            EXPECT_EQ(*start % 10000, 0) << row;
            EXPECT_EQ(*end - *start, 10000) << row;
        }
        out[bidder] += count;
    }
    return out;
}

}  // namespace shardflow::nexmark
