-- Q25: DISTINCT of wide rows (seven columns of the log, one of them often null).
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
P = FOREACH L GENERATE ip, method, url, status, user_id, agent, referrer;
D = DISTINCT P;
STORE D INTO '$out/q25' USING PigStorage('\t');
