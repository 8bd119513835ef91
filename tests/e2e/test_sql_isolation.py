"""SQL cannot stall the server: statements run on threads of their own, so Kinesis calls stay
fast while push queries and a runaway join run; the statement timeout and SIGTERM end long
statements; a full statement pool answers 503; SET is per client session."""

import json
import threading
import time
import unittest

from strict_server import StrictServer, request, signed_headers

STREAM_WAIT = {"Delay": 0.1, "MaxAttempts": 50}
# The slowest Kinesis call while SQL statements run: typically 5-10 ms, but on 2 cores busy with
# the statements' threads (or another build) one call now and then takes ~100 ms. A stall would
# last a statement's 3 s timeout.
SLOWEST_CALL = 0.25


def post_sql(strict, text, session=None, timeout=120):
    """POST /v1/sql signed, in `session` if given: (status, decoded answer)."""
    port = strict.server.port
    body = json.dumps({"sql": text})
    extra = {"x-shardflow-session": session} if session else {}
    status, _, answer, _ = request(port, "POST", "/v1/sql", body,
                                   signed_headers(port, "/v1/sql", body, extra=extra),
                                   timeout=timeout)
    return status, json.loads(answer)


def slowest_call(k, stream, seconds):
    """The slowest DescribeStreamSummary over `seconds` of back-to-back calls."""
    slowest = 0.0
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        started = time.monotonic()
        k.describe_stream_summary(StreamName=stream)
        slowest = max(slowest, time.monotonic() - started)
    return slowest


def fill_join_streams(strict, k, records):
    """Streams `left_side` and `right_side`, `records` records each, all of one key: a join of
    them has records² rows before its WHERE drops every one."""
    for name in ("left_side", "right_side"):
        k.create_stream(StreamName=name, ShardCount=1)
        k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig=STREAM_WAIT)
        for start in range(0, records, 500):
            k.put_records(StreamName=name, Records=[
                {"PartitionKey": "k", "Data": json.dumps({"k": "same", "v": "%s-%d" % (name, i)})}
                for i in range(start, min(records, start + 500))])
        status, answer = post_sql(strict, "CREATE STREAM %s (k VARCHAR, v VARCHAR) "
                                          "WITH (stream = '%s', format = 'json');" % (name, name))
        assert status == 200, answer


RUNAWAY_JOIN = ("SELECT l.v FROM left_side l JOIN right_side r ON l.k = r.k "
                "WHERE l.v = r.v;")


class ConcurrentSqlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.strict = StrictServer("--sql-threads", "12", "--sql-timeout", "3")
        cls.server = cls.strict.server.start()
        cls.k = cls.server.client()
        cls.k.create_stream(StreamName="clicks", ShardCount=2)
        cls.k.get_waiter("stream_exists").wait(StreamName="clicks", WaiterConfig=STREAM_WAIT)
        status, answer = post_sql(cls.strict, "CREATE STREAM clicks (page VARCHAR) "
                                              "WITH (format = 'json');")
        assert status == 200, answer
        fill_join_streams(cls.strict, cls.k, 12000)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_in_threads(self, count, statement):
        answers = [None] * count

        def run(i):
            answers[i] = post_sql(self.strict, statement)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        return threads, answers

    def test_twelve_push_queries_leave_kinesis_calls_fast(self):
        threads, answers = self.run_in_threads(12, "SELECT page FROM clicks EMIT CHANGES;")
        time.sleep(0.5)  # the queries are running
        slowest = slowest_call(self.k, "clicks", 2.0)
        for t in threads:
            t.join(timeout=30)
        self.assertLess(slowest, SLOWEST_CALL)
        for status, answer in answers:
            self.assertEqual(status, 200, answer)
            self.assertIn("stops after 3 s", answer["results"][-1]["message"])

    def test_a_runaway_join_is_stopped_by_its_timeout(self):
        started = time.monotonic()
        threads, answers = self.run_in_threads(1, RUNAWAY_JOIN)
        slowest = slowest_call(self.k, "clicks", 1.0)
        threads[0].join(timeout=30)
        took = time.monotonic() - started
        status, answer = answers[0]
        self.assertEqual(status, 400, answer)
        self.assertIn("ran longer than its timeout of 3000 ms", answer["error"])
        self.assertLess(took, 10)
        self.assertLess(slowest, SLOWEST_CALL)
        status, answer = post_sql(self.strict, "DROP STREAM left_side;")
        self.assertEqual(status, 200, "the stopped SELECT no longer holds its streams: %s" % answer)
        post_sql(self.strict, "CREATE STREAM left_side (k VARCHAR, v VARCHAR) "
                              "WITH (stream = 'left_side', format = 'json');")

    def test_set_changes_only_its_own_session(self):
        status, answer = post_sql(self.strict, "SET 'execution.runtime-mode' = 'batch';",
                                  session="batch-client")
        self.assertEqual(status, 200, answer)
        status, answer = post_sql(self.strict, "CREATE TABLE streamed AS SELECT page FROM clicks;",
                                  session="other-client")
        self.assertEqual(status, 200, answer)
        self.assertIn("started", answer["results"][0]["message"])
        status, answer = post_sql(self.strict, "CREATE TABLE batched AS SELECT page FROM clicks;",
                                  session="batch-client")
        self.assertEqual(status, 200, answer)
        self.assertIn("read 0 records into batched", answer["results"][0]["message"])
        status, answer = post_sql(self.strict, "CREATE TABLE unsessioned AS SELECT page "
                                               "FROM clicks;")
        self.assertIn("started", answer["results"][0]["message"])


