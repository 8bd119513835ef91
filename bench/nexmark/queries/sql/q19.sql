-- Query 19: the 10 best bids of each auction (upstream q19.sql: SELECT * FROM (SELECT *,
-- ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid) WHERE
-- rank_number <= 10), a Top-N. The columns are listed in the C++ graph's row order (auction,
-- rank, then the rest of the bid), and a tie in price goes to the earlier bid, then to the lower
-- bidder, as in the C++ graph (upstream leaves ties to arrival order).
SELECT auction, rank_number, bidder, price, channel, url, dateTime, extra
FROM (SELECT *,
             ROW_NUMBER() OVER (PARTITION BY auction
                                ORDER BY price DESC, dateTime ASC, bidder ASC) AS rank_number
      FROM bid)
WHERE rank_number <= 10
