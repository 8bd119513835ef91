"""The actions added to Kinesis since 2023, which Debian's botocore does not know yet, sent as the
newest SDKs send them (signed AWS JSON 1.1): resource policies, tags by consumer ARN, record
sizes up to 10 MiB, warm throughput, account settings. Each survives a restart."""

import json
import time
import unittest

from server import SharedServerTest
from strict_server import request, signed_headers

STREAM_WAIT = {"Delay": 0.1, "MaxAttempts": 50}
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
     "Action": "kinesis:GetRecords", "Resource": "*"}]})


class RecentActionsTest(SharedServerTest):
    def call(self, action, body, status=200):
        data = json.dumps(body).encode()
        headers = signed_headers(self.server.port, "/", data, extra={
            "X-Amz-Target": "Kinesis_20131202." + action,
            "Content-Type": "application/x-amz-json-1.1"})
        got, _, answer, _ = request(self.server.port, "POST", "/", data, headers)
        self.assertEqual(got, status, answer)
        return json.loads(answer) if answer else {}

    def stream(self, name, **create):
        self.call("CreateStream", dict({"StreamName": name}, **create))
        self.server.client().get_waiter("stream_exists").wait(StreamName=name, WaiterConfig=STREAM_WAIT)
        return self.call("DescribeStreamSummary", {"StreamName": name})[
            "StreamDescriptionSummary"]

    def test_resource_policies_are_stored_returned_and_deleted(self):
        arn = self.stream("policed", ShardCount=1)["StreamARN"]
        missing = self.call("GetResourcePolicy", {"ResourceARN": arn}, 400)
        self.assertEqual(missing["__type"], "ResourceNotFoundException")
        self.call("PutResourcePolicy", {"ResourceARN": arn, "Policy": POLICY})
        self.assertEqual(self.call("GetResourcePolicy", {"ResourceARN": arn})["Policy"], POLICY)
        bad = self.call("PutResourcePolicy", {"ResourceARN": arn, "Policy": "not json"}, 400)
        self.assertEqual(bad["__type"], "InvalidArgumentException")
        self.server.restart()
        self.assertEqual(self.call("GetResourcePolicy", {"ResourceARN": arn})["Policy"], POLICY)
        self.call("DeleteResourcePolicy", {"ResourceARN": arn})
        self.assertEqual(self.call("DeleteResourcePolicy", {"ResourceARN": arn}, 400)["__type"],
                         "ResourceNotFoundException")

    def test_consumers_have_their_own_tags_and_policy(self):
        arn = self.stream("tagged", ShardCount=1)["StreamARN"]
        consumer = self.call("RegisterStreamConsumer", {
            "StreamARN": arn, "ConsumerName": "c", "Tags": {"team": "a"}})["Consumer"]
        consumer_arn = consumer["ConsumerARN"]
        self.call("TagResource", {"ResourceARN": consumer_arn, "Tags": {"env": "test"}})
        self.call("PutResourcePolicy", {"ResourceARN": consumer_arn, "Policy": POLICY})
        self.server.restart()
        tags = self.call("ListTagsForResource", {"ResourceARN": consumer_arn})["Tags"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags),
                         [("env", "test"), ("team", "a")])
        self.assertEqual(self.call("ListTagsForResource", {"ResourceARN": arn})["Tags"], [],
                         "the stream's tags are its own")
        self.assertEqual(
            self.call("GetResourcePolicy", {"ResourceARN": consumer_arn})["Policy"], POLICY)
        gone = self.call("ListTagsForResource", {"ResourceARN": consumer_arn + "9"}, 400)
        self.assertEqual(gone["__type"], "ResourceNotFoundException")

    def test_a_stream_takes_records_up_to_its_maximum_size(self):
        summary = self.stream("big", ShardCount=1, MaxRecordSizeInKiB=2048)
        self.assertEqual(summary["MaxRecordSizeInKiB"], 2048)
        self.server.client().put_record(StreamName="big", PartitionKey="p", Data=b"x" * (1536 * 1024))
        with self.assertRaises(self.server.client().exceptions.InvalidArgumentException):
            self.server.client().put_record(StreamName="big", PartitionKey="p", Data=b"x" * (2049 * 1024))
        self.call("UpdateMaxRecordSize", {"StreamARN": summary["StreamARN"],
                                          "MaxRecordSizeInKiB": 10240})
        self.server.client().put_record(StreamName="big", PartitionKey="p", Data=b"x" * (9 * 1024 * 1024))
        too_big = self.call("UpdateMaxRecordSize", {"StreamARN": summary["StreamARN"],
                                                    "MaxRecordSizeInKiB": 10241}, 400)
        self.assertEqual(too_big["__type"], "ValidationException")
        self.assertIn("maxRecordSizeInKiB", too_big["message"])

    def test_warm_throughput_is_for_on_demand_streams(self):
        summary = self.stream("warm", StreamModeDetails={"StreamMode": "ON_DEMAND"},
                              WarmThroughputMiBps=50)
        self.assertEqual(summary["WarmThroughput"], {"TargetMiBps": 50, "CurrentMiBps": 50})
        updated = self.call("UpdateStreamWarmThroughput",
                            {"StreamName": "warm", "WarmThroughputMiBps": 200})
        self.assertEqual(updated["WarmThroughput"]["TargetMiBps"], 200)
        self.assertEqual(updated["StreamName"], "warm")
        self.stream("cold", ShardCount=1)
        refused = self.call("UpdateStreamWarmThroughput",
                            {"StreamName": "cold", "WarmThroughputMiBps": 200}, 400)
        self.assertEqual(refused["__type"], "InvalidArgumentException")

    def test_the_billing_commitment_starts_and_ends_no_earlier_than_allowed(self):
        before = self.call("DescribeAccountSettings", {})["MinimumThroughputBillingCommitment"]
        self.assertEqual(before["Status"], "DISABLED")
        on = self.call("UpdateAccountSettings", {
            "MinimumThroughputBillingCommitment": {"Status": "ENABLED"}})[
            "MinimumThroughputBillingCommitment"]
        self.assertEqual(on["Status"], "ENABLED")
        self.assertLess(abs(on["StartedAt"] - time.time()), 60)
        self.assertGreater(on["EarliestAllowedEndAt"], on["StartedAt"])
        off = self.call("UpdateAccountSettings", {
            "MinimumThroughputBillingCommitment": {"Status": "DISABLED"}})[
            "MinimumThroughputBillingCommitment"]
        self.assertEqual(off["Status"], "ENABLED_UNTIL_EARLIEST_ALLOWED_END")
        self.server.restart()
        kept = self.call("DescribeAccountSettings", {})["MinimumThroughputBillingCommitment"]
        self.assertEqual(kept["Status"], "ENABLED_UNTIL_EARLIEST_ALLOWED_END")
        bad = self.call("UpdateAccountSettings", {
            "MinimumThroughputBillingCommitment": {"Status": "MAYBE"}}, 400)
        self.assertEqual(bad["__type"], "ValidationException")


if __name__ == "__main__":
    unittest.main()
