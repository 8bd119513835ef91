-- Query 6: average selling price of each seller's last 10 auctions (Nexmark's definition; the
-- upstream q6.sql, an AVG OVER (... ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) that selects the
-- ungrouped B.dateTime, is not valid SQL and Flink does not run it). The best bid of each auction
-- in [dateTime, expires], a Top-N of each seller's 10 latest auctions by expiry (then id), and
-- their average. Both levels under the AVG are update streams: a new best bid replaces its
-- auction's row, a newer auction pushes the 11th out, and the AVG takes back what they replace.
SELECT seller, AVG(final) AS avg_final
FROM (SELECT seller, final
      FROM (SELECT *,
                   ROW_NUMBER() OVER (PARTITION BY seller ORDER BY expires DESC, id DESC) AS rownum
            FROM (SELECT A.id, A.seller, A.expires, MAX(B.price) AS final
                  FROM auction A JOIN bid B ON A.id = B.auction
                  WHERE B.dateTime BETWEEN A.dateTime AND A.expires
                  GROUP BY A.id, A.seller, A.expires))
      WHERE rownum <= 10)
GROUP BY seller
