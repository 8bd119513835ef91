-- Query 18: find the last bid of each bidder on each auction (upstream q18.sql keeps
-- ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC) = 1). Bids of one
-- auction share a shard and arrive in dateTime order, so the group's last values are its latest
-- bid's.
SELECT auction, bidder,
       LAST_VALUE(price) AS price,
       LAST_VALUE(channel) AS channel,
       LAST_VALUE(url) AS url,
       MAX(dateTime) AS dateTime,
       LAST_VALUE(extra) AS extra
FROM bid
GROUP BY bidder, auction
