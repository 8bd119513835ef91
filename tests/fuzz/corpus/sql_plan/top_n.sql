SELECT * FROM (SELECT auction, price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS r FROM bids) WHERE r <= 3;
SELECT bidder, price FROM bids ORDER BY price DESC LIMIT 5;
