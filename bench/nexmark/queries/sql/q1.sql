-- Query 1: currency conversion (upstream q1.sql).
SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid
