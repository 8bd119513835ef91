SELECT a
FROM t WHERE b = 'unterminated
