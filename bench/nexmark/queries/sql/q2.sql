-- Query 2: selection (upstream q2.sql).
SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0
