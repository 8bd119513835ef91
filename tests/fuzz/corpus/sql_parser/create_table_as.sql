CREATE TABLE counts WITH (path = 'counts.db') AS
SELECT page, window_start, COUNT(*) AS n
FROM TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND)
GROUP BY page, window_start EMIT FINAL;
