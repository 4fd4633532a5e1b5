-- Q20: a range lookup by CROSS with a five-row table then FILTER (lo <= bytes < hi), GROUP BY
-- the bucket and the method.
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
B = LOAD '$data/buckets.csv' USING PigStorage(',') AS (name:chararray, lo:long, hi:long);
V = FOREACH L GENERATE method, bytes;
X = CROSS V, B;
F = FILTER X BY bytes >= lo AND bytes < hi;
G = GROUP F BY (name, method);
O = FOREACH G GENERATE FLATTEN(group) AS (bucket, method), COUNT(F) AS n, SUM(F.bytes) AS bytes,
    AVG(F.bytes) AS avg_bytes;
STORE O INTO '$out/q20' USING PigStorage('\t');
