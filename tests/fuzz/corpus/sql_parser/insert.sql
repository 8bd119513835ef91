INSERT INTO out SELECT DISTINCT c.*, u.name FROM clicks c LEFT OUTER JOIN users AS u ON c.user_id = u.id;
INSERT INTO clicks (page, ts) VALUES ('/a', TIMESTAMP '2024-01-01 00:00:01'), ('/b''s', NULL);
