-- Query 5: hot items (upstream q5.sql): per HOP window of 10 s sliding every 2 s, the auctions
-- with the most bids, all of them on a tie. Upstream counts the bids per auction and window, then
-- joins those counts with each window's MAX(num) (`num >= maxn`); here a window Top-N ranks each
-- window's counts with RANK(), as Flink writes it (the counts one level deeper).
SELECT auction, num
FROM (SELECT *,
             RANK() OVER (PARTITION BY window_start, window_end ORDER BY num DESC) AS rk
      FROM (SELECT auction, COUNT(*) AS num, window_start, window_end
            FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND,
                           INTERVAL '10' SECOND))
            GROUP BY auction, window_start, window_end))
WHERE rk <= 1
