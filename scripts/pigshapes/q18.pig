-- Q18: JSON events through JsonLoader with a map[] field: map lookups (a missing key is null),
-- MATCHES on a map value, casts of map values, GROUP BY three keys (one often null).
E = LOAD '$data/events.json'
    USING JsonLoader('user:long, event:chararray, ts:chararray, props:map[], amount:double');
F = FILTER E BY event == 'purchase' OR (chararray)props#'page' MATCHES '.*/products/.*';
P = FOREACH F GENERATE (chararray)props#'country' AS country, event, SUBSTRING(ts, 0, 7) AS month,
    (int)props#'ms' AS ms, amount;
G = GROUP P BY (country, month, event);
O = FOREACH G GENERATE FLATTEN(group) AS (country, month, event), COUNT_STAR(P) AS n,
    SUM(P.amount) AS amount, AVG(P.ms) AS avg_ms, MAX(P.ms) AS max_ms;
STORE O INTO '$out/q18' USING PigStorage('\t');
