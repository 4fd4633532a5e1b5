-- Q35: datetime columns loaded from ISO-8601 texts (Z, +01:00, the JDBC 'yyyy-MM-dd HH:mm:ss'
-- form, empty and garbage fields), ToString with a weekday pattern, GetMonth/GetHour in each
-- value's own offset, MinutesBetween/SecondsBetween, GROUP BY three derived keys.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
V = FILTER T BY pickup IS NOT NULL AND dropoff IS NOT NULL;
D = FOREACH V GENERATE GetMonth(pickup) AS month, ToString(pickup, 'EEE') AS dow,
    GetHour(pickup) AS hour, MinutesBetween(dropoff, pickup) AS mins,
    SecondsBetween(dropoff, pickup) AS secs, distance;
OK = FILTER D BY secs >= 0;
G = GROUP OK BY (month, dow, hour);
O = FOREACH G GENERATE FLATTEN(group) AS (month, dow, hour), COUNT(OK) AS trips,
    AVG(OK.mins) AS avg_mins, MAX(OK.secs) AS longest, SUM(OK.distance) AS km;
STORE O INTO '$out/q35' USING PigStorage('\t');
