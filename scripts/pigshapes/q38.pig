-- Q38: a replicated LEFT OUTER JOIN with the zone table (trips without a pick-up zone keep
-- nulls), a second replicated JOIN with the same table renamed for the drop-off zone, fields
-- referred to by their short and their prefixed names, GROUP BY the two boroughs.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
Z = LOAD '$data/zones.csv' USING PigStorage(',')
    AS (zone_id:int, borough:chararray, zone:chararray, service_zone:chararray);
P = FOREACH T GENERATE pu_zone, do_zone, passengers, distance, total;
J1 = JOIN P BY pu_zone LEFT OUTER, Z BY zone_id USING 'replicated';
Z2 = FOREACH Z GENERATE zone_id AS dz, borough AS dborough, service_zone AS dservice;
J2 = JOIN J1 BY do_zone, Z2 BY dz USING 'replicated';
G = GROUP J2 BY (Z::borough, dborough);
O = FOREACH G GENERATE FLATTEN(group) AS (pu_borough, do_borough), COUNT_STAR(J2) AS trips,
    SUM(J2.passengers) AS riders, AVG(J2.P::distance) AS km, SUM(J2.total) AS total,
    COUNT(J2.dservice) AS serviced;
STORE O INTO '$out/q38' USING PigStorage('\t');
