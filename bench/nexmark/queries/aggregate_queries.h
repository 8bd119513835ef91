#pragma once
// Nexmark queries with unbounded group aggregations (an update stream per group): q15 bidding
// statistics per day, q16 the same per channel and day, q17 auction statistics per day, q18 the
// last bid of each bidder on each auction, q19 the 10 best bids of each auction.

#include "bench/nexmark/queries/query_set.h"

namespace shardflow::nexmark {

void build_q15(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q16(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q17(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q18(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q19(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);

}  // namespace shardflow::nexmark
