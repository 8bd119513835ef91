-- Query 8: monitor new users (upstream q8.sql): persons who created an auction in the 10 s window
-- they joined. Upstream groups each side by (id, window) and joins the two; here the TUMBLE
-- window join pairs each person with each auction they created in the window, and a Top-N of 1
-- per (person, window) keeps one row of each pair (Flink's window deduplication).
SELECT id, name, starttime
FROM (SELECT P.id, P.name, P.window_start AS starttime,
             ROW_NUMBER() OVER (PARTITION BY P.id, P.window_start ORDER BY A.id) AS rownum
      FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) P
      JOIN TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) A
        ON P.id = A.seller AND P.window_start = A.window_start)
WHERE rownum = 1
