SHOW STREAMS; SHOW TABLES; show queries;
DESCRIBE clicks; DESC "Clicks";
EXPLAIN SELECT a FROM t;
DROP QUERY q1; DROP TABLE IF EXISTS counts; DROP STREAM clicks;
SET 'execution.runtime-mode' = 'batch';
