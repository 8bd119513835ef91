"""HTTP/2 clients that misbehave, driven frame by frame with Debian's python3-h2: a stream reset
halfway through its body, a body longer than its content-length, more streams at once than the
server allows, a client that stops reading. Each gets a clear answer or reset, the connection
or the server goes on serving, and nothing acknowledged is lost."""

import json
import socket
import time
import unittest

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings

from server import SharedServerTest

AUTH = [("x-amz-date", "20260101T000000Z"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/kinesis/"
                          "aws4_request, SignedHeaders=host;x-amz-date, Signature=00")]


def request_headers(action, length):
    return [(":method", "POST"), (":scheme", "http"), (":path", "/"),
            (":authority", "127.0.0.1"), ("x-amz-target", "Kinesis_20131202." + action),
            ("content-type", "application/x-amz-json-1.1"),
            ("content-length", str(length))] + AUTH


class Client:
    """One h2c connection (prior knowledge), as the JS SDK opens it."""

    def __init__(self, port, window=65535):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        self.conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window})
        self.flush()
        self.answers = {}  # stream id -> [status, body, ended, reset error code]

    def flush(self):
        self.sock.sendall(self.conn.data_to_send())

    def start(self, action, body, declared=None, end=True):
        stream = self.conn.get_next_available_stream_id()
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.conn.send_headers(stream, request_headers(
            action, declared if declared is not None else len(data)))
        self.conn.send_data(stream, data, end_stream=end)
        self.flush()
        self.answers[stream] = [None, b"", False, None]
        return stream

    def pump(self, until, seconds=20):
        """Reads frames until until() holds."""
        deadline = time.monotonic() + seconds
        while not until():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for the server")
            data = self.sock.recv(65536)
            if not data:
                raise AssertionError("the server closed the connection")
            for event in self.conn.receive_data(data):
                answer = self.answers.get(getattr(event, "stream_id", None))
                if isinstance(event, h2.events.ResponseReceived):
                    answer[0] = int(dict(event.headers)[b":status"])
                elif isinstance(event, h2.events.DataReceived):
                    answer[1] += event.data
                    self.conn.acknowledge_received_data(event.flow_controlled_length,
                                                        event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    answer[2] = True
                elif isinstance(event, h2.events.StreamReset) and answer:
                    answer[3] = event.error_code
            self.flush()

    def done(self, stream):
        answer = self.answers[stream]
        return answer[2] or answer[3] is not None

    def close(self):
        self.sock.close()


class Http2AbuseTest(SharedServerTest):
    def setUp(self):
        self.client = Client(self.port)

    def tearDown(self):
        self.client.close()

    def list_streams_still_served(self):
        stream = self.client.start("ListStreams", {})
        self.client.pump(lambda: self.client.done(stream))
        self.assertEqual(self.client.answers[stream][0], 200)

    def test_a_stream_reset_halfway_through_its_body_leaves_the_connection_serving(self):
        stream = self.client.conn.get_next_available_stream_id()
        self.client.conn.send_headers(stream, request_headers("PutRecord", 1000))
        self.client.conn.send_data(stream, b'{"StreamName": "')
        self.client.conn.reset_stream(stream)
        self.client.flush()
        self.list_streams_still_served()

    def test_a_body_longer_than_its_content_length_is_refused(self):
        stream = self.client.start("ListStreams", b"{}" + b" " * 20, declared=2)
        self.client.pump(lambda: self.client.done(stream))
        status, _, _, reset = self.client.answers[stream]
        self.assertTrue(reset is not None or status == 400, self.client.answers[stream])
        self.client.close()
        self.client = Client(self.port)  # a connection error may have ended that one
        self.list_streams_still_served()

    def test_more_streams_than_allowed_wait_their_turn_and_are_all_served(self):
        self.client.pump(lambda: self.client.conn.remote_settings.max_concurrent_streams < 2**31)
        allowed = self.client.conn.remote_settings.max_concurrent_streams
        self.assertEqual(allowed, 128)
        streams = []
        while len(streams) < 1000:
            try:
                streams.append(self.client.start("ListStreams", {}))
            except h2.exceptions.TooManyStreamsError:
                self.client.pump(lambda: self.client.conn.open_outbound_streams < allowed)
        self.client.pump(lambda: all(self.client.done(s) for s in streams), seconds=60)
        self.assertEqual({self.client.answers[s][0] for s in streams}, {200})

    def test_a_client_that_stops_reading_holds_back_no_one_and_loses_nothing(self):
        self.k.create_stream(StreamName="unread", ShardCount=1)
        self.k.get_waiter("stream_exists").wait(StreamName="unread",
                                                WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
        stalled = Client(self.port, window=0)  # no answer can reach it
        try:
            for i in range(20):
                stalled.start("PutRecord", {"StreamName": "unread", "PartitionKey": "p",
                                            "Data": "cmVjb3Jk"})
            deadline = time.monotonic() + 20
            got = []
            while len(got) < 20 and time.monotonic() < deadline:
                shard = self.k.get_shard_iterator(StreamName="unread",
                                                  ShardId="shardId-000000000000",
                                                  ShardIteratorType="TRIM_HORIZON")
                got = self.k.get_records(ShardIterator=shard["ShardIterator"])["Records"]
                time.sleep(0.1)
            self.assertEqual(len(got), 20, "the puts were done though no answer was read")
            self.list_streams_still_served()
        finally:
            stalled.close()


if __name__ == "__main__":
    unittest.main()
