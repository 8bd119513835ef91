"""CBOR bodies (application/x-amz-cbor-1.1) as the AWS SDK for Java v2 sends them, encoded with
Debian's python3-cbor2: Data as a byte string both ways, timestamps as tag 1 with epoch
milliseconds, errors as CBOR maps with __type and message, the answer in the request's format."""

import struct
import time
import unittest

import cbor2

from server import SharedServerTest
from strict_server import request, signed_headers

CBOR = "application/x-amz-cbor-1.1"
STREAM_WAIT = {"Delay": 0.1, "MaxAttempts": 50}
BINARY = bytes(range(256))  # every byte value, NUL and 0xFF included


def tagged_millis(answer, member):
    """The epoch milliseconds of `member`'s tag-1 timestamp in the raw CBOR answer."""
    key = cbor2.dumps(member)
    at = answer.index(key) + len(key)
    head = answer[at:at + 2]
    if head != b"\xc1\x1b":
        raise AssertionError("%s is not tag 1 with a 64-bit integer: %r" % (member, head))
    return struct.unpack(">Q", answer[at + 2:at + 10])[0]


def untagged(answer):
    """The answer decoded with its timestamps as plain integers: cbor2 would read tag 1 as
    seconds, and milliseconds overflow its dates. (No byte string here contains c1 1b.)"""
    return cbor2.loads(answer.replace(b"\xc1\x1b", b"\x1b"))


