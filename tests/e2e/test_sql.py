"""`shardflow sql` end to end: embedded on a data directory (-e, -f, the REPL on stdin) and
against a running server (POST /v1/sql, --endpoint), with records put by boto3."""

import http.client
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import unittest

from server import BINARY, Server


def sql(*args, stdin=None):
    """Runs `shardflow sql ARGS`; returns (exit code, stdout, stderr)."""
    done = subprocess.run([BINARY, "sql"] + list(args), input=stdin, capture_output=True,
                          text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


CLICKS = """
CREATE STREAM clicks (user_id VARCHAR, page VARCHAR, bytes BIGINT, ts TIMESTAMP(3),
                      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH (format = 'json', shards = 2);
INSERT INTO clicks VALUES ('u1', '/home', 100, '2026-01-01 00:00:01'),
                          ('u2', '/home', 50, '2026-01-01 00:00:30'),
                          ('u1', '/cart', 7, '2026-01-01 00:01:10');
"""


class EmbeddedSqlTest(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="shardflow-sql-")

    def test_script_file_prints_aligned_tables(self):
        script = os.path.join(self.data, "clicks.sql")
        with open(script, "w") as f:
            f.write(CLICKS + """
-- a comment
SELECT window_start, page, COUNT(*) AS views
FROM TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE)
GROUP BY window_start, window_end, page
ORDER BY window_start, page;
""")
        code, out, err = sql("--data-dir", self.data, "-f", script)
        self.assertEqual(code, 0, err)
        self.assertIn(" window_start            | page  | views\n", out)
        self.assertIn(" 2026-01-01 00:00:00.000 | /home | 2    \n", out)
        self.assertIn(" 2026-01-01 00:01:00.000 | /cart | 1    \n", out)
        self.assertIn("(2 rows)", out)

    def test_errors_name_line_and_column_and_exit_1(self):
        code, out, err = sql("--data-dir", self.data, "-e", CLICKS + "SELECT pgae\nFROM clicks;")
        self.assertEqual(code, 1)
        self.assertIn("ERROR: line 8, column 8: unknown column 'pgae' in SELECT, did you mean 'page'?", err)
        self.assertIn("3 records written to clicks.", out)  # what ran before the error stays done

        code, _, err = sql("--data-dir", self.data, "-e", "SELECT page FORM clicks;")
        self.assertEqual(code, 1)
        self.assertIn("ERROR: line 1, column 13: syntax error at 'FORM'", err)

    def test_repl_reads_multi_line_statements_and_keeps_going_after_errors(self):
        session = CLICKS + "SELECT nope FROM clicks;\nSELECT page,\n  bytes\nFROM clicks\nWHERE bytes > 60;\n\\q\n"
        code, out, err = sql("--data-dir", self.data, stdin=session)
        self.assertEqual(code, 0, err)
        self.assertIn("unknown column 'nope'", err)
        self.assertIn(" /home | 100  \n", out)
        self.assertIn("        -> ", out)  # the continuation prompt

    def test_push_query_prints_rows_as_they_come_until_its_limit(self):
        code, out, err = sql("--data-dir", self.data, "-e",
                             CLICKS + "SELECT page, COUNT(*) AS n FROM clicks GROUP BY page EMIT CHANGES LIMIT 2;")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        changes = [line for line in lines if " | " in line]  # an update stream: counts so far
        self.assertEqual(len(changes), 2, out)
        for line in changes:
            self.assertRegex(line, r"^/(home|cart) \| [12]$")
        self.assertIn("2 rows", lines)

    def test_reference_table_in_another_sqlite_file_enriches_a_stream(self):
        ref = os.path.join(self.data, "reference.db")
        with sqlite3.connect(ref) as db:
            db.execute("CREATE TABLE page_info (path TEXT, title TEXT, owner TEXT)")
            db.executemany("INSERT INTO page_info VALUES (?, ?, ?)",
                           [("/home", "Home", "web"), ("/cart", "Cart", "shop")])
        create = ("CREATE TABLE pages (path VARCHAR, title VARCHAR) WITH (database = '%s', table = 'page_info');"
                  % ref)
        code, out, err = sql("--data-dir", self.data, "-e", CLICKS + create + """
SELECT c.user_id, p.title FROM clicks c JOIN pages p ON c.page = p.path ORDER BY c.user_id, p.title;""")
        self.assertEqual(code, 0, err)
        self.assertIn(" u1      | Cart \n u1      | Home \n u2      | Home \n", out)
        # A new session finds the table again (the catalog attaches the file anew).
        code, out, err = sql("--data-dir", self.data, "-e", "SELECT title FROM pages ORDER BY title; DROP TABLE pages;")
        self.assertEqual(code, 0, err)
        self.assertIn(" Cart \n Home \n", out)
        with sqlite3.connect(ref) as db:  # dropping it from SQL leaves the other file alone
            self.assertEqual(db.execute("SELECT COUNT(*) FROM page_info").fetchone()[0], 2)
        code, _, err = sql("--data-dir", self.data, "-e",
                           "CREATE TABLE t (a VARCHAR) WITH (database = '%s/nonexistent.db');" % self.data)
        self.assertEqual(code, 1)
        self.assertIn("no SQLite database at 'nonexistent.db'", err)
        self.assertNotIn(os.path.realpath(self.data), err, "answers show no server paths")
        code, _, err = sql("--data-dir", self.data, "-e",
                           "CREATE TABLE t (a VARCHAR) WITH (database = '/nonexistent/x.db');")
        self.assertEqual(code, 1)
        self.assertIn("path '/nonexistent/x.db' is not allowed", err)
        code, _, err = sql("--data-dir", self.data, "-e",
                           "CREATE TABLE t (nope VARCHAR) WITH (database = '%s', table = 'page_info');" % ref)
        self.assertEqual(code, 1)
        self.assertIn("no such column: nope", err)

    def test_catalog_and_tables_survive_a_new_session(self):
        code, _, err = sql("--data-dir", self.data, "-e", CLICKS + """
SET 'execution.runtime-mode' = 'batch';
CREATE TABLE per_page AS SELECT page, COUNT(*) AS views, SUM(bytes) AS bytes FROM clicks GROUP BY page;""")
        self.assertEqual(code, 0, err)
        code, out, err = sql("--data-dir", self.data, "-e", "SELECT page, views, bytes FROM per_page ORDER BY page; SHOW STREAMS;")
        self.assertEqual(code, 0, err)
        self.assertIn(" /cart | 1     | 7    \n /home | 2     | 150  \n", out)
        self.assertIn(" clicks | clicks       | json   | 4      \n", out)


class ServerSqlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def post(self, body):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        conn.request("POST", "/v1/sql", body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        conn.close()
        return resp.status, answer

    def wait_rows(self, query, count):
        for _ in range(300):
            status, answer = self.post(json.dumps({"sql": query}))
            if status == 200 and len(answer["results"][-1]["rows"]) == count:
                return answer["results"][-1]["rows"]
            time.sleep(0.05)
        self.fail("no %d rows from %s: %s" % (count, query, answer))

    def test_continuous_query_over_records_put_with_boto3_resumes_after_restart(self):
        endpoint = "http://127.0.0.1:%d" % self.server.port
        code, out, err = sql("--endpoint", endpoint, "-e", """
CREATE STREAM orders (id BIGINT, customer VARCHAR, amount DOUBLE) WITH (shards = 2, partition_key = 'customer');
CREATE TABLE per_customer AS SELECT customer, COUNT(*) AS orders, SUM(amount) AS total FROM orders GROUP BY customer;""")
        self.assertEqual(code, 0, err)
        self.assertIn("Query ctas_per_customer started; it writes per_customer.", out)

        k = self.server.client()
        records = [{"Data": json.dumps({"id": i, "customer": "c%d" % (i % 3), "amount": 1.5}).encode(),
                    "PartitionKey": "c%d" % (i % 3)} for i in range(30)]
        records.append({"Data": b"not json", "PartitionKey": "bad"})
        self.assertEqual(k.put_records(StreamName="orders", Records=records)["FailedRecordCount"], 0)
        rows = self.wait_rows("SELECT customer, orders, total FROM per_customer ORDER BY customer", 3)
        self.assertEqual(rows, [["c0", "10", "15.0"], ["c1", "10", "15.0"], ["c2", "10", "15.0"]])
        status, answer = self.post(json.dumps({"sql": "SHOW QUERIES"}))
        self.assertIn("1 rejected", answer["results"][0]["rows"][0][2])

        self.server.restart()
        status, answer = self.post(json.dumps({"sql": "SHOW QUERIES"}))
        self.assertEqual(status, 200)
        self.assertTrue(answer["results"][0]["rows"][0][2].startswith("RUNNING"))
        k = self.server.client()
        k.put_record(StreamName="orders", Data=json.dumps({"id": 99, "customer": "c0", "amount": 10}).encode(),
                     PartitionKey="c0")
        for _ in range(300):
            rows = self.wait_rows("SELECT customer, orders, total FROM per_customer ORDER BY customer", 3)
            if rows[0] == ["c0", "11", "25.0"]:
                break
            time.sleep(0.05)
        self.assertEqual(rows[0], ["c0", "11", "25.0"])  # resumed, not replayed from the start

    def test_push_query_over_http_answers_its_limit_or_stops_in_time(self):
        code, _, err = sql("--endpoint", "http://127.0.0.1:%d" % self.server.port, "-e", """
CREATE STREAM events (kind VARCHAR) WITH (shards = 1);
INSERT INTO events VALUES ('a'), ('b'), ('a');""")
        self.assertEqual(code, 0, err)
        status, answer = self.post(json.dumps({"sql": "SELECT kind FROM events EMIT CHANGES LIMIT 2"}))
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["results"][0]["rows"], [["a"], ["b"]])

    def test_bad_requests_get_400_with_the_reason(self):
        status, answer = self.post("not json")
        self.assertEqual(status, 400)
        self.assertEqual(answer["error"], 'the body must be a JSON object {"sql": "statements;"}')
        status, answer = self.post(json.dumps({"sql": "SELECT FROM"}))
        self.assertEqual(status, 400)
        self.assertTrue(answer["error"].startswith("line 1, column 8: syntax error"), answer)

    def test_client_says_where_no_server_listens(self):
        code, _, err = sql("--endpoint", "http://127.0.0.1:1", "-e", "SHOW STREAMS;")
        self.assertEqual(code, 1)
        self.assertIn("cannot reach the shardflow server at http://127.0.0.1:1", err)


if __name__ == "__main__":
    unittest.main()
