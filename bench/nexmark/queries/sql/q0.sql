-- Query 0: pass through (upstream q0.sql).
SELECT auction, bidder, price, dateTime, extra FROM bid