class CborTest(SharedServerTest):
    def call(self, action, body, raw=None):
        """POSTs a CBOR request: (status, content type, raw answer)."""
        data = raw if raw is not None else cbor2.dumps(body)
        headers = signed_headers(self.port, "/", data, extra={
            "X-Amz-Target": "Kinesis_20131202." + action, "Content-Type": CBOR})
        status, answer_headers, answer, _ = request(self.port, "POST", "/", data, headers)
        return status, answer_headers.get("Content-Type"), answer

    def ok(self, action, body):
        status, content_type, answer = self.call(action, body)
        self.assertEqual((status, content_type), (200, CBOR), answer)
        return answer

    def test_records_round_trip_as_bytes_with_millisecond_timestamps(self):
        self.ok("CreateStream", {"StreamName": "cbor", "ShardCount": 1})
        self.server.client().get_waiter("stream_exists").wait(StreamName="cbor",
                                                              WaiterConfig=STREAM_WAIT)
        before_ms = int(time.time() * 1000) - 1000
        put = cbor2.loads(self.ok("PutRecord", {"StreamName": "cbor", "PartitionKey": "p",
                                                "Data": BINARY}))
        self.assertEqual(put["ShardId"], "shardId-000000000000")
        batch = cbor2.loads(self.ok("PutRecords", {"StreamName": "cbor", "Records": [
            {"PartitionKey": "q", "Data": b"\x00second"}]}))
        self.assertEqual(batch["FailedRecordCount"], 0)
        # AT_TIMESTAMP with the SDK's tag 1 in milliseconds finds both records.
        iterator = cbor2.loads(self.ok("GetShardIterator", {
            "StreamName": "cbor", "ShardId": "shardId-000000000000",
            "ShardIteratorType": "AT_TIMESTAMP",
            "Timestamp": cbor2.CBORTag(1, before_ms)}))["ShardIterator"]
        answer = self.ok("GetRecords", {"ShardIterator": iterator})
        arrival_ms = tagged_millis(answer, "ApproximateArrivalTimestamp")
        self.assertLess(abs(arrival_ms - time.time() * 1000), 60000)
        # cbor2 reads tag 1 as seconds: read the records without its semantic decoders.
        records = cbor2.loads(answer.replace(b"\xc1\x1b", b"\xd9\x03\xe7\x1b"))["Records"]
        self.assertEqual([r["Data"] for r in records], [BINARY, b"\x00second"])
        summary = self.ok("DescribeStreamSummary", {"StreamName": "cbor"})
        created_ms = tagged_millis(summary, "StreamCreationTimestamp")
        self.assertLess(abs(created_ms - time.time() * 1000), 60000)
        boto3_view = self.server.client().get_records(ShardIterator=iterator)["Records"]
        self.assertEqual(boto3_view[0]["Data"], BINARY, "JSON clients read the same bytes")

    def test_errors_are_cbor_maps_with_the_same_status(self):
        status, content_type, answer = self.call("DescribeStreamSummary",
                                                 {"StreamName": "no-such-stream"})
        self.assertEqual((status, content_type), (400, CBOR))
        error = cbor2.loads(answer)
        self.assertEqual(error["__type"], "ResourceNotFoundException")
        self.assertIn("no-such-stream", error["message"])

    def test_a_body_that_is_not_cbor_is_a_serialization_exception_in_cbor(self):
        status, content_type, answer = self.call("ListStreams", None, raw=b"\x65ab")
        self.assertEqual((status, content_type), (400, CBOR))
        self.assertEqual(cbor2.loads(answer)["__type"], "SerializationException")

    def test_every_kind_of_answer_comes_in_cbor(self):
        self.ok("CreateStream", {"StreamName": "shapes", "ShardCount": 2})
        self.server.client().get_waiter("stream_exists").wait(StreamName="shapes",
                                                               WaiterConfig=STREAM_WAIT)
        summary = self.ok("DescribeStreamSummary", {"StreamName": "shapes"})
        self.assertLess(abs(tagged_millis(summary, "StreamCreationTimestamp") - time.time() * 1000),
                        60000)
        arn = untagged(summary)["StreamDescriptionSummary"]["StreamARN"]
        answers = {
            "DescribeStream": {"StreamName": "shapes"},
            "ListStreams": {},
            "ListShards": {"StreamName": "shapes"},
            "PutRecords": {"StreamName": "shapes", "Records": [
                {"PartitionKey": "a", "Data": b"\x00\x01"}, {"PartitionKey": "b", "Data": b""}]},
            "AddTagsToStream": {"StreamName": "shapes", "Tags": {"k": "v"}},
            "ListTagsForStream": {"StreamName": "shapes"},
            "ListTagsForResource": {"ResourceARN": arn},
            "DescribeLimits": {},
            "EnableEnhancedMonitoring": {"StreamName": "shapes", "ShardLevelMetrics": ["ALL"]},
            "RegisterStreamConsumer": {"StreamARN": arn, "ConsumerName": "java"},
            "ListStreamConsumers": {"StreamARN": arn},
            "UpdateAccountSettings": {"MinimumThroughputBillingCommitment": {"Status": "ENABLED"}},
        }
        got = {action: self.ok(action, body) for action, body in answers.items()}
        self.assertEqual(len(untagged(got["ListShards"])["Shards"]), 2)
        self.assertEqual(untagged(got["PutRecords"])["FailedRecordCount"], 0)
        self.assertEqual(untagged(got["ListTagsForStream"])["Tags"], [{"Key": "k", "Value": "v"}])
        self.assertGreater(tagged_millis(got["RegisterStreamConsumer"], "ConsumerCreationTimestamp"),
                           1e12)
        self.assertGreater(tagged_millis(got["UpdateAccountSettings"], "StartedAt"), 1e12)
        self.assertGreater(tagged_millis(got["UpdateAccountSettings"], "EarliestAllowedEndAt"),
                           tagged_millis(got["UpdateAccountSettings"], "StartedAt"))

    def wait_active(self, name):
        for _ in range(100):
            summary = untagged(self.ok("DescribeStreamSummary", {"StreamName": name}))
            if summary["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE":
                return summary["StreamDescriptionSummary"]
            time.sleep(0.05)
        self.fail("%s did not become ACTIVE" % name)

    def test_every_action_answers_in_cbor(self):
        """Each of the 38 request-response actions (SubscribeToShard streams: its own tests)."""
        self.ok("CreateStream", {"StreamName": "every", "ShardCount": 2})
        arn = self.wait_active("every")["StreamARN"]
        steps = [
            ("IncreaseStreamRetentionPeriod", {"StreamName": "every", "RetentionPeriodHours": 48}),
            ("DecreaseStreamRetentionPeriod", {"StreamName": "every", "RetentionPeriodHours": 24}),
            ("AddTagsToStream", {"StreamName": "every", "Tags": {"a": "1", "b": "2"}}),
            ("ListTagsForStream", {"StreamName": "every"}),
            ("RemoveTagsFromStream", {"StreamName": "every", "TagKeys": ["a"]}),
            ("TagResource", {"ResourceARN": arn, "Tags": {"c": "3"}}),
            ("UntagResource", {"ResourceARN": arn, "TagKeys": ["b"]}),
            ("ListTagsForResource", {"ResourceARN": arn}),
            ("PutResourcePolicy", {"ResourceARN": arn, "Policy": '{"Version": "2012-10-17"}'}),
            ("GetResourcePolicy", {"ResourceARN": arn}),
            ("DeleteResourcePolicy", {"ResourceARN": arn}),
            ("EnableEnhancedMonitoring", {"StreamName": "every", "ShardLevelMetrics": ["ALL"]}),
            ("DisableEnhancedMonitoring", {"StreamName": "every", "ShardLevelMetrics": ["ALL"]}),
            ("StartStreamEncryption", {"StreamName": "every", "EncryptionType": "KMS",
                                       "KeyId": "alias/aws/kinesis"}),
            ("StopStreamEncryption", {"StreamName": "every", "EncryptionType": "KMS",
                                      "KeyId": "alias/aws/kinesis"}),
            ("PutRecord", {"StreamName": "every", "PartitionKey": "a", "Data": BINARY}),
            ("PutRecords", {"StreamName": "every", "Records": [{"PartitionKey": "b", "Data": b""}]}),
            ("GetShardIterator", {"StreamName": "every", "ShardId": "shardId-000000000000",
                                  "ShardIteratorType": "TRIM_HORIZON"}),
            ("ListShards", {"StreamName": "every"}),
            ("DescribeStream", {"StreamName": "every"}),
            ("ListStreams", {}),
            ("DescribeLimits", {}),
            ("DescribeAccountSettings", {}),
            ("UpdateAccountSettings", {"MinimumThroughputBillingCommitment": {"Status": "DISABLED"}}),
            ("RegisterStreamConsumer", {"StreamARN": arn, "ConsumerName": "every"}),
            ("DescribeStreamConsumer", {"StreamARN": arn, "ConsumerName": "every"}),
            ("ListStreamConsumers", {"StreamARN": arn}),
            ("DeregisterStreamConsumer", {"StreamARN": arn, "ConsumerName": "every"}),
            ("UpdateMaxRecordSize", {"StreamARN": arn, "MaxRecordSizeInKiB": 2048}),
        ]
        got = {}
        for action, body in steps:
            answer = self.ok(action, body)
            got[action] = untagged(answer) if answer else None
            self.wait_active("every")  # encryption and retention changes pass through UPDATING
        iterator = got["GetShardIterator"]["ShardIterator"]
        records = untagged(self.ok("GetRecords", {"ShardIterator": iterator}))["Records"]
        self.assertEqual([r["Data"] for r in records if r["PartitionKey"] == "a"], [BINARY])
        self.assertEqual(got["ListTagsForResource"]["Tags"], [{"Key": "c", "Value": "3"}])
        self.assertEqual(got["GetResourcePolicy"]["Policy"], '{"Version": "2012-10-17"}')
        self.assertIsNone(got["AddTagsToStream"], "actions without output answer with no body")
        resharding = [
            ("SplitShard", {"StreamName": "every", "ShardToSplit": "shardId-000000000000",
                            "NewStartingHashKey": "85070591730234615865843651857942052864"}),
            ("MergeShards", {"StreamName": "every", "ShardToMerge": "shardId-000000000002",
                             "AdjacentShardToMerge": "shardId-000000000003"}),
            ("UpdateShardCount", {"StreamName": "every", "TargetShardCount": 4,
                                  "ScalingType": "UNIFORM_SCALING"}),
            ("UpdateStreamMode", {"StreamARN": arn,
                                  "StreamModeDetails": {"StreamMode": "ON_DEMAND"}}),
            ("UpdateStreamWarmThroughput", {"StreamARN": arn, "WarmThroughputMiBps": 10}),
        ]
        for action, body in resharding:
            self.ok(action, body)
            self.wait_active("every")
        self.assertEqual(self.ok("DeleteStream", {"StreamName": "every"}), b"")

    def test_every_action_refuses_in_cbor(self):
        """An empty request: each action that needs a member refuses it with a CBOR map."""
        status, _, answer = self.call("ListStreams", None, raw=cbor2.dumps({}))
        self.assertEqual(status, 200)
        client = self.server.client()
        actions = [name for name in client.meta.service_model.operation_names]
        actions += ["PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy",
                    "TagResource", "UntagResource", "ListTagsForResource", "UpdateMaxRecordSize",
                    "UpdateStreamWarmThroughput", "UpdateAccountSettings"]
        refused = 0
        for action in sorted(set(actions)):
            status, content_type, answer = self.call(action, {})
            self.assertEqual(content_type, CBOR, action)
            error = untagged(answer)
            if status == 200:
                continue
            refused += 1
            self.assertEqual(status, 400, (action, error))
            self.assertIn(error["__type"], {"ValidationException", "InvalidArgumentException",
                                            "ResourceNotFoundException"}, action)
            self.assertIsInstance(error.get("message", ""), str, action)
        self.assertGreaterEqual(refused, 30)

    def test_json_clients_still_get_json(self):
        self.assertIn("StreamNames", self.server.client().list_streams())


if __name__ == "__main__":
    unittest.main()
