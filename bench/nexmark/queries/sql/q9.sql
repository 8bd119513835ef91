-- Query 9: winning bids (upstream q9.sql): each auction with its best bid between its dateTime
-- and its expiry, as a regular join with upstream's WHERE, then a Top-N of 1 per auction. Ties
-- in price go to the earlier bid, then to the lower bidder, as in the C++ graph (upstream's
-- ORDER BY stops at dateTime). Upstream joins `FROM auction A, bid B WHERE A.id = B.auction`.
SELECT id, itemName, description, initialBid, reserve, dateTime, expires, seller, category,
       extra, auction, bidder, price, bid_dateTime, bid_extra
FROM (SELECT A.*, B.auction, B.bidder, B.price, B.dateTime AS bid_dateTime, B.extra AS bid_extra,
             ROW_NUMBER() OVER (PARTITION BY A.id
                                ORDER BY B.price DESC, B.dateTime ASC, B.bidder ASC) AS rownum
      FROM auction A JOIN bid B ON A.id = B.auction
      WHERE B.dateTime BETWEEN A.dateTime AND A.expires)
WHERE rownum <= 1
