-- Q05: top-k: GROUP BY two columns, ORDER BY the count DESC (then the keys), LIMIT 10.
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
G = GROUP L BY (ip, status);
C = FOREACH G GENERATE FLATTEN(group) AS (ip, status), COUNT(L) AS hits;
O = ORDER C BY hits DESC, ip, status;
T = LIMIT O 10;
STORE T INTO '$out/q05' USING PigStorage('\t');
