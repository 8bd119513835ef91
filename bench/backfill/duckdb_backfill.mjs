// The same aggregation as clickstream_backfill, in DuckDB over the JSON-lines file it wrote:
// per page and minute, COUNT(*) and SUM(bytes), into a table. Prints wall and CPU time.
//
//   node duckdb_backfill.mjs /tmp/shardflow-backfill/clicks.jsonl [threads]
// (npm install @duckdb/node-api in a scratch directory first; see bench/RESULTS.md)

import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const threads = process.argv[3] ?? '2';
const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
await connection.run(`
  CREATE TABLE clicks_per_minute AS
  SELECT page, (ts // 60000) * 60000 AS window_start, COUNT(*) AS clicks, SUM(bytes) AS bytes
  FROM read_json('${file}', format = 'newline_delimited',
                 columns = {user: 'VARCHAR', page: 'VARCHAR', bytes: 'BIGINT', ts: 'BIGINT'})
  GROUP BY ALL`);
const wall = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const reader = await connection.runAndReadAll('SELECT SUM(clicks) FROM clicks_per_minute');
const records = Number(reader.getRows()[0][0]);
console.log(JSON.stringify({ engine: 'duckdb', records, threads: Number(threads), wall_s: wall, cpu_s: cpuSeconds,
                             records_per_s: Math.round(records / wall), records_per_cpu_s: Math.round(records / cpuSeconds) }));
