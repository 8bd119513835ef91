"""What AWS answers to bad and odd requests, as kinesalite's suite measured it on AWS (with the
current model's limits): the order of the front door's checks, the wording of incomplete
signatures, CORS, every violated constraint listed, Coral's serialization messages, shard ids
and their messages, and empty bodies for actions without output."""

import json
import time
import unittest

import cbor2

from server import Server, SharedServerTest
from strict_server import request

JSON = "application/x-amz-json-1.1"
CBOR = "application/x-amz-cbor-1.1"
AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20261203/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host, Signature=00")


def post(port, target, body=b"", content_type=JSON, auth=AUTH, path="/", extra=None):
    """A POST as a client sends it: (status, lower-cased headers, decoded body)."""
    headers = {"X-Amz-Date": "20261203T000000Z"}
    if target is not None:
        headers["X-Amz-Target"] = target
    if content_type is not None:
        headers["Content-Type"] = content_type
    if auth:
        headers["Authorization"] = auth
    headers.update(extra or {})
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    status, answer_headers, answer, _ = request(port, "POST", path, data, headers)
    answer_headers = {k.lower(): v for k, v in answer_headers.items()}
    kind = answer_headers.get("content-type", "")
    if kind.startswith(CBOR) and answer:
        decoded = cbor2.loads(answer)
    elif kind.startswith("application/") and answer:
        decoded = json.loads(answer)
    else:
        decoded = answer.decode()
    return status, answer_headers, decoded


