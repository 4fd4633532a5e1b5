-- Q40: CUBE BY CUBE(two columns), ROLLUP(two columns) over columns with empty fields (a null
-- dimension value becomes 'unknown'; null stands for "all"), COUNT_STAR and SUM over the cube bag.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
P = FOREACH T GENERATE vendor, payment, city, weather, total;
C = CUBE P BY CUBE(vendor, payment), ROLLUP(city, weather);
O = FOREACH C GENERATE FLATTEN(group) AS (vendor, payment, city, weather),
    COUNT_STAR(cube) AS n, SUM(cube.total) AS total;
STORE O INTO '$out/q40' USING PigStorage('\t');
