"""`shardflow demo`, the README's first command, run to completion with a short duration: its
summary's numbers are checked against the SQLite tables and the delivered files it names."""

import glob
import gzip
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import unittest

from server import BINARY


class DemoTest(unittest.TestCase):
    def run_demo(self, *args):
        done = subprocess.run([BINARY, "demo"] + list(args), capture_output=True, text=True,
                              timeout=300)
        return done.returncode, done.stdout, done.stderr

    def test_summary_matches_tables_files_and_backfill(self):
        data = os.path.join(tempfile.mkdtemp(prefix="shardflow-demo-test-"), "demo")
        code, out, err = self.run_demo("--duration", "8", "--rate", "150", "--data-dir", data)
        self.assertEqual(code, 0, out + err)

        produced = int(re.search(r"produced\s+(\d+) click records", out).group(1))
        self.assertGreater(produced, 600)
        shards = re.search(r"\(4 shards: ([\d /]+)\), 0 failed", out).group(1)
        self.assertEqual(sum(int(n) for n in shards.split(" / ")), produced)

        db = sqlite3.connect(os.path.join(data, "sql.db"))
        for table in ["page_views_per_minute", "top_pages", "user_sessions", "views_by_section"]:
            rows = db.execute('SELECT COUNT(*) FROM "%s"' % table).fetchone()[0]
            self.assertGreater(rows, 0, table)
            self.assertRegex(out, r"%s\s+%d rows" % (table, rows))

        # The backfill saw every click; the live table equals it on every minute it closed.
        views = db.execute("SELECT SUM(views) FROM page_views_backfill").fetchone()[0]
        self.assertEqual(views, produced)
        self.assertIn("backfill   replayed clicks from TRIM_HORIZON into page_views_backfill: "
                      "%d views in all" % views, out)
        live = db.execute("SELECT window_start, page, views, visitors FROM page_views_per_minute "
                          "ORDER BY 1, 2").fetchall()
        closed = {row[0] for row in live}
        backfill = db.execute("SELECT window_start, page, views, visitors FROM "
                              "page_views_backfill ORDER BY 1, 2").fetchall()
        self.assertGreaterEqual(len(closed), 2)  # minutes close while the demo runs
        self.assertEqual(live, [row for row in backfill if row[0] in closed])
        self.assertIn("minutes the live query closed (%d rows) are identical" % len(live), out)

        # Sessions and the enrichment join see the same clicks.
        session_clicks = db.execute("SELECT SUM(clicks) FROM user_sessions").fetchone()[0]
        self.assertLessEqual(session_clicks, produced)
        section_views = db.execute("SELECT SUM(views) FROM views_by_section").fetchone()[0]
        self.assertLessEqual(section_views, produced)
        self.assertGreater(section_views, produced // 2)

        # Every click was delivered to the files, once (a clean stop resends nothing).
        objects = [p for p in glob.glob(os.path.join(data, "delivered", "**", "*.gz"),
                                        recursive=True) if "/." not in p]
        self.assertRegex(out, r"delivered\s+%d objects" % len(objects))
        clicks = [json.loads(line) for p in objects for line in gzip.open(p, "rt")]
        self.assertEqual(len(clicks), produced)
        self.assertEqual(set(clicks[0]), {"user_id", "page", "referrer", "device", "duration_ms",
                                          "ts"})
        self.assertRegex(clicks[0]["ts"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$")

        # The commands it prints work.
        command = re.search(r"shardflow sql --data-dir (\S+) -e 'SHOW TABLES; SHOW QUERIES'", out)
        self.assertEqual(command.group(1), data)
        done = subprocess.run([BINARY, "sql", "--data-dir", data, "-e",
                               "SELECT COUNT(*) AS n FROM page_views_per_minute"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(" %d" % len(live), done.stdout)

    def test_refuses_a_data_dir_with_a_demo_in_it_and_bad_options(self):
        data = tempfile.mkdtemp(prefix="shardflow-demo-test-")
        open(os.path.join(data, "sql.db"), "w").close()
        code, _, err = self.run_demo("--data-dir", data)
        self.assertEqual(code, 2)
        self.assertIn("already holds a demo's data", err)
        code, _, err = self.run_demo("--rate", "0")
        self.assertEqual(code, 2)
        self.assertIn("--rate 1..100000", err)


if __name__ == "__main__":
    unittest.main()
