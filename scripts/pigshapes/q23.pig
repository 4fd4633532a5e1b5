-- Q23: FULL OUTER JOIN on two columns (store, month) of a GROUP's result with the targets:
-- unmatched rows of both sides kept, keys coalesced with bincond, a verdict from nested
-- bincond with IS NULL.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
T = LOAD '$data/targets.csv' USING PigStorage(',') AS (store_id:int, month:int, target:double);
Y = FILTER S BY year == 2024;
A = FOREACH Y GENERATE store_id, month, total;
M = GROUP A BY (store_id, month);
R = FOREACH M GENERATE FLATTEN(group) AS (store_id, month), SUM(A.total) AS actual;
J = JOIN R BY (store_id, month) FULL OUTER, T BY (store_id, month);
O = FOREACH J GENERATE (R::store_id IS NULL ? T::store_id : R::store_id) AS store_id,
    (R::month IS NULL ? T::month : R::month) AS month, actual, target,
    (actual IS NULL OR target IS NULL ? 'unmatched' : (actual >= target ? 'met' : 'missed'))
    AS verdict;
STORE O INTO '$out/q23' USING PigStorage('\t');
