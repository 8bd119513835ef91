-- Query 7: highest bid (upstream q7.sql): the bids whose price is the highest of their 10 s
-- TUMBLE window, all of them on a tie. Upstream joins the bids with each window's MAX(price)
-- (`B.price = B1.maxprice`, the bid's dateTime within the window); here a window Top-N ranks the
-- window's bids by price with RANK(), which keeps every bid tied at rank 1 the same way.
SELECT auction, price, bidder, dateTime, extra
FROM (SELECT auction, price, bidder, dateTime, extra, window_start, window_end,
             RANK() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rk
      FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)))
WHERE rk <= 1
