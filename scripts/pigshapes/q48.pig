-- Q48: the Pig tutorial's shape (its n-gram script, with builtins for its UDFs): DISTINCT of
-- (zone, hour, driver), GROUP + COUNT, the result FILTERed two ways (night and afternoon
-- hours) and JOINed with itself on the zone, a ratio of two counts, ORDER BY the ratio DESC
-- and three keys, LIMIT.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
V = FOREACH T GENERATE pu_zone, GetHour(pickup) AS h, driver_id;
D = DISTINCT V;
G = GROUP D BY (pu_zone, h);
C = FOREACH G GENERATE FLATTEN(group) AS (zone, h), COUNT(D) AS drivers;
N = FILTER C BY h < 6;
Y = FILTER C BY h >= 12 AND h < 18;
J = JOIN N BY zone, Y BY zone;
R = FOREACH J GENERATE N::zone AS zone, N::h AS nh, Y::h AS dh,
    (double)N::drivers / Y::drivers AS ratio;
O = ORDER R BY ratio DESC, zone, nh, dh;
L = LIMIT O 100;
STORE L INTO '$out/q48' USING PigStorage('\t');
