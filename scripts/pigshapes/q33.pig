-- Q33: a wide table (32 columns) loaded with names but no types (every field a bytearray),
-- many explicit casts to int and double in arithmetic, a comparison and a bincond, then GROUP
-- BY host with COUNT, SUM, AVG, MIN, MAX (a field that is not a number: null, warned).
M = LOAD '$data/metrics.tsv' AS (host, day, m00, m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29);
P = FOREACH M GENERATE (chararray)host AS host, (int)m00 + (int)m03 + (int)m06 AS reqs,
    (double)m01 + (double)m02 AS cpu, (double)m04 * (double)m05 / 100.0 AS load,
    (double)m07 - (double)m08 AS delta, ((double)m10 > 50.0 ? 1 : 0) AS hot,
    (int)m09 AS conns, (double)m28 AS lat;
G = GROUP P BY host;
O = FOREACH G GENERATE group AS host, COUNT(P) AS n, SUM(P.reqs) AS reqs, AVG(P.cpu) AS cpu,
    MAX(P.load) AS peak, MIN(P.delta) AS low, SUM(P.hot) AS hot, MAX(P.conns) AS conns,
    AVG(P.lat) AS lat;
STORE O INTO '$out/q33' USING PigStorage('\t');
