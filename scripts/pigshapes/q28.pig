-- Q28: CASE (simple and searched forms), nested bincond, date functions (ToDate of an ISO
-- text, GetHour, DaysBetween), GROUP BY four derived keys (one an arithmetic expression).
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
P = FOREACH L GENERATE
    (CASE method WHEN 'GET' THEN 'read' WHEN 'HEAD' THEN 'read' ELSE 'write' END) AS kind,
    (CASE WHEN bytes IS NULL THEN 'none' WHEN bytes < 1000 THEN 'small'
          WHEN bytes < 50000 THEN 'medium' ELSE 'large' END) AS size,
    (status >= 500 ? 'server' : (status >= 400 ? 'client' : 'ok')) AS outcome,
    GetHour(ToDate(ts)) AS hour, DaysBetween(ToDate(ts), ToDate('2024-01-01')) AS day;
G = GROUP P BY (kind, size, outcome, hour / 6);
O = FOREACH G GENERATE FLATTEN(group) AS (kind, size, outcome, shift), COUNT(P) AS n,
    MIN(P.day) AS first_day, MAX(P.day) AS last_day, AVG(P.hour) AS avg_hour;
STORE O INTO '$out/q28' USING PigStorage('\t');
