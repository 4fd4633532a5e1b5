-- Q16: SPLIT a web log into four overlapping relations by string tests (MATCHES, INDEXOF,
-- LOWER), each stored with its own projection of derived strings (SUBSTRING, REGEX_EXTRACT).
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
SPLIT L INTO static IF url MATCHES '/static/.*',
    errors IF status >= 400,
    search IF INDEXOF(url, '/search', 0) == 0,
    bots IF LOWER(agent) MATCHES '.*(bot|curl|python).*';
A = FOREACH static GENERATE ip, SUBSTRING(url, 8, (int)SIZE(url)) AS file, bytes;
B = FOREACH errors GENERATE status, url, (bytes IS NULL ? 0L : bytes) AS bytes;
C = FOREACH search GENERATE ip, LOWER(SUBSTRING(url, INDEXOF(url, '=', 0) + 1, (int)SIZE(url)))
    AS term;
D = FOREACH bots GENERATE ip, REGEX_EXTRACT(agent, '([A-Za-z-]+)/', 1) AS bot, status;
STORE A INTO '$out/static' USING PigStorage('\t');
STORE B INTO '$out/errors' USING PigStorage('\t');
STORE C INTO '$out/search' USING PigStorage('\t');
STORE D INTO '$out/bots' USING PigStorage('\t');
