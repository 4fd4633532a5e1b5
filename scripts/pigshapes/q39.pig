-- Q39: JSON drivers through JsonLoader with a nested tuple (car) and a bag (langs), a skewed
-- JOIN with the trips (one hot driver; trips of unknown drivers and null ids dropped), tuple
-- field projection, nested bincond with IS NULL, SIZE of a bag, FLATTEN of a bag, two STOREs.
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
P = FOREACH T GENERATE driver_id, total, tip, rating;
J = JOIN P BY driver_id, D BY driver_id USING 'skewed';
F = FOREACH J GENERATE D::car.make AS make,
    (D::car.year IS NULL ? 'unknown' : (D::car.year >= 2020 ? 'new' : 'old')) AS age,
    SIZE(D::langs) AS nlangs, P::total AS total, P::tip AS tip, P::rating AS rating,
    D::score AS score;
G = GROUP F BY (make, age, nlangs);
O = FOREACH G GENERATE FLATTEN(group) AS (make, age, nlangs), COUNT_STAR(F) AS trips,
    SUM(F.total) AS total, AVG(F.tip) AS tip, AVG(F.rating) AS rating, MAX(F.score) AS score;
STORE O INTO '$out/q39a' USING PigStorage('\t');
L = FOREACH J GENERATE FLATTEN(D::langs) AS lang, P::total AS total;
GL = GROUP L BY lang;
OL = FOREACH GL GENERATE group AS lang, COUNT(L) AS trips, SUM(L.total) AS total;
STORE OL INTO '$out/q39b' USING PigStorage('\t');