class StatementPoolTest(unittest.TestCase):
    def test_a_full_pool_answers_503_and_the_rest_run(self):
        strict = StrictServer("--sql-threads", "1", "--sql-timeout", "2")
        server = strict.server.start()
        try:
            k = server.client()
            k.create_stream(StreamName="clicks", ShardCount=1)
            k.get_waiter("stream_exists").wait(StreamName="clicks", WaiterConfig=STREAM_WAIT)
            post_sql(strict, "CREATE STREAM clicks (page VARCHAR) WITH (format = 'json');")
            answers = []
            lock = threading.Lock()

            def run(statement):
                answer = post_sql(strict, statement)
                with lock:
                    answers.append(answer)

            long_one = threading.Thread(target=run,
                                        args=("SELECT page FROM clicks EMIT CHANGES;",))
            long_one.start()
            time.sleep(0.5)  # it holds the only thread; 16 more may wait
            waiting = [threading.Thread(target=run, args=("SHOW STREAMS;",)) for _ in range(20)]
            for t in waiting:
                t.start()
            for t in [long_one] + waiting:
                t.join(timeout=30)
            statuses = sorted(status for status, _ in answers)
            self.assertEqual(statuses.count(200), 17, answers)
            self.assertEqual(statuses.count(503), 4, answers)
            refused = [a for status, a in answers if status == 503][0]
            self.assertIn("try again later", refused["error"])
        finally:
            server.stop()


class StopDuringStatementTest(unittest.TestCase):
    """SIGTERM while a SELECT and a continuous query each join 144 M pairs."""

    def test_sigterm_cancels_a_long_statement_and_keeps_every_record(self):
        strict = StrictServer("--sql-timeout", "600")
        server = strict.server.start()
        k = server.client()
        fill_join_streams(strict, k, 12000)
        status, answer = post_sql(strict, "CREATE TABLE joined AS " + RUNAWAY_JOIN)
        self.assertEqual(status, 200, answer)  # a continuous query in rounds of 48 M matches
        answers = []
        client = threading.Thread(target=lambda: answers.append(post_sql(strict, RUNAWAY_JOIN)))
        client.start()
        time.sleep(1.0)
        self.assertLess(server.terminate(within=10), 10)
        client.join(timeout=10)
        status, answer = answers[0]
        self.assertEqual(status, 503, answer)
        self.assertIn("cancelled", answer["error"])
        server.start()
        try:
            k = server.client()
            for name in ("left_side", "right_side"):
                it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                read = 0
                while True:
                    got = k.get_records(ShardIterator=it, Limit=10000)
                    read += len(got["Records"])
                    if not got["Records"]:
                        break
                    it = got["NextShardIterator"]
                self.assertEqual(read, 12000)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
