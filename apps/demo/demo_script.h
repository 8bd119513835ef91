#pragma once
// The SQL that `shardflow demo` runs: the clicks stream, a reference table of pages, four
// continuous queries into SQLite tables and the delivery of the raw records to files. The demo
// writes it to its data directory so users can read and rerun it.

#include <filesystem>
#include <span>
#include <string>

namespace shardflow::app::demo {

inline constexpr const char* kStream = "clicks";
inline constexpr int kShards = 4;
inline constexpr const char* kViewsTable = "page_views_per_minute";
inline constexpr const char* kBackfillTable = "page_views_backfill";
/// The continuous queries' result tables, in the order the script creates them.
inline constexpr const char* kResultTables[] = {
    kViewsTable, "top_pages", "user_sessions", "views_by_section"};

/// Everything, with raw records delivered under `delivery_dir`.
std::string demo_script(const std::filesystem::path& delivery_dir);

/// Replays the stream from TRIM_HORIZON into kBackfillTable with the page-views query.
std::string backfill_script();

struct Page {
    const char* url;
    const char* section;
    const char* title;
};
/// The reference table's pages: the generator clicks on these (and on a few unknown ones).
extern const std::span<const Page> kPages;

}  // namespace shardflow::app::demo
