-- Q45: math functions per row (FLOOR, CEIL, ABS of a float, SQRT, LOG10, ROUND to a long,
-- ROUND_TO 3 digits, a division guarded by a bincond) and GROUP BY the FLOOR of a double.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
P = FOREACH T GENERATE FLOOR(distance) AS km, CEIL(distance) AS ukm, ABS(temp_c) AS atemp,
    SQRT(distance) AS rd, LOG10(total + 1.0) AS lt, ROUND(fare) AS rf,
    ROUND_TO((fare IS NULL OR fare == 0.0 ? 0.0 : tip / fare), 3) AS tipr;
G = GROUP P BY km;
O = FOREACH G GENERATE group AS km, COUNT(P) AS n, MAX(P.ukm) AS ukm, AVG(P.atemp) AS atemp,
    SUM(P.rd) AS rd, AVG(P.lt) AS lt, SUM(P.rf) AS rf, MAX(P.tipr) AS hi, MIN(P.tipr) AS lo;
STORE O INTO '$out/q45' USING PigStorage('\t');
