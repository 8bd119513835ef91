SELECT -a * b + c % 3 || 'x' AS s, NOT a = 1 AND b <> 2 OR c != 3,
       a BETWEEN 1 AND 2, a NOT IN (1, 2.5, 1e3), a NOT LIKE 'x%', a IS NOT NULL,
       CASE a WHEN 1 THEN 'one' ELSE 'many' END, CASE WHEN a > 0 THEN 1 END,
       CAST(a AS BIGINT), COUNT(DISTINCT b), LEFT(page, 2), -9223372036854775808
FROM t WHERE (a >= 0) AND b <= .5 GROUP BY a HAVING COUNT(*) > 1 ORDER BY a DESC, b ASC LIMIT 10 EMIT CHANGES;
