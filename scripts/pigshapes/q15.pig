-- Q15: top-N per group: per client ip, the three largest successful responses (nested FILTER,
-- ORDER BY DESC on three keys, LIMIT), kept as a bag of (url, bytes), beside two counts.
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
G = GROUP L BY ip;
O = FOREACH G {
    ok = FILTER L BY status == 200;
    s = ORDER ok BY bytes DESC, ts, url;
    t = LIMIT s 3;
    GENERATE group AS ip, COUNT(L) AS hits, COUNT(ok) AS ok_hits, t.(url, bytes) AS top;
};
STORE O INTO '$out/q15' USING PigStorage('\t');
