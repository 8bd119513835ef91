"""Puts completed by group commit: acknowledged only when durable (kill -9 under load loses none
of them), and pipelined requests on one connection answered in order."""

import base64
import http.client
import json
import socket
import threading
import time
import unittest

from server import Server

HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Date": "20261123T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=x/20261123/us-east-1/kinesis/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000",
}


def request_bytes(action, body):
    payload = json.dumps(body).encode()
    head = "".join("%s: %s\r\n" % item for item in HEADERS.items())
    return ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n%sX-Amz-Target: Kinesis_20131202.%s\r\n"
            "Content-Length: %d\r\n\r\n" % (head, action, len(payload))).encode() + payload


def read_response(reader):
    """(status, body) of the next HTTP/1.1 response on `reader`."""
    status = int(reader.readline().split()[1])
    length = 0
    while True:
        line = reader.readline().strip()
        if not line:
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, reader.read(length)


def b64(text):
    return base64.b64encode(text.encode()).decode()


class Writer(threading.Thread):
    """Puts records (PutRecord and PutRecords in turn) until told to stop or the server dies;
    keeps what was acknowledged: data -> (shard, sequence number)."""

    def __init__(self, port, name, stop):
        super().__init__(daemon=True)
        self.port, self.name, self.stop = port, name, stop
        self.acknowledged = {}

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        n = 0
        try:
            while not self.stop.is_set():
                if n % 2:
                    data = "%s-%d" % (self.name, n)
                    answer = self.call(conn, "PutRecord", {
                        "StreamName": "crash", "PartitionKey": data, "Data": b64(data)})
                    self.acknowledged[data] = (answer["ShardId"], answer["SequenceNumber"])
                    n += 1
                    continue
                batch = ["%s-%d" % (self.name, n + i) for i in range(20)]
                answer = self.call(conn, "PutRecords", {"StreamName": "crash", "Records": [
                    {"PartitionKey": d, "Data": b64(d)} for d in batch]})
                for d, entry in zip(batch, answer["Records"]):
                    if "SequenceNumber" in entry:
                        self.acknowledged[d] = (entry["ShardId"], entry["SequenceNumber"])
                n += len(batch)
        except (OSError, http.client.HTTPException):
            pass  # the server was killed: what it answered before is what counts

    @staticmethod
    def call(conn, action, body):
        conn.request("POST", "/", json.dumps(body),
                     dict(HEADERS, **{"X-Amz-Target": "Kinesis_20131202." + action}))
        response = conn.getresponse()
        text = response.read()
        if response.status != 200:
            raise http.client.HTTPException("%d %s" % (response.status, text[:200]))
        return json.loads(text)


def read_all(k, stream):
    """data -> (shard, sequence number) of every record in the stream."""
    stored = {}
    for shard in k.list_shards(StreamName=stream)["Shards"]:
        it = k.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = k.get_records(ShardIterator=it, Limit=10000)
            for r in page["Records"]:
                stored[r["Data"].decode()] = (shard["ShardId"], r["SequenceNumber"])
            if not page["Records"]:
                break
            it = page.get("NextShardIterator")
    return stored


def create_stream(server, name, shards):
    k = server.client()
    k.create_stream(StreamName=name, ShardCount=shards)
    k.get_waiter("stream_exists").wait(StreamName=name,
                                       WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    return k


class GroupCommitTest(unittest.TestCase):
    def test_kill_nine_under_load_loses_no_acknowledged_record(self):
        server = Server().start()
        try:
            create_stream(server, "crash", 4)
            acknowledged = {}
            for cycle in range(3):
                stop = threading.Event()
                writers = [Writer(server.port, "c%dw%d" % (cycle, w), stop) for w in range(4)]
                for w in writers:
                    w.start()
                time.sleep(1.5)
                server.process.kill()  # SIGKILL, with puts in flight
                server.process.wait()
                server.process.stdout.close()
                stop.set()
                for w in writers:
                    w.join(timeout=30)
                    acknowledged.update(w.acknowledged)
                server.start()
                k = server.client()
                stored = read_all(k, "crash")
                lost = [d for d, where in acknowledged.items() if stored.get(d) != where]
                self.assertEqual(lost, [],
                                 "acknowledged but not stored as answered (cycle %d)" % cycle)
                self.assertGreater(len(acknowledged), 100 * (cycle + 1))
        finally:
            server.stop()

    def test_pipelined_requests_are_answered_in_order_and_stored_in_order(self):
        server = Server().start()
        try:
            k = create_stream(server, "pipe", 2)
            count = 60
            requests = b"".join(
                request_bytes("PutRecord", {"StreamName": "pipe", "PartitionKey": "one key",
                                            "Data": b64("record %d" % i)})
                for i in range(count))
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
                s.sendall(requests)  # all of them before reading any answer
                reader = s.makefile("rb")
                sequence_numbers = []
                for _ in range(count):
                    status, body = read_response(reader)
                    self.assertEqual(status, 200, body)
                    sequence_numbers.append(int(json.loads(body)["SequenceNumber"]))
            self.assertEqual(sequence_numbers, sorted(sequence_numbers))
            self.assertEqual(len(set(sequence_numbers)), count)
            stored = sorted(read_all(k, "pipe").items(), key=lambda item: int(item[1][1]))
            self.assertEqual([d for d, _ in stored], ["record %d" % i for i in range(count)])
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
