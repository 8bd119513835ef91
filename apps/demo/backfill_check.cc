#include "apps/demo/backfill_check.h"

#include "apps/demo/demo_script.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace shardflow::app::demo {
namespace {

using Rows = std::map<std::pair<std::string, std::string>, std::vector<std::string>>;

/// (window_start, page) → the other columns.
Result<Rows> page_views(service::SqlEngine& engine, const char* table) {
    SF_ASSIGN_OR_RETURN(auto result,
                        query(engine,
                              fmt::format("SELECT window_start, page, views, visitors FROM {} "
                                          "ORDER BY window_start, page",
                                          table)));
    Rows rows;
    for (auto& row : result.rows) {
        rows[{row[0], row[1]}] = {row[2], row[3]};
    }
    return rows;
}

std::string describe(const std::vector<std::string>* values) {
    return values ? fmt::format("views {}, visitors {}", (*values)[0], (*values)[1]) : "missing";
}

}  // namespace

Result<service::ResultSet> query(service::SqlEngine& engine, const std::string& sql) {
    auto result = engine.execute(sql);
    if (result.error) {
        return *result.error;
    }
    if (result.results.empty()) {
        return Error{ErrorCode::kInternalFailure, "no result for: " + sql};
    }
    return std::move(result.results.front());
}

Result<BackfillReport> backfill_and_compare(service::SqlEngine& engine) {
    SF_ASSIGN_OR_RETURN(Rows live, page_views(engine, kViewsTable));
    auto ran = engine.execute(backfill_script());
    if (ran.error) {
        return *ran.error;
    }
    SF_ASSIGN_OR_RETURN(Rows backfill, page_views(engine, kBackfillTable));

    std::set<std::string> live_windows;
    for (const auto& [key, values] : live) {
        live_windows.insert(key.first);
    }
    BackfillReport report;
    report.compared_windows = live_windows.size();
    std::set<std::string> extra_windows;
    for (const auto& [key, values] : backfill) {
        report.backfill_views += std::stoull(values[0]);
        if (!live_windows.contains(key.first)) {
            extra_windows.insert(key.first);
            continue;
        }
        ++report.compared_rows;
        auto it = live.find(key);
        if (it == live.end() || it->second != values) {
            report.differences.push_back(
                fmt::format("{} {}: live {}, backfill {}",
                            key.first,
                            key.second,
                            describe(it == live.end() ? nullptr : &it->second),
                            describe(&values)));
        }
    }
    for (const auto& [key, values] : live) {
        if (!backfill.contains(key)) {
            report.differences.push_back(fmt::format(
                "{} {}: live {}, backfill missing", key.first, key.second, describe(&values)));
        }
    }
    report.extra_windows = extra_windows.size();
    return report;
}

}  // namespace shardflow::app::demo
