-- Q43: %default parameter, a DEFINE macro used three times, SPLIT with IN (...) and
-- OTHERWISE (null payments go there), four STOREs from one LOAD, GROUP ALL aggregates.
%default MINFARE '4.0'
DEFINE money_stats(rel, col) RETURNS stats {
    G = GROUP $rel ALL;
    $stats = FOREACH G GENERATE COUNT_STAR($rel) AS n, SUM($rel.$col) AS s,
        MIN($rel.$col) AS lo, MAX($rel.$col) AS hi;
};
T = LOAD '$data/trips.csv' USING PigStorage(',')
    AS (trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int,
        distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean,
        payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double,
        surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long,
        rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray,
        weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray,
        app_version:chararray, device:chararray, pu_lat:double, pu_lon:double,
        comment:chararray);
SPLIT T INTO cardp IF payment IN ('card', 'dispute'), cashp IF payment == 'cash',
    cheap IF fare < $MINFARE OR payment == 'no_charge', other OTHERWISE;
A = money_stats(cardp, tip);
B = money_stats(cashp, total);
C = money_stats(cheap, fare);
X = FOREACH other GENERATE trip_id, payment, fare, (payment IS NULL ? 'none' : UPPER(payment));
STORE A INTO '$out/q43a' USING PigStorage('\t');
STORE B INTO '$out/q43b' USING PigStorage('\t');
STORE C INTO '$out/q43c' USING PigStorage('\t');
STORE X INTO '$out/q43d' USING PigStorage('\t');
