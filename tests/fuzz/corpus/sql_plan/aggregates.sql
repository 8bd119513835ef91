SELECT auction, COUNT(DISTINCT bidder), APPROX_COUNT_DISTINCT(bidder), MIN(price), MAX(price) FROM bids GROUP BY auction HAVING COUNT(*) > 2 ORDER BY auction LIMIT 10;
CREATE TABLE per_bidder AS SELECT bidder, SUM(price) AS total FROM bids WHERE price > 1.5 GROUP BY bidder;
SELECT category, AVG(n) FROM (SELECT category, seller, COUNT(*) AS n FROM auctions GROUP BY category, seller) GROUP BY category;
