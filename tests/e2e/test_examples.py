"""The example programs under examples/ run and produce what they say."""

import json
import os
import sqlite3
import subprocess
import tempfile
import unittest

EXAMPLES = os.environ.get("SHARDFLOW_EXAMPLES", "build/release/examples")


def run_example(test, name, data, size):
    """Runs examples/NAME on DATA with SIZE; fails the test unless it exits 0."""
    done = subprocess.run([os.path.join(EXAMPLES, name), data, str(size)],
                          capture_output=True, text=True, timeout=300)
    test.assertEqual(done.returncode, 0, done.stderr)
    return done


class ClicksPerMinuteTest(unittest.TestCase):
    def test_counts_every_parsable_click_once_and_reruns_do_not_duplicate(self):
        data = tempfile.mkdtemp(prefix="shardflow-example-")
        first = run_example(self, "clicks_per_minute", data, 3000)
        self.assertIn("read 3001 records", first.stdout)
        self.assertIn("1 rejected", first.stdout)
        self.assertIn("0 late", first.stdout)
        with open(os.path.join(data, "rejected.jsonl")) as f:
            self.assertIn('"data":"not json"', f.read())
        with sqlite3.connect(os.path.join(data, "results.db")) as db:
            clicks, windows = db.execute("SELECT SUM(clicks), COUNT(DISTINCT window_start) FROM clicks_per_minute").fetchone()
        self.assertEqual(clicks, 3000)
        self.assertEqual(windows, 5)  # 3000 clicks 100 ms apart: 300 s

        # A second run appends 3000 more clicks to the stream and replays all 6000: the table holds
        # the new totals, not duplicates of the old rows.
        run_example(self, "clicks_per_minute", data, 3000)
        with sqlite3.connect(os.path.join(data, "results.db")) as db:
            clicks, rows = db.execute("SELECT SUM(clicks), COUNT(*) FROM clicks_per_minute").fetchone()
        self.assertEqual(clicks, 6000)
        self.assertEqual(rows, 50)  # 10 pages x 5 minutes, both runs write the same minutes



class UserSessionsTest(unittest.TestCase):
    def test_three_sessions_per_user_exactly_once_across_runs(self):
        data = tempfile.mkdtemp(prefix="shardflow-example-")
        run_example(self, "user_sessions", data, 150)
        # The second run resumes from the final checkpoint: nothing new to read or rewrite.
        again = run_example(self, "user_sessions", data, 150)
        self.assertIn("read 0 records", again.stdout)
        self.assertIn("resumed", again.stdout)
        with sqlite3.connect(os.path.join(data, "results.db")) as db:
            sessions, users, short = db.execute(
                "SELECT COUNT(*), COUNT(DISTINCT user), SUM(clicks < 5 OR clicks > 15) FROM sessions").fetchone()
            gaps = db.execute(
                "SELECT MIN(b.session_start - a.session_end) FROM sessions a JOIN sessions b "
                "ON a.user = b.user AND b.session_start > a.session_start").fetchone()[0]
        self.assertEqual((sessions, users, short), (450, 150, 0))
        self.assertGreaterEqual(gaps, 120000 - 30000 - 10000)  # bursts were at least 2 minutes apart


class OrdersPaymentsTest(unittest.TestCase):
    def test_paid_unpaid_and_rejected_orders(self):
        data = tempfile.mkdtemp(prefix="shardflow-example-")
        done = run_example(self, "orders_payments", data, 1000)
        orders = range(1, 1001)
        rejected = {i for i in orders if i % 97 == 0}
        unpaid = {i for i in orders if (i % 5 == 0 or i % 7 == 0) and i not in rejected}
        with open(os.path.join(data, "orders.jsonl")) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual(len(lines), 1000 - len(rejected))
        self.assertEqual({l["order_id"] for l in lines if l["paid_cents"] is None}, unpaid)
        for line in lines:
            if line["paid_cents"] is not None:
                self.assertEqual(line["paid_cents"], line["total_cents"], line)
        self.assertIn("%d unpaid, %d rejected" % (len(unpaid), len(rejected)), done.stdout)


if __name__ == "__main__":
    unittest.main()
