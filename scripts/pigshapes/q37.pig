-- Q37: RANK BY two keys (DESC with nulls, then ASC) and the first 100 ranks; a DENSE RANK BY
-- two chararrays (ASC, DESC) with its distinct ranks; a plain RANK (the input's order) sampled.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
P = FOREACH T GENERATE trip_id, city, vendor, total;
R = RANK P BY total DESC, trip_id ASC;
TOPR = FILTER R BY rank_P <= 100;
STORE TOPR INTO '$out/q37a' USING PigStorage('\t');
D = RANK P BY city ASC, vendor DESC DENSE;
DD = FOREACH D GENERATE rank_P, city, vendor;
U = DISTINCT DD;
STORE U INTO '$out/q37b' USING PigStorage('\t');
N = RANK P;
E = FILTER N BY rank_P % 20000L == 1L;
STORE E INTO '$out/q37c' USING PigStorage('\t');
