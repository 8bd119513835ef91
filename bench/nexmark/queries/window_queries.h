#pragma once
// Nexmark queries with windows: q5 hot items (HOP 10 s every 2 s), q7 highest bid (TUMBLE 10 s), q8
// monitor new users (TUMBLE 10 s window join of persons and auctions), q11 user sessions (SESSION
// gap 10 s), q12 bids per bidder in processing-time windows (TUMBLE 10 s over the wall clock).

#include "bench/nexmark/queries/query_set.h"

namespace shardflow::nexmark {

void build_q5(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q7(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q8(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q11(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q12(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);

}  // namespace shardflow::nexmark
