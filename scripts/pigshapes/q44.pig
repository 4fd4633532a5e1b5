-- Q44: ORDER BY three keys (an int DESC with nulls, a datetime ASC with nulls, a long DESC)
-- + LIMIT, datetimes stored back as text in their own offset; ORDER BY chararray ASC, double
-- DESC + LIMIT, two STOREs.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
P = FOREACH T GENERATE rating, pickup, trip_id, city, total;
O = ORDER P BY rating DESC, pickup ASC, trip_id DESC;
L = LIMIT O 500;
STORE L INTO '$out/q44a' USING PigStorage('\t');
P2 = FOREACH T GENERATE city, total, trip_id;
O2 = ORDER P2 BY city ASC, total DESC;
L2 = LIMIT O2 50;
STORE L2 INTO '$out/q44b' USING PigStorage('\t');
