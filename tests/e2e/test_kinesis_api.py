"""End to end: the real binary on 127.0.0.1 driven by boto3, the AWS CLI and raw HTTP."""

import base64
import datetime
import http.client
import json
import threading
import time
import unittest

from botocore.exceptions import ClientError

from server import Server, SharedServerTest


def error_code(exc):
    return exc.exception.response["Error"]["Code"]


class KinesisApiTest(SharedServerTest):
    def create(self, name, shards=1):
        self.k.create_stream(StreamName=name, ShardCount=shards)
        self.k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})

    def read_shard(self, stream, shard_id, iterator_type="TRIM_HORIZON", **kwargs):
        it = self.k.get_shard_iterator(StreamName=stream, ShardId=shard_id, ShardIteratorType=iterator_type,
                                       **kwargs)["ShardIterator"]
        records = []
        for _ in range(100):
            r = self.k.get_records(ShardIterator=it, Limit=1000)
            records.extend(r["Records"])
            it = r.get("NextShardIterator")
            if not r["Records"] or not it:
                break
        return records

    def raw(self, target, body, headers=None, method="POST"):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        h = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Date": "20240101T000000Z",
             "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
                              "SignedHeaders=host, Signature=abc"}
        if target:
            h["X-Amz-Target"] = "Kinesis_20131202." + target
        h.update(headers or {})
        conn.request(method, "/", body=body, headers=h)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, json.loads(data) if data else {}, resp

    def test_lifecycle_describe_list_and_delete(self):
        self.create("life", 3)
        d = self.k.describe_stream(StreamName="life")["StreamDescription"]
        self.assertEqual(d["StreamStatus"], "ACTIVE")
        self.assertEqual(len(d["Shards"]), 3)
        self.assertEqual(d["Shards"][0]["HashKeyRange"]["EndingHashKey"], "113427455640312821154458202477256070484")
        self.assertEqual(d["StreamARN"], "arn:aws:kinesis:us-east-1:000000000000:stream/life")
        page = self.k.describe_stream(StreamName="life", Limit=2)["StreamDescription"]
        self.assertTrue(page["HasMoreShards"])
        rest = self.k.describe_stream(StreamName="life", ExclusiveStartShardId=page["Shards"][-1]["ShardId"])
        self.assertEqual(len(rest["StreamDescription"]["Shards"]), 1)
        summary = self.k.describe_stream_summary(StreamName="life")["StreamDescriptionSummary"]
        self.assertEqual(summary["OpenShardCount"], 3)
        self.assertIsInstance(summary["StreamCreationTimestamp"], datetime.datetime)
        self.assertIn("life", self.k.list_streams()["StreamNames"])
        self.k.delete_stream(StreamName="life")
        self.k.get_waiter("stream_not_exists").wait(StreamName="life", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        with self.assertRaises(ClientError) as e:
            self.k.describe_stream(StreamName="life")
        self.assertEqual(error_code(e), "ResourceNotFoundException")
        self.assertIn("Stream life under account 000000000000 not found.", str(e.exception))

    def test_list_streams_pages_with_next_token(self):
        for i in range(3):
            self.create("page-%d" % i)
        # Debian's botocore predates StreamSummaries and NextToken: ask over raw HTTP.
        status, first, _ = self.raw("ListStreams", json.dumps({"Limit": 1, "ExclusiveStartStreamName": "page-"}))
        self.assertTrue(first["HasMoreStreams"])
        self.assertEqual(first["StreamSummaries"][0]["StreamName"], "page-0")
        self.assertEqual(first["StreamSummaries"][0]["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        status, second, _ = self.raw("ListStreams", json.dumps({"NextToken": first["NextToken"], "Limit": 1}))
        self.assertEqual(second["StreamNames"], ["page-1"])

    def test_binary_data_round_trips_and_order_holds_per_shard(self):
        self.create("bin", 2)
        every_byte = bytes(range(256))
        put = self.k.put_record(StreamName="bin", PartitionKey="k", Data=every_byte)
        records = self.read_shard("bin", put["ShardId"])
        self.assertEqual(records[0]["Data"], every_byte)
        self.assertEqual(records[0]["SequenceNumber"], put["SequenceNumber"])
        self.assertEqual(len(put["SequenceNumber"]), 56)
        for i in range(200):
            self.k.put_record(StreamName="bin", PartitionKey="ordered", Data=b"%d" % i)
        shard = self.k.put_record(StreamName="bin", PartitionKey="ordered", Data=b"200")["ShardId"]
        values = [int(r["Data"]) for r in self.read_shard("bin", shard) if r["PartitionKey"] == "ordered"]
        self.assertEqual(values, list(range(201)))

    def test_put_records_batch_with_a_failing_entry(self):
        self.create("batch", 2)
        entries = [{"Data": b"x%d" % i, "PartitionKey": "p%d" % i} for i in range(500)]
        r = self.k.put_records(StreamName="batch", Records=entries)
        self.assertEqual(r["FailedRecordCount"], 0)
        self.assertEqual(len(r["Records"]), 500)
        with self.assertRaises(ClientError) as e:  # one key out of range refuses them all
            self.k.put_records(StreamName="batch", Records=[
                {"Data": b"a", "PartitionKey": "a"},
                {"Data": b"b", "PartitionKey": "b", "ExplicitHashKey": "340282366920938463463374607431768211456"},
                {"Data": b"c", "PartitionKey": "c"}])
        self.assertEqual(error_code(e), "InvalidArgumentException")
        with self.assertRaises(ClientError) as e:
            self.k.put_records(StreamName="batch", Records=entries + entries[:1])
        self.assertEqual(error_code(e), "ValidationException")

    def test_iterator_types(self):
        self.create("its")
        a = self.k.put_record(StreamName="its", PartitionKey="k", Data=b"a")
        b = self.k.put_record(StreamName="its", PartitionKey="k", Data=b"b")
        shard = a["ShardId"]
        data = lambda **kw: [r["Data"] for r in self.read_shard("its", shard, **kw)]
        self.assertEqual(data(), [b"a", b"b"])
        self.assertEqual(data(iterator_type="AT_SEQUENCE_NUMBER", StartingSequenceNumber=b["SequenceNumber"]), [b"b"])
        self.assertEqual(data(iterator_type="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=a["SequenceNumber"]),
                         [b"b"])
        self.assertEqual(data(iterator_type="AT_TIMESTAMP", Timestamp=time.time() - 60), [b"a", b"b"])
        latest = self.k.get_shard_iterator(StreamName="its", ShardId=shard, ShardIteratorType="LATEST")
        self.k.put_record(StreamName="its", PartitionKey="k", Data=b"c")
        got = self.k.get_records(ShardIterator=latest["ShardIterator"])
        self.assertEqual([r["Data"] for r in got["Records"]], [b"c"])
        self.assertEqual(got["MillisBehindLatest"], 0)
        with self.assertRaises(ClientError) as e:
            self.k.get_shard_iterator(StreamName="its", ShardId=shard, ShardIteratorType="AT_TIMESTAMP",
                                      Timestamp=time.time() + 3600)
        self.assertEqual(error_code(e), "InvalidArgumentException")
        with self.assertRaises(ClientError) as e:
            self.k.get_shard_iterator(StreamName="its", ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                      StartingSequenceNumber="12345")
        self.assertEqual(error_code(e), "InvalidArgumentException")
        with self.assertRaises(ClientError) as e:
            self.k.get_records(ShardIterator="bm90IGFuIGl0ZXJhdG9y")
        self.assertEqual(error_code(e), "InvalidArgumentException")

    def test_split_merge_update_shard_count_and_list_shards(self):
        self.create("reshard", 2)
        self.k.split_shard(StreamName="reshard", ShardToSplit="shardId-000000000000",
                           NewStartingHashKey="85070591730234615865843651857942052864")
        self.k.get_waiter("stream_exists").wait(StreamName="reshard", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        shards = self.k.list_shards(StreamName="reshard")["Shards"]
        self.assertEqual(len(shards), 4)
        self.assertEqual(shards[2]["ParentShardId"], "shardId-000000000000")
        self.assertIn("EndingSequenceNumber", shards[0]["SequenceNumberRange"])
        open_now = self.k.list_shards(StreamName="reshard", ShardFilter={"Type": "AT_LATEST"})["Shards"]
        self.assertEqual(len(open_now), 3)
        first = self.k.list_shards(StreamName="reshard", MaxResults=1)
        second = self.k.list_shards(NextToken=first["NextToken"], MaxResults=1)
        self.assertEqual(second["Shards"][0]["ShardId"], "shardId-000000000001")
        with self.assertRaises(ClientError) as e:
            self.k.list_shards(StreamName="reshard", NextToken=first["NextToken"])
        self.assertEqual(error_code(e), "InvalidArgumentException")
        self.k.merge_shards(StreamName="reshard", ShardToMerge="shardId-000000000002",
                            AdjacentShardToMerge="shardId-000000000003")
        self.k.get_waiter("stream_exists").wait(StreamName="reshard", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        with self.assertRaises(ClientError) as e:
            self.k.split_shard(StreamName="reshard", ShardToSplit="shardId-000000000000", NewStartingHashKey="5")
        self.assertEqual(error_code(e), "InvalidArgumentException")
        r = self.k.update_shard_count(StreamName="reshard", TargetShardCount=3, ScalingType="UNIFORM_SCALING")
        self.assertEqual((r["CurrentShardCount"], r["TargetShardCount"]), (2, 3))
        self.k.get_waiter("stream_exists").wait(StreamName="reshard", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        summary = self.k.describe_stream_summary(StreamName="reshard")["StreamDescriptionSummary"]
        self.assertEqual(summary["OpenShardCount"], 3)

    def test_resharding_while_a_producer_writes_keeps_per_key_order(self):
        self.create("live", 1)
        stop = threading.Event()
        sent = []

        def produce():
            producer = self.server.client()
            for i in range(2000):
                if stop.is_set():
                    break
                producer.put_record(StreamName="live", PartitionKey="one-key", Data=b"%d" % i)
                sent.append(i)

        thread = threading.Thread(target=produce)
        thread.start()
        time.sleep(0.3)
        self.k.split_shard(StreamName="live", ShardToSplit="shardId-000000000000",
                           NewStartingHashKey="170141183460469231731687303715884105728")
        time.sleep(0.3)
        stop.set()
        thread.join(timeout=60)
        values = []
        pending = ["shardId-000000000000"]
        while pending:  # parents before children, as a KCL consumer reads
            shard = pending.pop(0)
            it = self.k.get_shard_iterator(StreamName="live", ShardId=shard,
                                           ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while it:
                r = self.k.get_records(ShardIterator=it)
                values.extend(int(x["Data"]) for x in r["Records"])
                it = r.get("NextShardIterator")
                if it and not r["Records"]:
                    break
                for child in r.get("ChildShards", []):
                    pending.append(child["ShardId"])
        self.assertEqual(values, sent)
        self.assertGreater(len(sent), 10)

    def test_tags_retention_monitoring_encryption_limits_mode(self):
        self.create("settings")
        arn = self.k.describe_stream_summary(StreamName="settings")["StreamDescriptionSummary"]["StreamARN"]
        self.k.add_tags_to_stream(StreamName="settings", Tags={"team": "data", "env": "test"})
        self.k.remove_tags_from_stream(StreamName="settings", TagKeys=["env"])
        self.assertEqual(self.k.list_tags_for_stream(StreamName="settings")["Tags"], [{"Key": "team", "Value": "data"}])
        # TagResource and friends are newer than Debian's botocore: raw HTTP.
        self.raw("TagResource", json.dumps({"ResourceARN": arn, "Tags": {"owner": "me"}}))
        self.raw("UntagResource", json.dumps({"ResourceARN": arn, "TagKeys": ["team"]}))
        status, tags, _ = self.raw("ListTagsForResource", json.dumps({"ResourceARN": arn}))
        self.assertEqual(tags["Tags"], [{"Key": "owner", "Value": "me"}])
        self.k.increase_stream_retention_period(StreamName="settings", RetentionPeriodHours=48)
        self.k.decrease_stream_retention_period(StreamName="settings", RetentionPeriodHours=24)
        with self.assertRaises(ClientError) as e:
            self.k.increase_stream_retention_period(StreamName="settings", RetentionPeriodHours=9000)
        self.assertEqual(error_code(e), "InvalidArgumentException")
        m = self.k.enable_enhanced_monitoring(StreamName="settings", ShardLevelMetrics=["IncomingBytes"])
        self.assertEqual(m["DesiredShardLevelMetrics"], ["IncomingBytes"])
        m = self.k.disable_enhanced_monitoring(StreamName="settings", ShardLevelMetrics=["ALL"])
        self.assertEqual(m["CurrentShardLevelMetrics"], ["IncomingBytes"])
        self.k.start_stream_encryption(StreamName="settings", EncryptionType="KMS", KeyId="alias/aws/kinesis")
        self.k.get_waiter("stream_exists").wait(StreamName="settings", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        self.assertEqual(self.k.describe_stream(StreamName="settings")["StreamDescription"]["EncryptionType"], "KMS")
        # Puts report the stream's encryption as they went in.
        put = self.k.put_record(StreamName="settings", PartitionKey="p", Data=b"x")
        self.assertEqual(put["EncryptionType"], "KMS")
        batch = self.k.put_records(StreamName="settings", Records=[{"PartitionKey": "p", "Data": b"y"}])
        self.assertEqual(batch["EncryptionType"], "KMS")
        self.k.stop_stream_encryption(StreamName="settings", EncryptionType="KMS", KeyId="alias/aws/kinesis")
        self.k.get_waiter("stream_exists").wait(StreamName="settings", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        put = self.k.put_record(StreamName="settings", PartitionKey="p", Data=b"x")
        self.assertEqual(put["EncryptionType"], "NONE")
        limits = self.k.describe_limits()
        self.assertEqual(limits["ShardLimit"], 500)
        self.k.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.k.get_waiter("stream_exists").wait(StreamName="settings", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        mode = self.k.describe_stream_summary(StreamName="settings")["StreamDescriptionSummary"]["StreamModeDetails"]
        self.assertEqual(mode["StreamMode"], "ON_DEMAND")

    def test_on_demand_stream_and_consumers(self):
        self.k.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.k.get_waiter("stream_exists").wait(StreamName="od", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        summary = self.k.describe_stream_summary(StreamName="od")["StreamDescriptionSummary"]
        self.assertEqual(summary["OpenShardCount"], 4)
        arn = summary["StreamARN"]
        c = self.k.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]
        self.assertTrue(c["ConsumerARN"].startswith(arn + "/consumer/app:"))
        d = self.k.describe_stream_consumer(ConsumerARN=c["ConsumerARN"])["ConsumerDescription"]
        self.assertEqual(d["StreamARN"], arn)
        self.assertEqual(len(self.k.list_stream_consumers(StreamARN=arn)["Consumers"]), 1)
        with self.assertRaises(ClientError) as e:
            self.k.register_stream_consumer(StreamARN=arn, ConsumerName="app")
        self.assertEqual(error_code(e), "ResourceInUseException")
        self.k.deregister_stream_consumer(StreamARN=arn, ConsumerName="app")
        self.assertEqual([c["ConsumerStatus"] for c in self.k.list_stream_consumers(StreamARN=arn)["Consumers"]],
                         ["DELETING"], "for the server's state-change delay")

    def test_errors_for_bad_requests(self):
        status, body, resp = self.raw("Nope", "{}")
        self.assertEqual((status, body["__type"]), (400, "UnknownOperationException"))
        self.assertTrue(resp.getheader("x-amzn-RequestId"))
        status, body, _ = self.raw(None, "{}")
        self.assertEqual(body["__type"], "UnknownOperationException")
        status, body, _ = self.raw("ListStreams", "{not json")
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, body, _ = self.raw("ListStreams", "{}", headers={"Authorization": ""})
        self.assertEqual(body["__type"], "MissingAuthenticationTokenException")
        status, body, _ = self.raw("DescribeStream", "{}")
        self.assertEqual(body["__type"], "ValidationException")
        self.assertEqual(body["message"], "1 validation error detected: Value null at 'streamName' failed to "
                                          "satisfy constraint: Member must not be null")
        status, body, _ = self.raw("CreateStream", json.dumps({"StreamName": "x", "ShardCount": "two"}))
        self.assertEqual(body["__type"], "SerializationException")
        status, body, _ = self.raw("CreateStream", json.dumps({"StreamName": "bad name!", "ShardCount": 0}))
        self.assertEqual(body["__type"], "ValidationException")
        self.assertTrue(body["message"].startswith("2 validation errors detected: "))
        status, body, _ = self.raw("GetRecords", json.dumps({"ShardIterator": "AAAA"}))
        self.assertEqual(body, {"__type": "InvalidArgumentException", "message": "Invalid ShardIterator."})
        # Other methods and other content types are answered in XML before any protocol is chosen.
        signed = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
                                   "SignedHeaders=host, Signature=abc"}
        for method, headers, message in [
                ("GET", signed, b"Unable to determine service/operation name to be authorized"),
                ("PUT", signed, b"Unable to determine service/operation name to be authorized"),
                ("GET", {}, b"Missing Authentication Token"),
                ("POST", dict(signed, **{"Content-Type": "application/x-amz-json-1.0"}),
                 b"Unable to determine service/operation name to be authorized")]:
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
            conn.request(method, "/", body=b"{}", headers=headers)
            resp = conn.getresponse()
            self.assertEqual((resp.status, resp.getheader("Content-Type")), (403, None), "XML, unnamed as on AWS")
            self.assertIn(b"<Message>" + message + b"</Message>", resp.read())
            conn.close()
        status, body, _ = self.raw("ListStreams", "")
        self.assertEqual((status, body), (400, {"__type": "SerializationException"}))
        # A wrong type is told in the words of AWS's JSON framework, grammar included.
        truncating = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to "
        for action, request, message in [
                ("DescribeStream", {"StreamName": True}, "class java.lang.Boolean can not be converted to an String"),
                ("DescribeStream", {"StreamName": 23}, truncating + "an String"),
                ("DescribeStream", {"StreamName": []}, "Start of list found where not expected"),
                ("DescribeStream", {"StreamName": {}}, "Start of structure or map found where not expected."),
                ("CreateStream", {"StreamName": "x", "ShardCount": "23"},
                 "class java.lang.String can not be converted to an Integer"),
                ("CreateStream", {"StreamName": "x", "ShardCount": True},
                 "class java.lang.Boolean can not be converted to an Integer"),
                ("DeleteStream", {"StreamName": "x", "EnforceConsumerDeletion": "23"},
                 "'23' can not be converted to an Boolean"),
                ("PutRecord", {"StreamName": "x", "PartitionKey": "p", "Data": 23}, truncating + "a Blob"),
                ("PutRecord", {"StreamName": "x", "PartitionKey": "p", "Data": True},
                 "class java.lang.Boolean can not be converted to a Blob"),
                ("PutRecords", {"StreamName": "x", "Records": "23"}, "Expected list or null"),
                ("PutRecords", {"StreamName": "x", "Records": {}},
                 "Start of structure or map found where not expected."),
                ("AddTagsToStream", {"StreamName": "x", "Tags": 23}, "Expected map or null"),
                ("AddTagsToStream", {"StreamName": "x", "Tags": []}, "Start of list found where not expected"),
                ("UpdateStreamMode", {"StreamARN": "x", "StreamModeDetails": 23}, "Expected null")]:
            status, body, _ = self.raw(action, json.dumps(request))
            self.assertEqual((status, body), (400, {"__type": "SerializationException", "Message": message}),
                             (action, request))
        with self.assertRaises(ClientError) as e:
            self.k.put_record(StreamName="missing", PartitionKey="k", Data=b"x")
        self.assertEqual(error_code(e), "ResourceNotFoundException")
        self.create("dup")
        with self.assertRaises(ClientError) as e:
            self.k.create_stream(StreamName="dup", ShardCount=1)
        self.assertEqual(error_code(e), "ResourceInUseException")
        # Any <prefix>-<digits> names a shard, and messages print its normal form.
        self.k.get_shard_iterator(StreamName="dup", ShardId="abc-0", ShardIteratorType="LATEST")
        with self.assertRaises(ClientError) as e:
            self.k.get_shard_iterator(StreamName="dup", ShardId="abc-9", ShardIteratorType="LATEST")
        self.assertIn("Shard shardId-000000000009 in stream dup", e.exception.response["Error"]["Message"])
        either_or = ("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                     "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ")
        status, body, _ = self.raw("GetShardIterator", json.dumps({
            "StreamName": "dup", "ShardId": "shardId-0", "ShardIteratorType": "TRIM_HORIZON",
            "StartingSequenceNumber": "5"}))
        self.assertEqual(body, {"__type": "InvalidArgumentException", "message": either_or +
                                "Request specified TRIM_HORIZON and also a StartingSequenceNumber."})
        invalid = ("Some tags contain invalid characters. Valid characters: Unicode letters, digits, "
                   "white space, _ . / = + - % @.")
        for bad in ["abc;def", "abc\tdef", "abc\ndef", "a,b"]:
            status, body, _ = self.raw("AddTagsToStream", json.dumps({"StreamName": "dup", "Tags": {bad: "1"}}))
            self.assertEqual(body, {"__type": "InvalidArgumentException", "message": invalid}, bad)
        status, body, _ = self.raw("RemoveTagsFromStream", json.dumps({"StreamName": "dup", "TagKeys": ["x;"]}))
        self.assertEqual(body["message"], invalid)
        status, body, _ = self.raw("AddTagsToStream", json.dumps({"StreamName": "dup", "Tags": {"a%": "1"}}))
        self.assertEqual(body["__type"], "InvalidArgumentException")
        self.assertTrue(body["message"].startswith("Failed to add tags to stream dup under account 000000000000"))
        status, body, _ = self.raw("AddTagsToStream", json.dumps({"StreamName": "nope", "Tags": {"a;": "1"}}))
        self.assertEqual(body["__type"], "ResourceNotFoundException", "the stream is checked first")
        self.k.add_tags_to_stream(StreamName="dup", Tags={"café owner": "Zoë @ home/+=_.-"})
        put = self.k.put_record(StreamName="dup", PartitionKey="p", Data=b"1")
        self.k.put_record(StreamName="dup", PartitionKey="p", Data=b"2",
                          SequenceNumberForOrdering=put["SequenceNumber"])
        status, body, _ = self.raw("PutRecord", json.dumps({
            "StreamName": "dup", "PartitionKey": "p", "Data": "", "SequenceNumberForOrdering": "5"}))
        self.assertEqual(body, {"__type": "InvalidArgumentException", "message":
                                "ExclusiveMinimumSequenceNumber 5 used in PutRecord on stream dup under "
                                "account 000000000000 is invalid."})
        status, body, _ = self.raw("GetShardIterator", json.dumps({
            "StreamName": "dup", "ShardId": "shardId-0", "ShardIteratorType": "AFTER_SEQUENCE_NUMBER"}))
        self.assertEqual(body, {"__type": "InvalidArgumentException", "message": either_or +
                                "Request specified AFTER_SEQUENCE_NUMBER and no StartingSequenceNumber."})

    def test_aws_cli_session(self):
        code, out, err = self.server.cli("create-stream", "--stream-name", "cli", "--shard-count", "1")
        self.assertEqual(code, 0, err)
        code, out, err = self.server.cli("wait", "stream-exists", "--stream-name", "cli")
        self.assertEqual(code, 0, err)
        code, out, err = self.server.cli("put-record", "--stream-name", "cli", "--partition-key", "k",
                                         "--cli-binary-format", "raw-in-base64-out", "--data", "from the cli")
        self.assertEqual(code, 0, err)
        shard = json.loads(out)["ShardId"]
        code, out, err = self.server.cli("get-shard-iterator", "--stream-name", "cli", "--shard-id", shard,
                                         "--shard-iterator-type", "TRIM_HORIZON")
        code, out, err = self.server.cli("get-records", "--shard-iterator", json.loads(out)["ShardIterator"])
        self.assertEqual(code, 0, err)
        self.assertEqual(base64.b64decode(json.loads(out)["Records"][0]["Data"]), b"from the cli")
        code, out, err = self.server.cli("describe-stream", "--stream-name", "nope")
        self.assertNotEqual(code, 0)
        self.assertIn("ResourceNotFoundException", err)


class RestartTest(unittest.TestCase):
    def test_records_and_streams_survive_a_restart(self):
        server = Server().start()
        try:
            k = server.client()
            k.create_stream(StreamName="durable", ShardCount=2)
            k.get_waiter("stream_exists").wait(StreamName="durable", WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
            puts = [k.put_record(StreamName="durable", PartitionKey="k%d" % i, Data=b"v%d" % i) for i in range(50)]
            self.assertEqual(server.restart().port is not None, True)
            k = server.client()
            seen = {}
            for shard in k.list_shards(StreamName="durable")["Shards"]:
                it = k.get_shard_iterator(StreamName="durable", ShardId=shard["ShardId"],
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                for r in k.get_records(ShardIterator=it)["Records"]:
                    seen[r["SequenceNumber"]] = r["Data"]
            for i, put in enumerate(puts):
                self.assertEqual(seen[put["SequenceNumber"]], b"v%d" % i)
        finally:
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
