"""SubscribeToShard (enhanced fan-out) end to end: boto3's own event-stream parser over
HTTP/1.1, CBOR event payloads as the Java SDK reads them, one subscription per consumer and
shard, and a subscription that outlives a split ending with ChildShards. (The JS SDK's
subscription over HTTP/2 is in test_http2.)"""

import http.client
import threading
import time
import unittest

import cbor2
from botocore.eventstream import EventStreamBuffer

from server import SharedServerTest
from strict_server import signed_headers
from test_cbor import tagged_millis

CBOR = "application/x-amz-cbor-1.1"
SHARD0 = "shardId-000000000000"
STREAM_WAIT = {"Delay": 0.1, "MaxAttempts": 50}


class SubscribeToShardTest(SharedServerTest):
    def stream_with_consumer(self, name):
        """A one-shard stream and an ACTIVE consumer of it: the consumer's ARN."""
        self.k.create_stream(StreamName=name, ShardCount=1)
        self.k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig=STREAM_WAIT)
        arn = self.k.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"]["StreamARN"]
        consumer = self.k.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]
        for _ in range(100):
            described = self.k.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
            if described["ConsumerDescription"]["ConsumerStatus"] == "ACTIVE":
                return consumer["ConsumerARN"]
            time.sleep(0.1)
        raise AssertionError("consumer never became ACTIVE")

    def put_later(self, stream, datas, delay=0.3):
        def put():
            time.sleep(delay)
            k = self.server.client()
            for d in datas:
                k.put_record(StreamName=stream, PartitionKey="p", Data=d)
        thread = threading.Thread(target=put)
        thread.start()
        return thread

    def test_boto3_reads_records_written_after_it_subscribed(self):
        consumer = self.stream_with_consumer("fanout")
        self.k.put_record(StreamName="fanout", PartitionKey="p", Data=b"before")
        sub = self.k.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD0,
                                        StartingPosition={"Type": "LATEST"})
        writer = self.put_later("fanout", [b"a", b"b", b"c"])
        got, continuation = [], None
        for event in sub["EventStream"]:
            e = event["SubscribeToShardEvent"]
            got += [r["Data"] for r in e["Records"]]
            continuation = e["ContinuationSequenceNumber"]
            self.assertGreaterEqual(e["MillisBehindLatest"], 0)
            if len(got) >= 3:
                break
        sub["EventStream"].close()
        writer.join()
        self.assertEqual(got, [b"a", b"b", b"c"], "LATEST: not the record put before")

        # Resuming after the continuation neither repeats nor skips a record.
        self.k.put_record(StreamName="fanout", PartitionKey="p", Data=b"d")
        time.sleep(5.1)  # a subscription younger than 5 s cannot be taken over
        again = self.k.subscribe_to_shard(
            ConsumerARN=consumer, ShardId=SHARD0,
            StartingPosition={"Type": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": continuation})
        first = next(iter(again["EventStream"]))["SubscribeToShardEvent"]
        again["EventStream"].close()
        self.assertEqual([r["Data"] for r in first["Records"]], [b"d"])

    def test_a_second_subscription_within_five_seconds_is_refused(self):
        consumer = self.stream_with_consumer("busy")
        sub = self.k.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD0,
                                        StartingPosition={"Type": "TRIM_HORIZON"})
        with self.assertRaises(self.k.exceptions.ResourceInUseException):
            self.k.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD0,
                                      StartingPosition={"Type": "TRIM_HORIZON"})
        sub["EventStream"].close()

    def test_deregistering_the_consumer_ends_its_subscriptions(self):
        consumer = self.stream_with_consumer("leaving")
        sub = self.k.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD0,
                                        StartingPosition={"Type": "LATEST"})
        events = iter(sub["EventStream"])
        next(events)  # the first event comes at once
        self.k.deregister_stream_consumer(ConsumerARN=consumer)
        with self.assertRaises(Exception) as ended:
            for _ in events:
                pass
        self.assertIn("ResourceNotFoundException", str(ended.exception))
        self.assertIn("was deregistered", str(ended.exception))

    def test_bad_requests_get_kinesis_errors(self):
        consumer = self.stream_with_consumer("odd")
        with self.assertRaises(self.k.exceptions.ResourceNotFoundException):
            self.k.subscribe_to_shard(ConsumerARN=consumer + "0", ShardId=SHARD0,
                                      StartingPosition={"Type": "LATEST"})
        with self.assertRaises(self.k.exceptions.ResourceNotFoundException):
            self.k.subscribe_to_shard(ConsumerARN=consumer, ShardId="shardId-000000000009",
                                      StartingPosition={"Type": "LATEST"})
        with self.assertRaises(self.k.exceptions.InvalidArgumentException):
            self.k.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD0,
                                      StartingPosition={"Type": "AT_SEQUENCE_NUMBER"})

    def test_a_subscription_that_outlives_a_split_ends_with_child_shards(self):
        consumer = self.stream_with_consumer("splitting")
        self.k.put_record(StreamName="splitting", PartitionKey="p", Data=b"x")
        sub = self.k.subscribe_to_shard(ConsumerARN=consumer, ShardId=SHARD0,
                                        StartingPosition={"Type": "TRIM_HORIZON"})
        events = iter(sub["EventStream"])
        self.assertEqual([r["Data"] for r in next(events)["SubscribeToShardEvent"]["Records"]],
                         [b"x"])
        self.k.split_shard(StreamName="splitting", ShardToSplit=SHARD0,
                           NewStartingHashKey="170141183460469231731687303715884105728")
        last = None
        for event in events:  # ends when the server ends the stream
            last = event["SubscribeToShardEvent"]
        children = sorted(c["ShardId"] for c in last["ChildShards"])
        self.assertEqual(children, ["shardId-000000000001", "shardId-000000000002"])
        self.assertEqual(last["ChildShards"][0]["ParentShards"], [SHARD0])

    def test_cbor_requests_get_cbor_events_with_bytes_and_millisecond_timestamps(self):
        consumer = self.stream_with_consumer("cborfan")
        self.k.put_record(StreamName="cborfan", PartitionKey="p", Data=bytes(range(256)))
        body = cbor2.dumps({"ConsumerARN": consumer, "ShardId": SHARD0,
                            "StartingPosition": {"Type": "TRIM_HORIZON"}})
        headers = signed_headers(self.port, "/", body, extra={
            "X-Amz-Target": "Kinesis_20131202.SubscribeToShard", "Content-Type": CBOR})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("POST", "/", body=body, headers=headers)
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/vnd.amazon.eventstream")
        messages = read_messages(resp, 2)
        conn.close()
        initial, event = messages
        self.assertEqual(initial.headers[":event-type"], "initial-response")
        self.assertEqual(event.headers[":event-type"], "SubscribeToShardEvent")
        self.assertEqual(event.headers[":content-type"], CBOR)
        # cbor2 reads tag 1 as seconds, so the timestamp is read from the raw bytes.
        self.assertIn(cbor2.dumps("Data") + cbor2.dumps(bytes(range(256))), event.payload,
                      "Data as a byte string, not base64")
        arrival = tagged_millis(event.payload, "ApproximateArrivalTimestamp")
        self.assertLess(abs(arrival - time.time() * 1000), 60000, "epoch milliseconds")


def read_messages(response, count):
    """The first `count` event-stream messages of a streaming HTTP response (botocore parses)."""
    buffer, messages = EventStreamBuffer(), []
    while len(messages) < count:
        chunk = response.read1(65536)
        if not chunk:
            raise AssertionError("the stream ended after %d messages" % len(messages))
        buffer.add_data(chunk)
        messages += list(buffer)
    return messages[:count]


if __name__ == "__main__":
    unittest.main()
