// The AWS SDK for JavaScript v3 with its default settings (HTTP/2 for every Kinesis call) against
// ENDPOINT: create, wait, put, put a batch, list, iterators, get, split, consumers and
// SubscribeToShard. Prints one JSON object of what it saw; exits 1 with the SDK's error otherwise.
// NODE_MODULES_DIR: the folder whose node_modules has @aws-sdk/client-kinesis (outside the sources).
import { createRequire } from "module";

const require = createRequire(process.env.NODE_MODULES_DIR + "/");
const k = require("@aws-sdk/client-kinesis");

const client = new k.KinesisClient({
  endpoint: process.env.ENDPOINT,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: process.env.SECRET || "secret" },
  maxAttempts: 1,
});
const stream = process.env.STREAM;
const text = (bytes) => new TextDecoder().decode(bytes);

// Subscribes to a child of the split at LATEST, then puts records to it: the events must carry
// records written after the subscription started.
async function subscribe(consumerArn, stream) {
  for (;;) {
    const d = await client.send(new k.DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }));
    if (d.ConsumerDescription.ConsumerStatus === "ACTIVE") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const done = new AbortController();  // ends the subscription's HTTP/2 stream when we stop
  const sub = await client.send(new k.SubscribeToShardCommand({
    ConsumerARN: consumerArn, ShardId: "shardId-000000000001",
    StartingPosition: { Type: "LATEST" } }), { abortSignal: done.signal });
  const wanted = ["s0", "s1", "s2"];
  for (const d of wanted) {
    await client.send(new k.PutRecordCommand({
      StreamName: stream, PartitionKey: "p", ExplicitHashKey: "1",
      Data: new TextEncoder().encode(d) }));
  }
  const got = [];
  for await (const event of sub.EventStream) {
    const e = event.SubscribeToShardEvent;
    if (!e) continue;
    got.push(...e.Records.map((r) => text(r.Data)));
    if (got.length >= wanted.length) break;
  }
  done.abort();
  return got;
}

async function main() {
  const seen = {};
  await client.send(new k.CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  await k.waitUntilStreamExists(
    { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { StreamName: stream });
  const put = await client.send(new k.PutRecordCommand({
    StreamName: stream, PartitionKey: "p", Data: new TextEncoder().encode("one") }));
  seen.put_shard = put.ShardId;
  const batch = await client.send(new k.PutRecordsCommand({
    StreamName: stream,
    Records: ["two", "three"].map((d) => ({ PartitionKey: d, Data: new TextEncoder().encode(d) })),
  }));
  seen.batch_failed = batch.FailedRecordCount;
  seen.streams = (await client.send(new k.ListStreamsCommand({}))).StreamNames;
  const it = await client.send(new k.GetShardIteratorCommand({
    StreamName: stream, ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON" }));
  const got = await client.send(new k.GetRecordsCommand({ ShardIterator: it.ShardIterator }));
  seen.records = got.Records.map((r) => text(r.Data));
  seen.arrival_is_date = got.Records[0].ApproximateArrivalTimestamp instanceof Date;
  await client.send(new k.SplitShardCommand({
    StreamName: stream, ShardToSplit: "shardId-000000000000",
    NewStartingHashKey: "170141183460469231731687303715884105728" }));
  await k.waitUntilStreamExists(
    { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { StreamName: stream });
  seen.shards = (await client.send(new k.ListShardsCommand({ StreamName: stream }))).Shards.length;
  const arn = (await client.send(new k.DescribeStreamSummaryCommand({ StreamName: stream })))
    .StreamDescriptionSummary.StreamARN;
  const consumer = (await client.send(new k.RegisterStreamConsumerCommand({
    StreamARN: arn, ConsumerName: "c1" }))).Consumer;
  seen.consumers = (await client.send(new k.ListStreamConsumersCommand({ StreamARN: arn })))
    .Consumers.map((c) => c.ConsumerName);
  seen.subscribed = await subscribe(consumer.ConsumerARN, stream);
  // Many calls at once share the client's one HTTP/2 connection as concurrent streams.
  const many = await Promise.all(Array.from({ length: 50 }, (_, i) => client.send(
    new k.PutRecordCommand({ StreamName: stream, PartitionKey: `k${i}`,
                             Data: new TextEncoder().encode(`m${i}`) }))));
  seen.concurrent_puts = many.filter((r) => r.SequenceNumber).length;
  console.log(JSON.stringify(seen));
}

main().then(() => client.destroy(), (e) => {
  console.log(JSON.stringify({ error: e.name, message: e.message }));
  client.destroy();
  process.exit(1);
});
