-- Query 3: local item suggestion (upstream q3.sql), a regular join: every auction of category 10
-- with its seller when the seller lives in Oregon, Idaho or California. Both sides are kept for
-- the life of the query, as in Flink without state TTL.
SELECT P.name, P.city, P.state, A.id
FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')
