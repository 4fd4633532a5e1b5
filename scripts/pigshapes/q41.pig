-- Q41: boolean columns (true/True/TRUE/false..., empty and 'Y' are null): NOT of a boolean in
-- a FILTER (null drops the row), a boolean field alone as a FILTER condition, bincond on a
-- boolean, == true, GROUP BY booleans with nulls, (chararray) of a boolean.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
P = FOREACH T GENERATE is_shared, cancelled, store_fwd, passengers, total, city;
F = FILTER P BY NOT cancelled;
G = GROUP F BY (is_shared, store_fwd, city);
O = FOREACH G GENERATE FLATTEN(group) AS (shared, fwd, city), COUNT_STAR(F) AS n,
    SUM(F.passengers) AS riders, AVG(F.total) AS total;
STORE O INTO '$out/q41a' USING PigStorage('\t');
X = FILTER P BY store_fwd;
Y = FOREACH X GENERATE (is_shared ? 'pool' : 'solo') AS kind, (chararray)cancelled AS c,
    (cancelled == true ? 1 : 0) AS cn, total;
GY = GROUP Y BY (kind, c);
OY = FOREACH GY GENERATE FLATTEN(group) AS (kind, c), COUNT(Y) AS n, SUM(Y.cn) AS cancels,
    SUM(Y.total) AS total;
STORE OY INTO '$out/q41b' USING PigStorage('\t');
