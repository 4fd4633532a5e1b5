-- Q22: GROUP ALL with many aggregates: two nested DISTINCTs (distinct ips, distinct users
-- with the null user), a nested FILTER, SUM/AVG over a column with nulls, MIN/MAX of text.
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
G = GROUP L ALL;
O = FOREACH G {
    ips = DISTINCT L.ip;
    users = DISTINCT L.user_id;
    e = FILTER L BY status >= 500;
    GENERATE COUNT_STAR(L) AS n, COUNT(ips) AS ips, COUNT(users) AS users,
        COUNT_STAR(users) AS user_values, SUM(L.bytes) AS bytes, AVG(L.bytes) AS avg_bytes,
        MIN(L.ts) AS first, MAX(L.ts) AS last, COUNT(e) AS errors, MAX(L.status) AS max_status;
};
STORE O INTO '$out/q22' USING PigStorage('\t');
