"""CREATE SINK ... WITH (connector = 'files'): a served stream's records, put with boto3,
delivered to files the way Firehose delivers to S3: whole objects under time prefixes, gzip or
CSV, flushed by either buffering hint, bad records under the error prefix with the reason, and
nothing lost across a restart of the server."""

import base64
import csv
import glob
import gzip
import http.client
import json
import os
import tempfile
import time
import unittest

from server import Server

CLICKS = """CREATE STREAM clicks (user_id VARCHAR, page VARCHAR, ts TIMESTAMP(3))
  WITH (format = 'json', shards = 2);"""


class FilesSinkTest(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp(prefix="shardflow-delivered-")
        self.server = Server("--sql-allowed-path", self.out).start()
        self.kinesis = self.server.client()
        self.sql(CLICKS)

    def tearDown(self):
        self.server.stop()

    def sql(self, text):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        conn.request("POST", "/v1/sql", body=json.dumps({"sql": text}),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        conn.close()
        self.assertEqual(resp.status, 200, answer)
        return answer

    def put(self, datas):
        for at in range(0, len(datas), 500):
            batch = [{"Data": d, "PartitionKey": "k%d" % (at + i)}
                     for i, d in enumerate(datas[at:at + 500])]
            answer = self.kinesis.put_records(StreamName="clicks", Records=batch)
            self.assertEqual(answer["FailedRecordCount"], 0)

    def objects(self, pattern="**/*"):
        """Delivered files (names starting with '.' are being written)."""
        return sorted(p for p in glob.glob(os.path.join(self.out, pattern), recursive=True)
                      if os.path.isfile(p) and "/." not in p[len(self.out):])

    def wait_for(self, what, check, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if check():
                return
            time.sleep(0.1)
        self.fail("timed out waiting for " + what + "; delivered: %s" % self.objects())

    def test_gzip_json_lines_under_the_hour_and_bad_records_under_the_error_prefix(self):
        self.sql("""CREATE SINK raw FROM clicks WITH (connector = 'files', path = '%s',
                    format = 'jsonl', compression = 'gzip', buffer_interval_s = 1)""" % self.out)
        good = [json.dumps({"user_id": "u%d" % i, "page": "/p%d" % (i % 3),
                            "ts": "2026-01-01 00:00:%02d" % (i % 60)}) for i in range(50)]
        bad = ["not json at all", json.dumps({"user_id": "u", "page": "/", "ts": "yesterday"})]
        self.put(good + bad)

        def lines(paths):
            return [line for p in paths for line in gzip.open(p, "rt").read().splitlines()]

        data = lambda: [p for p in self.objects() if "/errors/" not in p]
        errors = lambda: [p for p in self.objects() if "/errors/" in p]
        self.wait_for("50 records and 2 errors",
                      lambda: len(lines(data())) == 50 and len(lines(errors())) == 2)

        hour = time.strftime("%Y/%m/%d/%H", time.gmtime())
        for path in data():  # Firehose's default: yyyy/MM/dd/HH/<name>-1-yyyy-MM-dd-HH-mm-ss-...
            rel = os.path.relpath(path, self.out)
            self.assertRegex(rel, r"^\d{4}/\d\d/\d\d/\d\d/raw-1-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-.+\.gz$")
        self.assertTrue(any(os.path.relpath(p, self.out).startswith(hour) for p in data()))
        delivered = {json.loads(line)["user_id"]: json.loads(line) for line in lines(data())}
        self.assertEqual(sorted(delivered), sorted("u%d" % i for i in range(50)))
        self.assertEqual(delivered["u7"], {"user_id": "u7", "page": "/p1",
                                           "ts": "2026-01-01 00:00:07.000"})

        failures = [json.loads(line) for line in lines(errors())]
        for path in errors():
            self.assertIn("/errors/format-conversion-failed/", path)
        raw = sorted(base64.b64decode(f["rawData"]).decode() for f in failures)
        self.assertEqual(raw, sorted(bad))
        messages = " ".join(f["errorMessage"] for f in failures)
        self.assertIn("yesterday", messages)
        for f in failures:
            self.assertTrue(f["errorCode"])
            self.assertGreater(f["arrivalTimestamp"], 0)

    def test_size_hint_csv_from_a_query_and_a_restart_loses_nothing(self):
        self.sql("""CREATE SINK pages FROM (SELECT user_id, page FROM clicks WHERE page <> '/skip')
                    WITH (connector = 'files', path = '%s', format = 'csv',
                          prefix = 'csv/!{timestamp:yyyy-MM-dd}/', buffer_size_mb = 1,
                          buffer_interval_s = 900)""" % self.out)
        padding = "x" * 1000
        first = [json.dumps({"user_id": "a%d" % i, "page": "/%s,\"%d\"" % (padding, i),
                             "ts": "2026-01-01 00:00:00"}) for i in range(2500)]
        self.put(first + [json.dumps({"user_id": "s", "page": "/skip", "ts": "2026-01-01 00:00:00"})])
        # 2.5 MB of rows and a 15-minute interval: only the size hint can deliver these.
        self.wait_for("two objects by size", lambda: len(self.objects("csv/**/*.csv")) >= 2)
        day = time.strftime("%Y-%m-%d", time.gmtime())
        for path in self.objects():
            self.assertTrue(os.path.relpath(path, self.out).startswith("csv/" + day + "/pages-1-"),
                            path)

        self.server.restart()  # stopping delivers what was buffered; the query resumes after it
        self.kinesis = self.server.client()
        second = [json.dumps({"user_id": "b%d" % i, "page": "/b", "ts": "2026-01-01 00:00:01"})
                  for i in range(10)]
        self.put(second)
        self.wait_for("the sink to read them",  # then stopping delivers them
                      lambda: "10 records read" in json.dumps(self.sql("SHOW QUERIES")))
        self.server.stop()

        users = []
        for path in self.objects("csv/**/*.csv"):
            with open(path, newline="") as f:
                rows = list(csv.reader(f))
            self.assertEqual(rows[0], ["user_id", "page"])
            for row in rows[1:]:
                users.append(row[0])
                if row[0].startswith("a"):
                    self.assertEqual(row[1], "/%s,\"%s\"" % (padding, row[0][1:]))
        expected = {"a%d" % i for i in range(2500)} | {"b%d" % i for i in range(10)}
        self.assertEqual(set(users), expected)  # at-least-once: none lost, '/skip' filtered
        self.assertEqual(len(users), len(expected))  # a clean stop and restart resends nothing

    def test_drop_sink_stops_delivery(self):
        self.sql("CREATE SINK raw FROM clicks WITH (connector = 'files', path = '%s')" % self.out)
        answer = self.sql("SHOW QUERIES")
        self.assertIn("sink_raw", json.dumps(answer))
        answer = self.sql("DROP SINK raw; SHOW QUERIES")
        self.assertEqual(answer["results"][0]["message"], "Sink raw dropped.")
        self.assertNotIn("sink_raw", json.dumps(answer["results"][1]))


if __name__ == "__main__":
    unittest.main()
