-- Query 4: average closing price per category (upstream q4.sql): the best bid of each auction
-- between its dateTime and its expiry, then their average per category. The inner GROUP BY's
-- best bid changes as bids arrive; the outer AVG takes each replaced value back out before the
-- new one goes in, so every category's average is that of its auctions' current best bids, and
-- once all bids are in, of their closing prices (the C++ graph's value at each close).
-- Upstream joins `FROM auction A, bid B WHERE A.id = B.auction`.
SELECT Q.category, AVG(Q.final) AS avg_final
FROM (SELECT MAX(B.price) AS final, A.category
      FROM auction A JOIN bid B ON A.id = B.auction
      WHERE B.dateTime BETWEEN A.dateTime AND A.expires
      GROUP BY A.id, A.category) Q
GROUP BY Q.category
