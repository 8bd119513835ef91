"""`shardflow generate` end to end: template records into a served stream, read back with boto3;
bad templates and options exit 2 with the reason; an endpoint that is away fails fast."""

import json
import os
import re
import subprocess
import tempfile
import time
import unittest

from server import BINARY, SharedServerTest


def generate(*args, timeout=120):
    """Runs `shardflow generate ARGS`; returns (exit code, stderr)."""
    done = subprocess.run([BINARY, "generate"] + list(args), capture_output=True, text=True,
                          timeout=timeout)
    return done.returncode, done.stderr


class GenerateTest(SharedServerTest):
    def run_ok(self, stream, *args):
        code, err = generate("--stream", stream, "--endpoint", self.server.endpoint, *args)
        self.assertEqual(code, 0, err)
        return err

    def all_records(self, stream):
        records = []
        for shard in self.k.list_shards(StreamName=stream)["Shards"]:
            it = self.k.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while True:
                page = self.k.get_records(ShardIterator=it, Limit=10000)
                records += page["Records"]
                if not page["Records"]:
                    break
                it = page["NextShardIterator"]
        return records

    def test_count_records_with_template_fields_and_keys(self):
        template = ('{"n": {{sequence}}, "user": "{{internet.userName}}", '
                    '"page": "{{random.arrayElement(["/a", "/b"])}}", "ts": "{{date.now}}"}')
        err = self.run_ok("clicks", "--create-shards", "2", "--count", "250", "--rate", "1000",
                          "--template-text", template, "--partition-key", "user-{{random.number(9)}}")
        self.assertRegex(err, r"250 records sent to clicks, 0 failed, 0 retried, in [0-9.]+ s")
        records = self.all_records("clicks")
        self.assertEqual(len(records), 250)
        events = [json.loads(r["Data"]) for r in records]
        self.assertEqual(sorted(e["n"] for e in events), list(range(1, 251)))
        self.assertEqual({e["page"] for e in events}, {"/a", "/b"})
        for e in events:
            self.assertRegex(e["user"], r"^[A-Za-z._0-9]+$")
            self.assertRegex(e["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        keys = {r["PartitionKey"] for r in records}
        self.assertTrue(keys <= {"user-%d" % i for i in range(10)}, keys)
        self.assertGreater(len(keys), 5)

    def test_default_template_from_a_file_and_the_same_seed_gives_the_same_records(self):
        self.run_ok("clicks-default", "--create-shards", "1", "--count", "20", "--rate", "500")
        event = json.loads(self.all_records("clicks-default")[0]["Data"])
        self.assertEqual(set(event), {"event_id", "user", "page", "action", "duration_ms", "ip", "ts"})

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('{"id": "{{random.uuid}}",\n "v": {{random.number({"min": 1, "max": 1000})}}}\n')
        for stream in ("seeded-1", "seeded-2"):
            self.run_ok(stream, "--create-shards", "1", "--count", "30", "--rate", "1000",
                        "--seed", "42", "--template", f.name, "--partition-key", "k")
        self.assertEqual([r["Data"] for r in self.all_records("seeded-1")],
                         [r["Data"] for r in self.all_records("seeded-2")])
        os.unlink(f.name)

    def test_duration_bounds_a_run_at_the_rate(self):
        started = time.monotonic()
        err = self.run_ok("timed", "--create-shards", "1", "--duration", "2", "--rate", "50")
        self.assertLess(time.monotonic() - started, 10)
        sent = int(re.search(r"(\d+) records sent", err).group(1))
        self.assertTrue(80 <= sent <= 100, err)

    def test_bad_templates_and_options_exit_2_with_the_reason(self):
        cases = [
            (["--stream", "s", "--template-text", '{\n  "a": {{random.nmber}}\n}'],
             "template error at line 2, column 8: {{random.nmber}}: unknown placeholder"),
            (["--stream", "s", "--template-text", "{{random.number(\"x\")}}"],
             "line 1, column 1: {{random.number(\"x\")}}: takes a maximum"),
            (["--stream", "s", "--partition-key", "{{nope}}"], "--partition-key: template error"),
            (["--count", "5"], "--stream NAME is required"),
            (["--stream", "s", "--rate", "0"], "--rate, --count and --duration must be at least 1"),
            (["--stream", "s", "--rate", "fast"], "needs a whole number"),
            (["--stream", "s", "--bogus", "1"], "unknown option --bogus"),
            (["--stream", "s", "--endpoint", "https://x:1"], "must be http://host:port"),
            (["--stream", "s", "--template", "/no/such/file"], "cannot read the template file"),
        ]
        for args, message in cases:
            code, err = generate(*args)
            self.assertEqual(code, 2, args)
            self.assertIn(message, err, args)

    def test_unreachable_endpoint_and_missing_stream_fail_fast(self):
        started = time.monotonic()
        code, err = generate("--stream", "s", "--endpoint", "http://127.0.0.1:1", "--count", "5")
        self.assertEqual(code, 1)
        self.assertIn("cannot reach http://127.0.0.1:1", err)
        self.assertLess(time.monotonic() - started, 15)
        code, err = generate("--stream", "missing", "--endpoint", self.server.endpoint, "--count", "5")
        self.assertEqual(code, 1)
        self.assertIn("ResourceNotFoundException: Stream missing", err)
        self.assertIn("--create-shards N", err)


if __name__ == "__main__":
    unittest.main()
