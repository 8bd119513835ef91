-- Query 12: processing-time windows (upstream q12.sql counts bids per bidder in TUMBLE(PROCTIME(),
-- 10 s)). A record's processing time here is when the store received it, `_arrival_time`, the
-- way Kinesis Data Analytics windows on ROWTIME.
SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM TUMBLE(TABLE bid, DESCRIPTOR(_arrival_time), INTERVAL '10' SECOND)
GROUP BY bidder, window_start, window_end
