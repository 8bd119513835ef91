#pragma once
// Events as stream records: one JSON object per event, shaped like upstream's `datagen` table
// (resources/queries/ddl_gen.sql): {"event_type": 0|1|2, "person"|"auction"|"bid": {...}},
// fields in camelCase as in the DDL, times as epoch milliseconds.

#include "bench/nexmark/generator/model.h"

#include <string>

namespace shardflow::nexmark {

std::string event_json(const Event& event);

/// Appends event_json(event) to `out` (no separator), to fill record batches without a
/// temporary string per event.
void append_event_json(const Event& event, std::string& out);

/// The event's own row alone, flat ({"auction":..., "bidder":..., ...}): records of the per-type
/// streams `person`, `auction` and `bid` that SQL queries read.
std::string row_json(const Event& event);

/// The record's partition key: the auction id for bids and auctions, the person id for
/// persons, in decimal.
std::string partition_key(const Event& event);

}  // namespace shardflow::nexmark