class AwsBehaviourTest(SharedServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k.create_stream(StreamName="known", ShardCount=2)
        cls.k.get_waiter("stream_exists").wait(StreamName="known", WaiterConfig={"Delay": 1})

    def call(self, action, body):
        return post(self.port, "Kinesis_20131202." + action, body)

    def assertViolations(self, action, body, expected):
        """A ValidationException listing exactly `expected`, in any order."""
        status, _, answer = self.call(action, body)
        self.assertEqual(status, 400, answer)
        self.assertEqual(answer["__type"], "ValidationException", answer)
        prefix = "%d validation error%s detected: " % (len(expected), "" if len(expected) == 1 else "s")
        self.assertTrue(answer["message"].startswith(prefix), answer["message"])
        rest = answer["message"][len(prefix):]
        for violation in expected:
            self.assertIn(violation, rest)

    def assertRefused(self, action, body, kind, message):
        status, _, answer = self.call(action, body)
        self.assertEqual(status, 400, answer)
        self.assertEqual(answer["__type"], kind, answer)
        self.assertEqual(answer.get("message", answer.get("Message")), message)

    # The front door, in AWS's order.

    def test_an_empty_body_is_answered_first_in_cbor_unless_json_was_asked_for(self):
        status, headers, answer = post(self.port, None, content_type=None, auth=None)
        self.assertEqual((status, headers["content-type"]), (400, CBOR))
        self.assertEqual(answer, {"__type": "UnknownOperationException"})
        status, headers, answer = post(self.port, "Kinesis_20131202.ListStreams",
                                       content_type=None, auth=None)
        self.assertEqual(answer, {"__type": "SerializationException"})
        status, headers, answer = post(self.port, "Kinesis_20131202.ListStreams")
        self.assertEqual((status, headers["content-type"]), (400, JSON))
        self.assertEqual(answer, {"__type": "SerializationException"})

    def test_a_body_in_no_known_content_type_is_refused_in_xml(self):
        status, headers, answer = post(self.port, None, b"{}", content_type=None)
        self.assertEqual(status, 403)
        self.assertNotIn("content-type", headers)
        self.assertEqual(answer, "<AccessDeniedException>\n  <Message>Unable to determine "
                                 "service/operation name to be authorized</Message>\n"
                                 "</AccessDeniedException>\n")
        status, headers, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}",
                                       content_type="application/x-amz-json-1.0")
        self.assertEqual((status, answer), (404, "<UnknownOperationException/>\n"))
        status, _, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}",
                                 content_type="application/x-amz-json-1.1asdf")
        self.assertEqual(status, 404, "only the exact media type is JSON 1.1")

    def test_the_older_json_envelope_is_recognised_only_to_be_refused(self):
        status, headers, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}",
                                       content_type="application/json", auth=None)
        self.assertEqual((status, headers["content-type"]), (404, "application/json"))
        self.assertEqual(answer, {"Output": {"__type":
                                             "com.amazon.coral.service#UnknownOperationException"},
                                  "Version": "1.0"})
        status, _, answer = post(self.port, "Kinesis_20131202.ListStreams", b"hello",
                                 content_type="     application/json     ;", auth=None)
        self.assertEqual(status, 400)
        self.assertEqual(answer["Output"]["__type"],
                         "com.amazon.coral.service#SerializationException")

    def test_the_body_and_target_are_checked_before_the_credentials(self):
        status, _, answer = post(self.port, "Kinesis_20131202.ListStreams", b"hello", auth=None)
        self.assertEqual((status, answer), (400, {"__type": "SerializationException"}))
        status, _, answer = post(self.port, "Kinesis_20131202.ListStream", b"{}", auth=None)
        self.assertEqual(answer, {"__type": "UnknownOperationException"})
        status, headers, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}",
                                       content_type="   application/x-amz-json-1.1   ;whatever",
                                       auth=None)
        self.assertEqual(headers["content-type"], JSON, "the answer names the media type alone")
        self.assertEqual(answer, {"__type": "MissingAuthenticationTokenException",
                                  "message": "Missing Authentication Token"})

    def test_an_incomplete_signature_names_every_missing_part(self):
        status, _, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}", auth="X",
                                 extra={"X-Amz-Date": ""})
        self.assertEqual(answer["__type"], "IncompleteSignatureException")
        self.assertEqual(answer["message"],
                         "Authorization header requires 'Credential' parameter. Authorization "
                         "header requires 'Signature' parameter. Authorization header requires "
                         "'SignedHeaders' parameter. Authorization header requires existence of "
                         "either a 'X-Amz-Date' or a 'Date' header. Authorization=X")
        _, _, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}",
                            auth="AWS4- Signature=b Credential=a")
        self.assertEqual(answer["message"], "Authorization header requires 'SignedHeaders' "
                                            "parameter. Authorization=AWS4- Signature=b "
                                            "Credential=a")

    def test_query_string_signatures_are_checked_as_aws_does(self):
        _, _, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}",
                            path="/?X-Amz-Algorithm")
        self.assertEqual(answer, {"__type": "InvalidSignatureException",
                                  "message": "Found both 'X-Amz-Algorithm' as a query-string "
                                             "param and 'Authorization' as HTTP header."})
        _, _, answer = post(self.port, "Kinesis_20131202.ListStreams", b"{}", auth=None,
                            path="/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=x")
        self.assertEqual(answer["__type"], "IncompleteSignatureException")
        self.assertEqual(answer["message"],
                         "AWS query-string parameters must include 'X-Amz-Credential'. AWS "
                         "query-string parameters must include 'X-Amz-Signature'. AWS "
                         "query-string parameters must include 'X-Amz-SignedHeaders'. "
                         "Re-examine the query-string parameters.")

    def test_any_options_request_from_a_page_is_a_preflight(self):
        status, headers, answer, _ = request(self.port, "OPTIONS", "/", headers={
            "Origin": "whatever", "Access-Control-Request-Headers": "a, b, c",
            "Access-Control-Request-Method": "d"})
        headers = {k.lower(): v for k, v in headers.items()}
        self.assertEqual((status, answer), (200, b""))
        self.assertEqual(headers["access-control-allow-headers"], "a, b, c")
        self.assertEqual(headers["access-control-allow-methods"], "d")
        self.assertEqual(headers["access-control-max-age"], "172800")
        self.assertNotIn("content-type", headers)
        status, headers, _, _ = request(self.port, "OPTIONS", "/", headers={"Origin": "x"})
        self.assertEqual(status, 200)
        _, headers, answer = post(self.port, None, extra={"Origin": "whatever"})
        self.assertEqual(headers["access-control-expose-headers"],
                         "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,"
                         "x-amzn-ErrorMessage,Date")

    # Shapes and constraints, before any lookup.

    def test_every_violated_constraint_is_listed(self):
        self.assertViolations("DescribeStream", {"StreamName": "", "Limit": 0,
                                                 "ExclusiveStartShardId": ""}, [
            "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater "
            "than or equal to 1",
            "Value '' at 'exclusiveStartShardId' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
            "Value '' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have "
            "length greater than or equal to 1",
            "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: [a-zA-Z0-9_.-]+",
            "Value '' at 'streamName' failed to satisfy constraint: Member must have length "
            "greater than or equal to 1"])
        self.assertViolations("GetShardIterator", {"StreamName": "a", "ShardId": "shardId-0",
                                                   "ShardIteratorType": "LATEST",
                                                   "StartingSequenceNumber": ""}, [
            "Value '' at 'startingSequenceNumber' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: 0|([1-9]\\d{0,128})"])

    def test_integers_are_cut_to_32_bits_as_aws_reads_them(self):
        name = "a" * 129
        self.assertViolations("CreateStream", {"StreamName": name, "ShardCount": 100000000000}, [
            "Value '2147483647' at 'shardCount' failed to satisfy constraint: Member must have "
            "value less than or equal to 100000",
            "Value '%s' at 'streamName' failed to satisfy constraint: Member must have length "
            "less than or equal to 128" % name])

    def test_tags_break_the_models_limits_before_the_stream_is_looked_up(self):
        long_key = "k" * 129
        self.assertViolations("AddTagsToStream", {"StreamName": "missing", "Tags": {long_key: "3"}},
                              ["Value '{%s=3}' at 'tags' failed to satisfy constraint: Map keys "
                               "must satisfy constraint: [Member must have length less than or "
                               "equal to 128, Member must have length greater than or equal to "
                               "1]" % long_key])
        self.assertViolations("AddTagsToStream", {"StreamName": "missing",
                                                  "Tags": {"c": "v" * 257}},
                              ["at 'tags' failed to satisfy constraint: Map value must satisfy "
                               "constraint: [Member must have length less than or equal to 256, "
                               "Member must have length greater than or equal to 0]"])
        self.assertViolations("AddTagsToStream", {"StreamName": "missing",
                                                  "Tags": {str(i): "a" for i in range(201)}},
                              ["Member must have length less than or equal to 200"])
        self.assertViolations("RemoveTagsFromStream", {"StreamName": "missing",
                                                       "TagKeys": ["a", long_key, "b"]},
                              ["Value '[a, %s, b]' at 'tagKeys' failed to satisfy constraint: "
                               "Member must satisfy constraint: [Member must have length less "
                               "than or equal to 128, Member must have length greater than or "
                               "equal to 1]" % long_key])
        self.assertViolations("RemoveTagsFromStream", {"StreamName": "missing",
                                                       "TagKeys": [str(i) for i in range(51)]},
                              ["Member must have length less than or equal to 50"])

    def test_a_stream_takes_at_most_50_tags_and_no_percent_sign(self):
        self.k.create_stream(StreamName="tagged", ShardCount=1)
        self.k.get_waiter("stream_exists").wait(StreamName="tagged", WaiterConfig={"Delay": 1})
        for start in range(0, 50, 10):
            self.k.add_tags_to_stream(StreamName="tagged",
                                      Tags={str(start + i): "a" for i in range(10)})
        self.assertRefused("AddTagsToStream", {"StreamName": "tagged", "Tags": {"one-more": "a"}},
                           "InvalidArgumentException",
                           "Failed to add tags to stream tagged under account 000000000000 "
                           "because a given stream cannot have more than 50 tags associated "
                           "with it.")
        self.assertRefused("RemoveTagsFromStream", {"StreamName": "tagged", "TagKeys": ["a%b"]},
                           "InvalidArgumentException",
                           "Failed to remove tags from stream tagged under account 000000000000 "
                           "because some tags contained illegal characters. The allowed "
                           "characters are Unicode letters, white-spaces, '_',',','/','=','+',"
                           "'-','@'.")

    def test_serialization_errors_come_before_violations_in_corals_words(self):
        for data, why in [("23456", "Base64 encoded length is expected a multiple of 4 bytes "
                                    "but found: 5"),
                          ("=+/=", "Invalid Base64 character: '='"),
                          ("+/+=", "Invalid last non-pad Base64 character dectected")]:
            self.assertRefused("PutRecord", {"Data": data}, "SerializationException",
                               "'%s' can not be converted to a Blob: %s" % (data, why))
            self.assertRefused("PutRecords", {"Records": [{"Data": data}]},
                               "SerializationException",
                               "'%s' can not be converted to a Blob: %s" % (data, why))
        self.assertRefused("GetShardIterator", {"Timestamp": "23"}, "SerializationException",
                           "class java.lang.String can not be converted to milliseconds since "
                           "epoch")

    def test_put_record_lists_every_violation_with_the_models_limits(self):
        name, key = "a" * 129, "k" * 257
        data = "A" * (((10 << 20) + 1 + 2) // 3 * 4)  # 10 MiB and a byte, in Base64
        self.assertViolations("PutRecord", {"StreamName": name, "PartitionKey": key, "Data": data,
                                            "ExplicitHashKey": ""}, [
            "Value '%s' at 'partitionKey' failed to satisfy constraint: Member must have length "
            "less than or equal to 256" % key,
            "Value '' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: 0|([1-9]\\d{0,38})",
            "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485762 cap=10485762]' at 'data' failed "
            "to satisfy constraint: Member must have length less than or equal to 10485760",
            "Value '%s' at 'streamName' failed to satisfy constraint: Member must have length "
            "less than or equal to 128" % name])

    def test_enumerations_are_listed_in_aws_order(self):
        self.assertViolations("GetShardIterator", {"StreamName": "known", "ShardId": "0",
                                                   "ShardIteratorType": ""}, [
            "Value '' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy "
            "enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, "
            "TRIM_HORIZON]"])

    def test_a_sequence_number_for_ordering_from_the_future_is_refused(self):
        future = int("2ffffffffff7fffffffffffffff000000000007fffffff2", 16)
        self.assertRefused("PutRecord", {"StreamName": "known", "PartitionKey": "a", "Data": "",
                                         "SequenceNumberForOrdering": str(future)},
                           "InvalidArgumentException",
                           "ExclusiveMinimumSequenceNumber %d used in PutRecord on stream known "
                           "under account 000000000000 is invalid." % future)

    def test_the_adjacent_shard_of_a_merge_is_the_one_that_follows(self):
        self.k.create_stream(StreamName="merging", ShardCount=2)
        self.k.get_waiter("stream_exists").wait(StreamName="merging", WaiterConfig={"Delay": 1})
        self.assertRefused("MergeShards", {"StreamName": "merging", "ShardToMerge": "x-1",
                                           "AdjacentShardToMerge": "y-0"},
                           "InvalidArgumentException",
                           "Shards shardId-000000000001 and shardId-000000000000 in stream "
                           "merging under account 000000000000 are not an adjacent pair of "
                           "shards eligible for merging")
        self.k.merge_shards(StreamName="merging", ShardToMerge="shardId-000000000000",
                            AdjacentShardToMerge="shardId-000000000001")

    def test_put_records_lists_the_violations_of_every_record(self):
        self.assertViolations("PutRecords", {"StreamName": "known", "Records": [
            {"Data": ""}, {"PartitionKey": "", "Data": ""}]}, [
            "Value null at 'records.1.member.partitionKey' failed to satisfy constraint: Member "
            "must not be null",
            "Value '' at 'records.2.member.partitionKey' failed to satisfy constraint: Member "
            "must have length greater than or equal to 1"])

    def test_an_explicit_hash_key_out_of_range_refuses_the_whole_put(self):
        key = str(2 ** 128)
        message = ("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                   "Specified value was " + key)
        self.assertRefused("PutRecord", {"StreamName": "known", "PartitionKey": "a", "Data": "",
                                         "ExplicitHashKey": key},
                           "InvalidArgumentException", message)
        self.assertRefused("PutRecords", {"StreamName": "known", "Records": [
            {"PartitionKey": "a", "Data": "", "ExplicitHashKey": key},
            {"PartitionKey": "a", "Data": ""}]}, "InvalidArgumentException", message)

    def test_stream_id_is_accepted_wherever_the_model_has_it_and_checked(self):
        status, _, answer = self.call("DescribeStreamSummary", {"StreamName": "known",
                                                                "StreamId": "a" * 20 + "-abc"})
        self.assertEqual(status, 200, "reserved for future use: accepted and ignored")
        actions = ["AddTagsToStream", "DecreaseStreamRetentionPeriod", "DeleteResourcePolicy",
                   "DeleteStream", "DeregisterStreamConsumer", "DescribeStream",
                   "DescribeStreamConsumer", "DescribeStreamSummary",
                   "DisableEnhancedMonitoring", "EnableEnhancedMonitoring", "GetRecords",
                   "GetResourcePolicy", "GetShardIterator", "IncreaseStreamRetentionPeriod",
                   "ListShards", "ListStreamConsumers", "ListTagsForResource",
                   "ListTagsForStream", "MergeShards", "PutRecord", "PutRecords",
                   "PutResourcePolicy", "RegisterStreamConsumer", "RemoveTagsFromStream",
                   "SplitShard", "StartStreamEncryption", "StopStreamEncryption", "TagResource",
                   "UntagResource", "UpdateMaxRecordSize", "UpdateShardCount", "UpdateStreamMode",
                   "UpdateStreamWarmThroughput"]
        for action in actions:
            status, _, answer = self.call(action, {"StreamName": "known", "StreamId": "Nope"})
            self.assertEqual(answer["__type"], "ValidationException", action)
            self.assertIn("Value 'Nope' at 'streamId' failed to satisfy constraint: Member must "
                          "satisfy regular expression pattern: [a-z0-9]{20}-[a-z0-9]{3}",
                          answer["message"], action)

    # Lookups and their wording.

    def test_shards_are_not_found_in_the_words_of_each_action(self):
        self.assertRefused("GetShardIterator", {"StreamName": "missing", "ShardId": "2147483647",
                                                "ShardIteratorType": "LATEST"},
                           "ResourceNotFoundException",
                           "Shard shardId-002147483647 in stream missing under account "
                           "000000000000 does not exist")
        self.assertRefused("GetShardIterator", {"StreamName": "missing",
                                                "ShardId": "shardId-002147483648",
                                                "ShardIteratorType": "LATEST"},
                           "ResourceNotFoundException",
                           "Could not find shard shardId-002147483648 in stream missing under "
                           "account 000000000000.")
        self.assertRefused("MergeShards", {"StreamName": "missing", "ShardToMerge": "1",
                                           "AdjacentShardToMerge": "x-0"},
                           "ResourceNotFoundException",
                           "Stream missing under account 000000000000 not found.")
        self.assertRefused("MergeShards", {"StreamName": "known", "ShardToMerge": "shardId-5",
                                           "AdjacentShardToMerge": "x-0"},
                           "ResourceNotFoundException",
                           "Could not find shard shardId-000000000005 in stream known under "
                           "account 000000000000.")
        self.assertRefused("SplitShard", {"StreamName": "missing", "ShardToSplit": "2147483648",
                                          "NewStartingHashKey": "0"},
                           "ResourceNotFoundException",
                           "Could not find shard 2147483648 in stream missing under account "
                           "000000000000.")

    def test_get_records_from_a_deleted_stream_names_its_shard(self):
        self.k.create_stream(StreamName="short-lived", ShardCount=1)
        self.k.get_waiter("stream_exists").wait(StreamName="short-lived", WaiterConfig={"Delay": 1})
        iterator = self.k.get_shard_iterator(StreamName="short-lived", ShardId="shardId-0",
                                             ShardIteratorType="LATEST")["ShardIterator"]
        self.k.delete_stream(StreamName="short-lived")
        self.assertRefused("GetRecords", {"ShardIterator": iterator}, "ResourceNotFoundException",
                           "Shard shardId-000000000000 in stream short-lived under account "
                           "000000000000 does not exist")

    def test_iterator_arguments_are_refused_in_aws_words(self):
        put = self.k.put_record(StreamName="known", PartitionKey="a", Data=b"x")
        other = "shardId-000000000001" if put["ShardId"].endswith("0") else "shardId-000000000000"
        self.assertRefused("GetShardIterator", {"StreamName": "known", "ShardId": other,
                                                "ShardIteratorType": "AT_SEQUENCE_NUMBER",
                                                "StartingSequenceNumber": put["SequenceNumber"]},
                           "InvalidArgumentException",
                           "Invalid StartingSequenceNumber. It encodes %s, while it was used in "
                           "a call to a shard with %s" % (put["ShardId"], other))
        self.assertRefused("GetShardIterator", {"StreamName": "known", "ShardId": "shardId-0",
                                                "ShardIteratorType": "AT_TIMESTAMP"},
                           "InvalidArgumentException",
                           "Must specify timestampInMillis parameter for iterator of type "
                           "AT_TIMESTAMP. Current request has no timestamp parameter.")

    def test_list_shards_needs_exactly_one_of_a_stream_and_a_token(self):
        self.assertRefused("ListShards", {}, "InvalidArgumentException",
                           "Either NextToken or StreamName should be provided.")
        self.assertRefused("ListShards", {"StreamName": "known", "NextToken": "x"},
                           "InvalidArgumentException",
                           "NextToken and StreamName cannot be provided together.")

    def test_actions_without_output_answer_with_an_empty_body(self):
        status, headers, answer = self.call("CreateStream", {"StreamName": "empty-answer",
                                                             "ShardCount": 1})
        self.assertEqual((status, answer), (200, ""))
        self.assertEqual(headers["content-length"], "0")
        status, _, answer = self.call("AddTagsToStream", {"StreamName": "empty-answer",
                                                          "Tags": {"a": "b"}})
        self.assertEqual((status, answer), (200, ""))
        status, _, answer = self.call("ListTagsForStream", {"StreamName": "empty-answer"})
        self.assertEqual(answer, {"Tags": [{"Key": "a", "Value": "b"}], "HasMoreTags": False})
        status, headers, answer = post(self.port, "Kinesis_20131202.DeleteStream",
                                       cbor2.dumps({"StreamName": "empty-answer"}), CBOR)
        self.assertEqual((status, answer), (200, ""))


class CreatingStreamTest(unittest.TestCase):
    def test_a_stream_being_created_shows_no_shards_yet(self):
        server = Server("--create-delay-ms", "60000").start()
        try:
            k = server.client()
            k.create_stream(StreamName="s", ShardCount=3)
            d = k.describe_stream(StreamName="s")["StreamDescription"]
            self.assertEqual((d["StreamStatus"], d["Shards"]), ("CREATING", []))
        finally:
            server.stop()


class ConsumerStatesTest(unittest.TestCase):
    """CREATING -> ACTIVE -> DELETING, each for the server's state-change delay."""

    def test_a_deregistered_consumer_is_deleting_for_a_while_then_gone(self):
        server = Server("--create-delay-ms", "1500").start()
        try:
            k = server.client()
            k.create_stream(StreamName="s", ShardCount=1)
            k.get_waiter("stream_exists").wait(StreamName="s", WaiterConfig={"Delay": 1})
            arn = k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
            consumer = k.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]
            self.assertEqual(consumer["ConsumerStatus"], "CREATING")
            time.sleep(1.6)
            describe = lambda: k.describe_stream_consumer(  # noqa: E731
                ConsumerARN=consumer["ConsumerARN"])["ConsumerDescription"]["ConsumerStatus"]
            self.assertEqual(describe(), "ACTIVE")
            k.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
            self.assertEqual(describe(), "DELETING")
            self.assertEqual(k.list_stream_consumers(StreamARN=arn)["Consumers"][0]
                             ["ConsumerStatus"], "DELETING")
            with self.assertRaises(k.exceptions.ResourceInUseException):
                k.register_stream_consumer(StreamARN=arn, ConsumerName="app")
            k.delete_stream(StreamName="s")  # a DELETING consumer no longer holds the stream
        finally:
            server.stop()

    def test_a_consumer_deleting_at_a_restart_is_gone_after_it(self):
        server = Server("--create-delay-ms", "60000").start()
        try:
            k = server.client()
            k.create_stream(StreamName="s", ShardCount=1)
            arn = k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
            consumer = k.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]
            k.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
            server.restart()
            k = server.client()
            self.assertEqual(k.list_stream_consumers(StreamARN=arn)["Consumers"], [])
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
