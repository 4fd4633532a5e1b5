-- Q47: a three-way JOIN on one key (JOIN A BY k, B BY k, C BY k) of two GROUP results and the
-- JSON drivers, and a FULL OUTER JOIN of the drivers with the per-driver counts (drivers
-- without trips, trips of unknown drivers and the null driver kept).
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
D = LOAD '$data/drivers.json'
    USING JsonLoader('driver_id:long, name:chararray, since:chararray, car:(make:chararray, model:chararray, year:int), langs:{(l:chararray)}, score:double');
G1 = GROUP T BY driver_id;
S1 = FOREACH G1 GENERATE group AS driver, COUNT(T) AS trips, SUM(T.total) AS total;
C = FILTER T BY cancelled;
G2 = GROUP C BY driver_id;
S2 = FOREACH G2 GENERATE group AS driver, COUNT(C) AS cancels;
J = JOIN S1 BY driver, D BY driver_id, S2 BY driver;
O = FOREACH J GENERATE S1::driver AS driver, trips, cancels, D::car.make AS make,
    D::score AS score, SUBSTRING(D::since, 0, 4) AS since;
STORE O INTO '$out/q47a' USING PigStorage('\t');
F = JOIN S1 BY driver FULL OUTER, D BY driver_id;
OF = FOREACH F GENERATE (S1::driver IS NULL ? D::driver_id : S1::driver) AS driver,
    (trips IS NULL ? 0L : trips) AS trips, (D::name IS NULL ? 'unknown' : D::name) AS name;
STORE OF INTO '$out/q47b' USING PigStorage('\t');
