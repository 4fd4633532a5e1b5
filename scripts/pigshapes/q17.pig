-- Q17: a LOAD without a schema: positional fields ($n, bytearray) cast explicitly, compared
-- with a chararray (implicit cast), multiplied (both cast to double) and summed/maxed
-- (SUM/MAX of bytearray read it as double); GROUP BY a bytearray key.
S = LOAD '$data/sales.csv' USING PigStorage(',');
A = FILTER S BY $22 == 'shipped' AND (int)$2 >= 2023;
B = FOREACH A GENERATE (chararray)$9 AS category, $21 AS channel, (int)$14 AS qty,
    (double)$19 AS total, $15 AS price;
G = GROUP B BY (category, channel);
O = FOREACH G GENERATE FLATTEN(group) AS (category, channel), COUNT(B) AS n, SUM(B.qty) AS qty,
    SUM(B.total) AS revenue, MAX(B.price) AS max_price;
C = FOREACH S GENERATE $4 AS region, $14 * $15 AS gross;
H = GROUP C BY region;
R = FOREACH H GENERATE group AS region, SUM(C.gross) AS gross, COUNT(C.gross) AS priced;
STORE O INTO '$out/q17' USING PigStorage('\t');
STORE R INTO '$out/q17b' USING PigStorage('\t');
