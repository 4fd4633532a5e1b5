-- Q36: per driver (a skewed key: one driver has ~7% of the rows), over the trips with a total:
-- the three largest totals by TOP() flattened, the trip count and the count of distinct
-- (pick-up, drop-off) zone pairs from a nested DISTINCT of a two-column projection (COUNT
-- skips a null first field).
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
A = FOREACH T GENERATE driver_id, pu_zone, do_zone, total;
P = FILTER A BY total IS NOT NULL;
G = GROUP P BY driver_id;
O = FOREACH G {
    pairs = DISTINCT P.(pu_zone, do_zone);
    GENERATE group AS driver, COUNT_STAR(P) AS trips, COUNT(pairs) AS routes,
        FLATTEN(TOP(3, 0, P.total)) AS top_total;
};
STORE O INTO '$out/q36' USING PigStorage('\t');
