#pragma once
// Nexmark queries that look at one bid at a time: q0 pass-through, q1 currency conversion,
// q2 selection, q14 calculation (CASE, a UDF), q21 channel id, q22 URL directories.

#include "bench/nexmark/queries/query_set.h"

namespace shardflow::nexmark {

void build_q0(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q1(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q2(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q13(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q14(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q21(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);
void build_q22(ops::Query& q, EventSource source, std::shared_ptr<ResultRows> rows);

}  // namespace shardflow::nexmark
