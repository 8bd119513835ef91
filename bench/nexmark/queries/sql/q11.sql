-- Query 11: user sessions (upstream q11.sql, with the SESSION table function instead of the
-- legacy GROUP BY SESSION(...)).
SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM SESSION(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)
GROUP BY bidder, window_start, window_end
