"""`shardflow agent` end to end: lines of two files into a served stream while they are appended
to, rotated (rename + create) and truncated (copytruncate), with restarts from the checkpoint in
between; boto3 reads back every line exactly once, in order per file; bad JSON lines skipped."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from server import BINARY, SharedServerTest


class AgentTest(SharedServerTest):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="shardflow-agent-")
        self.a = os.path.join(self.dir, "a.log")
        self.b = os.path.join(self.dir, "b.log")
        self.checkpoint = os.path.join(self.dir, "agent.checkpoints")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def create_stream(self, name):
        self.k.create_stream(StreamName=name, ShardCount=1)  # one shard: one order to check
        self.k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})

    def agent_args(self, stream, *extra):
        return [BINARY, "agent", "--stream", stream, "--file", self.a, "--file", self.b,
                "--endpoint", self.server.endpoint, "--format", "jsonl",
                "--partition-key", "field:file", "--checkpoint", self.checkpoint] + list(extra)

    def run_agent(self, stream, *extra):
        done = subprocess.run(self.agent_args(stream, "--duration", "2", *extra),
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stderr

    @staticmethod
    def write(path, first, last, name, mode="a"):
        with open(path, mode) as f:
            for n in range(first, last + 1):
                f.write(json.dumps({"file": name, "n": n}) + "\n")

    def records(self, stream):
        it = self.k.get_shard_iterator(StreamName=stream, ShardId="shardId-000000000000",
                                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out = []
        while True:
            page = self.k.get_records(ShardIterator=it)
            out += page["Records"]
            if not page["Records"]:
                return out
            it = page["NextShardIterator"]

    def wait_for(self, stream, count):
        deadline = time.monotonic() + 20
        while len(self.records(stream)) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(len(self.records(stream)), count)

    def numbers_by_file(self, stream):
        by_file = {"a": [], "b": []}
        for r in self.records(stream):
            event = json.loads(r["Data"])
            self.assertEqual(r["PartitionKey"], event["file"])
            by_file[event["file"]].append(event["n"])
        return by_file

    def test_every_line_once_in_order_across_rotation_truncation_and_restarts(self):
        self.create_stream("logs")
        self.write(self.a, 1, 20, "a")
        self.write(self.b, 1, 10, "b")
        with open(self.b, "a") as f:
            f.write("this is not json\n")
        self.write(self.b, 11, 20, "b")
        err = self.run_agent("logs", "--from-start", "true")
        self.assertIn("skipped a line of %s: not JSON" % self.b, err)
        self.assertIn("40 records sent, 0 failed, 0 retried, 1 bad lines skipped", err)

        # Running: appends, a line written in two parts, a rotation and a copytruncate.
        agent = subprocess.Popen(self.agent_args("logs"), stderr=subprocess.PIPE, text=True)
        try:
            self.write(self.a, 21, 30, "a")
            with open(self.b, "a") as f:
                f.write('{"file": "b", ')
                f.flush()
                time.sleep(0.5)
                f.write('"n": 21}\n')
            self.wait_for("logs", 51)
            self.write(self.a, 31, 35, "a")
            os.rename(self.a, self.a + ".1")
            self.write(self.a, 36, 40, "a")
            shutil.copyfile(self.b, self.b + ".1")
            with open(self.b, "w"):
                pass
            self.wait_for("logs", 61)
            self.write(self.b, 22, 25, "b")
            self.wait_for("logs", 65)
        finally:
            agent.send_signal(signal.SIGTERM)
            _, err = agent.communicate(timeout=30)
        self.assertEqual(agent.returncode, 0, err)

        # Stopped: more lines, then a restart from the checkpoint (not from the end of the files).
        self.write(self.a, 41, 45, "a")
        self.write(self.b, 26, 30, "b")
        self.run_agent("logs")
        self.assertEqual(self.numbers_by_file("logs"),
                         {"a": list(range(1, 46)), "b": list(range(1, 31))})

    def test_rotation_while_stopped_is_drained_from_the_renamed_file(self):
        self.create_stream("rotated")
        self.write(self.a, 1, 5, "a")
        self.write(self.b, 1, 5, "b")
        self.run_agent("rotated", "--from-start", "true")
        self.write(self.a, 6, 8, "a")
        os.rename(self.a, self.a + ".1")
        self.write(self.a, 9, 10, "a")
        self.run_agent("rotated")
        self.assertEqual(self.numbers_by_file("rotated"),
                         {"a": list(range(1, 11)), "b": list(range(1, 6))})

    def test_bad_options_exit_2_and_a_missing_stream_exits_1(self):
        for args, message in [
            (["--stream", "s"], "--stream NAME and --file PATH are required"),
            (["--stream", "s", "--file", "x", "--format", "csv"], "--format must be lines or jsonl"),
            (["--stream", "s", "--file", "x", "--partition-key", "field:user"],
             "field:NAME (with --format jsonl)"),
            (["--stream", "s", "--file", "x", "--from-start", "yes"], "--from-start must be true or false"),
        ]:
            done = subprocess.run([BINARY, "agent"] + args, capture_output=True, text=True, timeout=30)
            self.assertEqual(done.returncode, 2, args)
            self.assertIn(message, done.stderr, args)
        done = subprocess.run([BINARY, "agent", "--stream", "nope", "--file", self.a, "--endpoint",
                               self.server.endpoint, "--duration", "1"],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 1)
        self.assertIn("ResourceNotFoundException: Stream nope", done.stderr)


if __name__ == "__main__":
    unittest.main()
