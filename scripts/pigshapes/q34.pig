-- Q34: the latest purchases: JsonLoader, FILTER, ORDER BY a chararray timestamp DESC and a
-- long with nulls, LIMIT 20 (a top-N whose first key is text).
E = LOAD '$data/events.json'
    USING JsonLoader('user:long, event:chararray, ts:chararray, props:map[], amount:double');
P = FILTER E BY event == 'purchase';
A = FOREACH P GENERATE ts, user, amount, (chararray)props#'country' AS country;
O = ORDER A BY ts DESC, user;
T = LIMIT O 20;
STORE T INTO '$out/q34' USING PigStorage('\t');
