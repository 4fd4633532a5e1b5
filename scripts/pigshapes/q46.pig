-- Q46: GROUP of the whole 36-column relation, then a nested block of several statements:
-- FILTER, ORDER on three keys, LIMIT, DISTINCT of a projection, a nested FOREACH and a FILTER
-- of it; BagToString of the top trips in their order.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
G = GROUP T BY city;
O = FOREACH G {
    rated = FILTER T BY rating IS NOT NULL;
    best = ORDER rated BY rating DESC, total DESC, trip_id;
    top5 = LIMIT best 5;
    drivers = DISTINCT T.driver_id;
    fees = FOREACH rated GENERATE total * 0.1 AS fee, rating;
    good = FILTER fees BY rating >= 4;
    GENERATE group AS city, COUNT(drivers) AS drivers, SUM(good.fee) AS fee,
        AVG(top5.total) AS top_avg, BagToString(top5.trip_id, '_') AS top_ids;
};
STORE O INTO '$out/q46' USING PigStorage('\t');
