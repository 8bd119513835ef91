#pragma once
// The demo's last step: replays the clicks stream from TRIM_HORIZON into a fresh table with the
// same page-views query and compares it with the table the live query wrote.

#include "engine/common/error.h"
#include "service/sql_engine.h"

#include <cstdint>
#include <string>
#include <vector>

namespace shardflow::app::demo {

struct BackfillReport {
    size_t compared_windows = 0;  // minutes the live query had closed
    size_t compared_rows = 0;
    size_t extra_windows = 0;              // minutes only the backfill closed (still open live)
    uint64_t backfill_views = 0;           // every click, in some minute
    std::vector<std::string> differences;  // "window page: live ..., backfill ..."
    bool equal() const { return differences.empty(); }
};

/// The first result of `sql` (one statement), or its error.
Result<service::ResultSet> query(service::SqlEngine& engine, const std::string& sql);

Result<BackfillReport> backfill_and_compare(service::SqlEngine& engine);

}  // namespace shardflow::app::demo
