-- Query 13: bounded side input join (upstream q13.sql joins bids with a file of 10,000
-- (key, value) rows FOR SYSTEM_TIME AS OF PROCTIME()). Here the side input is a SQLite table
-- declared before the query, as the cross-check does:
--   CREATE TABLE side_input (key BIGINT, value VARCHAR)
--     WITH (database = '<side_input.db>', table = 'side_input');
SELECT b.auction, b.bidder, b.price, b.dateTime, s.value
FROM bid b JOIN side_input s ON MOD(b.auction, 10000) = s.key
