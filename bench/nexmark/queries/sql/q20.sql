-- Query 20: expand bids with their auction (upstream q20.sql), a regular join: each bid on an
-- auction of category 10, with that auction's columns. Both sides are kept for the life of the
-- query, as in Flink without state TTL. Upstream selects B.dateTime, B.extra, A.dateTime and
-- A.extra unnamed and relies on its sink table for the names; an output here cannot have two
-- columns of one name, so they take that sink's names (bid_dateTime, bid_extra,
-- auction_dateTime, auction_extra).
SELECT auction, bidder, price, channel, url, B.dateTime AS bid_dateTime, B.extra AS bid_extra,
       itemName, description, initialBid, reserve, A.dateTime AS auction_dateTime, expires,
       seller, category, A.extra AS auction_extra
FROM bid AS B INNER JOIN auction AS A ON B.auction = A.id
WHERE A.category = 10
