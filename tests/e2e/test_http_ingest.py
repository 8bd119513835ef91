"""HTTP ingestion end to end: POST /v1/streams/{name}/records with plain JSON (no AWS signing),
records read back with boto3; bad bodies get a 400 with the reason and write nothing."""

import http.client
import json
import unittest

from server import Server


class HttpIngestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.k = cls.server.client()
        cls.k.create_stream(StreamName="events", ShardCount=2)
        cls.k.get_waiter("stream_exists").wait(StreamName="events", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def post(self, path, body, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("POST", path, body=body, headers=headers or {"Content-Type": "application/json"})
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        conn.close()
        return resp.status, answer

    def all_records(self):
        records = []
        for shard in self.k.list_shards(StreamName="events")["Shards"]:
            it = self.k.get_shard_iterator(StreamName="events", ShardId=shard["ShardId"],
                                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            records += self.k.get_records(ShardIterator=it)["Records"]
        return records

    def test_events_become_records_keyed_by_a_field_or_a_header(self):
        before = len(self.all_records())
        status, answer = self.post("/v1/streams/events/records?partition_key_field=user",
                                   json.dumps([{"user": "u1", "page": "/a"}, {"user": 42, "page": "/b"}]))
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["records"], 2)
        self.assertTrue(answer["results"][0]["sequence_number"].isdigit())
        status, answer = self.post("/v1/streams/events/records", json.dumps({"page": "/c"}),
                                   {"X-Partition-Key": "webhook-7"})
        self.assertEqual(status, 200, answer)
        records = self.all_records()
        self.assertEqual(len(records), before + 3)
        by_key = {r["PartitionKey"]: json.loads(r["Data"]) for r in records}
        self.assertEqual(by_key["u1"], {"user": "u1", "page": "/a"})
        self.assertEqual(by_key["42"], {"user": 42, "page": "/b"})
        self.assertEqual(by_key["webhook-7"], {"page": "/c"})

    def test_bad_bodies_get_400_with_the_reason_and_write_nothing(self):
        before = len(self.all_records())
        path = "/v1/streams/events/records?partition_key_field=user"
        cases = [
            ("{not json", "the body is not JSON"),
            ("[]", "the array holds no events"),
            ("7", "the body must be a JSON object or an array of objects"),
            (json.dumps([{"user": "u1"}, "text"]), "event 1 is not a JSON object"),
            (json.dumps([{"user": "u1"}, {"page": "/x"}]),
             "event 1 has no string or number field 'user' for the partition key"),
            (json.dumps([{"user": ""}]), "event 0: the partition key must be 1 to 256 bytes"),
        ]
        for body, reason in cases:
            status, answer = self.post(path, body)
            self.assertEqual(status, 400, body)
            self.assertIn(reason, answer["error"], body)
        status, answer = self.post("/v1/streams/events/records", json.dumps({"user": "u1"}))
        self.assertEqual(status, 400)
        self.assertIn("name the partition key", answer["error"])
        status, answer = self.post(path, json.dumps([{"user": "u"}] * 501))
        self.assertEqual(status, 413)
        self.assertEqual(answer["error"], "at most 500 events per request, not 501")
        self.assertEqual(len(self.all_records()), before)  # nothing half-written

    def test_unknown_stream_and_wrong_method(self):
        status, answer = self.post("/v1/streams/nope/records?partition_key_field=user",
                                   json.dumps({"user": "u1"}))
        self.assertEqual(status, 404)
        self.assertIn("nope", answer["error"])
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", "/v1/streams/events/records")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 405)
        conn.close()


if __name__ == "__main__":
    unittest.main()
