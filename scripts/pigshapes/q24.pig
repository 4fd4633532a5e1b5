-- Q24: RIGHT OUTER JOIN (every promotion, orders with a null code never match) then GROUP,
-- and a replicated LEFT OUTER JOIN with the store table (unknown stores get nulls).
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
ST = LOAD '$data/stores.csv' USING PigStorage(',')
    AS (store_id:int, store_name:chararray, region:chararray, manager:chararray,
        open_year:int, sqft:int);
PR = LOAD '$data/promos.csv' USING PigStorage(',')
    AS (code:chararray, description:chararray, pct:double);
A = FILTER S BY status == 'cancelled' AND channel == 'phone' AND year == 2024;
B = FOREACH A GENERATE order_id, promo_code, total, store_id;
J = JOIN B BY promo_code RIGHT OUTER, PR BY code;
K = FOREACH J GENERATE code, order_id, total, pct;
G = GROUP K BY code;
O = FOREACH G GENERATE group AS code, COUNT(K.order_id) AS orders, SUM(K.total) AS total,
    MAX(K.pct) AS pct;
R = JOIN B BY store_id LEFT OUTER, ST BY store_id USING 'replicated';
P = FOREACH R GENERATE order_id, B::store_id AS store_id, store_name, region;
STORE O INTO '$out/q24' USING PigStorage('\t');
STORE P INTO '$out/q24b' USING PigStorage('\t');
