#include "apps/demo/demo_script.h"

#include "engine/common/quoting.h"

#include <fmt/format.h>

namespace shardflow::app::demo {
namespace {

// Shared by the live query and the backfill, so the two tables are comparable row for row.
constexpr const char* kPageViewsSelect = R"(SELECT window_start, window_end, page,
         COUNT(*) AS views, COUNT(DISTINCT user_id) AS visitors
  FROM TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE)
  GROUP BY window_start, window_end, page)";

constexpr const char* kScript =
    R"(-- shardflow demo: a stream of clicks, four continuous queries into SQLite tables, and the
-- raw records delivered to files. Rerun any of it with `shardflow sql --data-dir DIR -f FILE`.

CREATE STREAM clicks (user_id VARCHAR, page VARCHAR, referrer VARCHAR, device VARCHAR,
                      duration_ms BIGINT, ts TIMESTAMP(3),
                      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH (format = 'json', shards = {shards});

-- Reference data for the enrichment join.
CREATE TABLE pages (url VARCHAR, section VARCHAR, title VARCHAR);
INSERT INTO pages VALUES {pages};

-- Page views per minute (tumbling window), closed 5 s of event time after the minute ends.
CREATE TABLE page_views_per_minute AS
  {page_views};

-- The three most viewed pages of the last five minutes, every minute (hopping window).
CREATE TABLE top_pages AS
  SELECT window_start, window_end, TOP_K(page, 3) AS top_pages, COUNT(*) AS views
  FROM HOP(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)
  GROUP BY window_start, window_end;

-- User sessions: a session ends after 30 s without a click (session window).
CREATE TABLE user_sessions AS
  SELECT user_id, window_start, window_end, COUNT(*) AS clicks,
         SUM(duration_ms) AS time_on_pages_ms
  FROM SESSION(TABLE clicks, DESCRIPTOR(ts), INTERVAL '30' SECOND)
  GROUP BY user_id, window_start, window_end;

-- Enrichment: every click joined with its page's section (lookup join), counted per section.
CREATE TABLE views_by_section AS
  SELECT p.section, COUNT(*) AS views, COUNT(DISTINCT c.user_id) AS visitors
  FROM clicks c JOIN pages p ON c.page = p.url
  GROUP BY p.section;

-- The raw records, delivered to files the way Firehose delivers to S3.
CREATE SINK raw_clicks FROM clicks
  WITH (connector = 'files', path = {delivery}, format = 'jsonl', compression = 'gzip',
        buffer_size_mb = 1, buffer_interval_s = 10);
)";

std::string pages_values() {
    std::string out;
    for (const Page& page : kPages) {
        out += fmt::format("{}\n  ({}, {}, {})",
                           out.empty() ? "" : ",",
                           with_quotes(page.url, '\''),
                           with_quotes(page.section, '\''),
                           with_quotes(page.title, '\''));
    }
    return out;
}

}  // namespace

constexpr Page kPageList[] = {
    {"/", "front", "Home"},
    {"/products", "shop", "All products"},
    {"/products/shoes", "shop", "Shoes"},
    {"/products/hats", "shop", "Hats"},
    {"/cart", "checkout", "Cart"},
    {"/checkout", "checkout", "Checkout"},
    {"/blog", "content", "Blog"},
    {"/blog/streaming", "content", "Streaming in one binary"},
    {"/help", "support", "Help centre"},
    {"/account", "account", "Your account"},
};
const std::span<const Page> kPages = kPageList;

std::string demo_script(const std::filesystem::path& delivery_dir) {
    return fmt::format(fmt::runtime(kScript),
                       fmt::arg("shards", kShards),
                       fmt::arg("pages", pages_values()),
                       fmt::arg("page_views", kPageViewsSelect),
                       fmt::arg("delivery", with_quotes(delivery_dir.string(), '\'')));
}

std::string backfill_script() {
    return fmt::format(
        "SET 'execution.runtime-mode' = 'batch';\n"
        "CREATE TABLE {} AS\n  {};\n"
        "SET 'execution.runtime-mode' = 'streaming';\n",
        kBackfillTable,
        kPageViewsSelect);
}

}  // namespace shardflow::app::demo
