#pragma once
// Nexmark queries that join: q3 local item suggestion and q20 expanded bids (regular joins of
// auctions with persons and of bids with auctions), q4 average closing price per category, q6
// average selling price of each seller's last 10 auctions, q9 winning bids (each on the winning
// bid of every auction, then q4 and q6 keyed again by category or seller).

#include "bench/nexmark/queries/query_set.h"

namespace shardflow::nexmark {

void build_q3(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q4(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q6(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q9(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q20(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);

}  // namespace shardflow::nexmark
