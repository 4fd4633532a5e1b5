-- Q42: text columns split apart: STRSPLITTOBAG + FLATTEN (route hops), TOKENIZE with a
-- delimiter argument + FLATTEN (tags; an empty field gives no row), REGEX_EXTRACT of a version
-- cast to int (no match: null), SIZE of STRSPLIT's tuple, UPPER, GROUP BY two keys.
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
P = FOREACH T GENERATE route, tags, app_version, total;
H = FOREACH P GENERATE FLATTEN(STRSPLITTOBAG(route, '>')) AS hop, total;
GH = GROUP H BY hop;
OH = FOREACH GH GENERATE group AS hop, COUNT(H) AS n, SUM(H.total) AS total;
STORE OH INTO '$out/q42a' USING PigStorage('\t');
TG = FOREACH P GENERATE FLATTEN(TOKENIZE(tags, '|')) AS tag,
    (int)REGEX_EXTRACT(app_version, '^(\\d+)\\.(\\d+)', 1) AS major,
    SIZE(STRSPLIT(route, '>')) AS hops;
U = FOREACH TG GENERATE UPPER(tag) AS tag, major, hops;
GT = GROUP U BY (tag, major);
OT = FOREACH GT GENERATE FLATTEN(group) AS (tag, major), COUNT(U) AS n, AVG(U.hops) AS hops;
STORE OT INTO '$out/q42b' USING PigStorage('\t');
