"""SubscribeToShard delivery latency: from a PutRecord's acknowledgement to the event carrying
that record at a boto3 subscriber (HTTP/1.1 event stream), against any Kinesis endpoint.

    subscribe_latency.py ENDPOINT [RECORDS]

Puts RECORDS (default 1000) one at a time, 5 ms apart, to a one-shard stream with a subscribed
consumer, and prints p50/p90/p99/max in milliseconds as one JSON line. A record delivered
before its put was acknowledged counts 0 ms. Bounded: at most RECORDS puts and 120 s.
"""

import json
import sys
import threading
import time
import uuid

import boto3
from botocore.config import Config


def client(endpoint):
    return boto3.client("kinesis", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                        config=Config(retries={"max_attempts": 3}))


def wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(0.1)


def main():
    endpoint = sys.argv[1]
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    k = client(endpoint)
    stream = "latency-" + uuid.uuid4().hex[:8]
    k.create_stream(StreamName=stream, ShardCount=1)
    wait_for(lambda: k.describe_stream_summary(StreamName=stream)[
        "StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE")
    arn = k.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]
    consumer = k.register_stream_consumer(StreamARN=arn, ConsumerName="bench")["Consumer"]
    consumer_arn = consumer["ConsumerARN"]
    wait_for(lambda: k.describe_stream_consumer(ConsumerARN=consumer_arn)[
        "ConsumerDescription"]["ConsumerStatus"] == "ACTIVE")
    shard = k.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
    sub = k.subscribe_to_shard(ConsumerARN=consumer_arn, ShardId=shard,
                               StartingPosition={"Type": "LATEST"})

    received = {}
    done = threading.Event()

    def read():
        for event in sub["EventStream"]:
            now = time.monotonic()
            for r in event["SubscribeToShardEvent"]["Records"]:
                received[r["Data"].decode()] = now
            if len(received) >= records or done.is_set():
                break

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.5)  # the subscription is reading before the first put
    producer = client(endpoint)
    acked = {}
    deadline = time.monotonic() + 120
    for i in range(records):
        if time.monotonic() > deadline:
            break
        producer.put_record(StreamName=stream, PartitionKey="p", Data=str(i).encode())
        acked[str(i)] = time.monotonic()
        time.sleep(0.005)
    wait_until = time.monotonic() + 10
    while len(received) < len(acked) and time.monotonic() < wait_until:
        time.sleep(0.05)
    done.set()
    latencies = sorted(max(0.0, received[key] - at) * 1000
                       for key, at in acked.items() if key in received)
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
    print(json.dumps({"endpoint": endpoint, "records": len(acked), "delivered": len(latencies),
                      "p50_ms": pick(0.5), "p90_ms": pick(0.9), "p99_ms": pick(0.99),
                      "max_ms": round(latencies[-1], 2)}))


if __name__ == "__main__":
    main()
