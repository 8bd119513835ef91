SELECT b.auction, a.seller, b.price FROM bids b JOIN auctions a ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' MINUTE;
SELECT b.bidder, s.tier FROM bids b LEFT JOIN sellers s ON b.bidder = s.name;
SELECT a.id, COUNT(*) FROM auctions a JOIN bids b ON a.id = b.auction GROUP BY a.id;
