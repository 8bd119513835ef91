"""The example programs under examples/ run and produce what they say."""

import os
import sqlite3
import subprocess
import tempfile
import unittest

EXAMPLES = os.environ.get("SHARDFLOW_EXAMPLES", "build/release/examples")


class ClicksPerMinuteTest(unittest.TestCase):
    def test_counts_every_parsable_click_once_and_reruns_do_not_duplicate(self):
        data = tempfile.mkdtemp(prefix="shardflow-example-")
        run = lambda: subprocess.run([os.path.join(EXAMPLES, "clicks_per_minute"), data, "3000"],
                                     capture_output=True, text=True, timeout=300)
        first = run()
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("read 3001 records", first.stdout)
        self.assertIn("1 rejected", first.stdout)
        with open(os.path.join(data, "rejected.jsonl")) as f:
            self.assertIn('"data":"not json"', f.read())
        with sqlite3.connect(os.path.join(data, "results.db")) as db:
            clicks, windows = db.execute("SELECT SUM(clicks), COUNT(DISTINCT window_start) FROM clicks_per_minute").fetchone()
        self.assertEqual(clicks, 3000)
        self.assertEqual(windows, 5)  # 3000 clicks 100 ms apart: 300 s

        # A second run appends 3000 more clicks to the stream and replays all 6000: the table holds
        # the new totals, not duplicates of the old rows.
        second = run()
        self.assertEqual(second.returncode, 0, second.stderr)
        with sqlite3.connect(os.path.join(data, "results.db")) as db:
            clicks, rows = db.execute("SELECT SUM(clicks), COUNT(*) FROM clicks_per_minute").fetchone()
        self.assertEqual(clicks, 6000)
        self.assertEqual(rows, 50)  # 10 pages x 5 minutes, both runs write the same minutes


if __name__ == "__main__":
    unittest.main()
