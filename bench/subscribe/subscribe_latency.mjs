// SubscribeToShard delivery latency over HTTP/2 with the AWS SDK for JavaScript v3 (default
// settings): from a PutRecord's acknowledgement to the event carrying that record, against any
// Kinesis endpoint. The same measurement as subscribe_latency.py, which uses boto3 (HTTP/1.1).
//
//   ENDPOINT=http://127.0.0.1:4567 RECORDS=1000 NODE_MODULES_DIR=~/.cache/shardflow/node \
//     node subscribe_latency.mjs
//
// Puts RECORDS one at a time, 5 ms apart; prints p50/p90/p99/max in ms as one JSON line. A record
// delivered before its put was acknowledged counts 0 ms. Bounded: RECORDS puts and 120 s.
import { createRequire } from "module";

const require = createRequire(process.env.NODE_MODULES_DIR + "/");
const k = require("@aws-sdk/client-kinesis");

const endpoint = process.env.ENDPOINT;
const records = Number(process.env.RECORDS || 1000);
const client = new k.KinesisClient({
  endpoint, region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(check) {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error("timed out");
}

async function main() {
  const stream = `latency-js-${Date.now()}`;
  await client.send(new k.CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  const summary = async () => (await client.send(new k.DescribeStreamSummaryCommand({
    StreamName: stream }))).StreamDescriptionSummary;
  await until(async () => (await summary()).StreamStatus === "ACTIVE");
  const arn = (await summary()).StreamARN;
  const consumer = (await client.send(new k.RegisterStreamConsumerCommand({
    StreamARN: arn, ConsumerName: "bench" }))).Consumer;
  await until(async () => (await client.send(new k.DescribeStreamConsumerCommand({
    ConsumerARN: consumer.ConsumerARN }))).ConsumerDescription.ConsumerStatus === "ACTIVE");
  const shard = (await client.send(new k.ListShardsCommand({ StreamName: stream })))
    .Shards[0].ShardId;
  const stop = new AbortController();
  const sub = await client.send(new k.SubscribeToShardCommand({
    ConsumerARN: consumer.ConsumerARN, ShardId: shard, StartingPosition: { Type: "LATEST" } }),
  { abortSignal: stop.signal });

  const received = new Map();
  const reading = (async () => {
    try {
      for await (const event of sub.EventStream) {
        const now = performance.now();
        for (const r of event.SubscribeToShardEvent?.Records ?? []) {
          received.set(new TextDecoder().decode(r.Data), now);
        }
        if (received.size >= records) break;
      }
    } catch (e) {
      if (!stop.signal.aborted) throw e;
    }
  })();
  await sleep(500);
  const acked = new Map();
  const deadline = performance.now() + 120000;
  for (let i = 0; i < records && performance.now() < deadline; i++) {
    await client.send(new k.PutRecordCommand({
      StreamName: stream, PartitionKey: "p", Data: new TextEncoder().encode(String(i)) }));
    acked.set(String(i), performance.now());
    await sleep(5);
  }
  const waitUntil = performance.now() + 10000;
  while (received.size < acked.size && performance.now() < waitUntil) await sleep(50);
  stop.abort();
  await reading.catch(() => {});
  const latencies = [...acked].filter(([key]) => received.has(key))
    .map(([key, at]) => Math.max(0, received.get(key) - at)).sort((a, b) => a - b);
  const pick = (q) => Math.round(latencies[Math.min(latencies.length - 1,
    Math.floor(q * latencies.length))] * 100) / 100;
  console.log(JSON.stringify({ endpoint, records: acked.size, delivered: latencies.length,
    p50_ms: pick(0.5), p90_ms: pick(0.9), p99_ms: pick(0.99),
    max_ms: Math.round(latencies[latencies.length - 1] * 100) / 100 }));
}

main().then(() => client.destroy(), (e) => {
  console.log(JSON.stringify({ endpoint, error: e.name, message: e.message }));
  client.destroy();
  process.exit(1);
});
