-- Q02: web log lines: MATCHES, STRSPLIT + FLATTEN, REGEX_EXTRACT, INDEXOF/SUBSTRING, then
-- GROUP BY two derived keys with COUNT, SUM, MIN, MAX.
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
P = FILTER L BY url MATCHES '/products/[0-9]+.*' AND status < 400 AND method != 'HEAD';
Q = FOREACH P GENERATE FLATTEN(STRSPLIT(ts, 'T', 2)) AS (day:chararray, time:chararray),
    (int)REGEX_EXTRACT(url, '/products/([0-9]+)', 1) AS product, bytes,
    (INDEXOF(url, '?', 0) < 0 ? 'none'
        : SUBSTRING(url, INDEXOF(url, '?', 0) + 1, INDEXOF(url, '=', 0))) AS param;
G = GROUP Q BY (product, param);
O = FOREACH G GENERATE FLATTEN(group) AS (product, param), COUNT(Q) AS hits,
    SUM(Q.bytes) AS bytes, MIN(Q.day) AS first_day, MAX(Q.time) AS last_time;
STORE O INTO '$out/q02' USING PigStorage('\t');
