CREATE STREAM clicks (user_id VARCHAR, page VARCHAR, bytes BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH (shards = 4, partition_key = 'user_id');
CREATE SINK big WITH (format = 'json') AS SELECT user_id, bytes / 1000.0 AS kb FROM clicks WHERE bytes > 10;
INSERT INTO bids SELECT 1, user_id, CAST(bytes AS DOUBLE), ts FROM clicks;
EXPLAIN SELECT page, COUNT(*) FROM TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE) GROUP BY page, window_start;
SELECT UPPER(line), LENGTH(line), REGEXP_EXTRACT(line, '([0-9]+)', 1), JSON_VALUE(line, '$.a'), _partition_key, _shard_id FROM lines;
