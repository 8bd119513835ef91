CREATE STREAM IF NOT EXISTS clicks (
    page VARCHAR(200), user_id BIGINT, price DECIMAL(10, 2), ok BOOLEAN, ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (kinesis_stream = 'clicks', 'format' = 'json', shards = 4, scan.mode = 1.5);
