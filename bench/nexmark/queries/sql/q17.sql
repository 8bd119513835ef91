-- Query 17: auction statistics report (upstream q17.sql; `count(*) FILTER (WHERE ...)` written
-- as SUM(CASE ...), AVG of a BIGINT cast back to BIGINT as the upstream sink table does).
SELECT auction,
       DATE_FORMAT(dateTime, '%Y-%m-%d') AS day,
       COUNT(*) AS total_bids,
       SUM(CASE WHEN price < 10000 THEN 1 ELSE 0 END) AS rank1_bids,
       SUM(CASE WHEN price >= 10000 AND price < 1000000 THEN 1 ELSE 0 END) AS rank2_bids,
       SUM(CASE WHEN price >= 1000000 THEN 1 ELSE 0 END) AS rank3_bids,
       MIN(price) AS min_price,
       MAX(price) AS max_price,
       CAST(AVG(price) AS BIGINT) AS avg_price,
       SUM(price) AS sum_price
FROM bid
GROUP BY auction, DATE_FORMAT(dateTime, '%Y-%m-%d')
