SELECT auction, window_start, COUNT(*), SUM(price), AVG(price) FROM TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND) GROUP BY auction, window_start, window_end;
SELECT bidder, MAX(price) FROM HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND) GROUP BY bidder, window_start EMIT FINAL;
SELECT COUNT(*) FROM SESSION(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE) GROUP BY window_start EMIT CHANGES;
