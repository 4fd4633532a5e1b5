-- Q07: JOIN on two keys (store, month) with a target table, then GROUP on the two keys.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
T = LOAD '$data/targets.csv' USING PigStorage(',') AS (store_id:int, month:int, target:double);
A = FOREACH S GENERATE store_id, month, total;
J = JOIN A BY (store_id, month), T BY (store_id, month);
P = FOREACH J GENERATE A::store_id AS store_id, A::month AS month, total, target;
G = GROUP P BY (store_id, month);
O = FOREACH G GENERATE FLATTEN(group) AS (store_id, month), COUNT(P) AS orders,
    SUM(P.total) AS actual, MAX(P.target) AS target, SUM(P.total) / MAX(P.target) AS ratio;
STORE O INTO '$out/q07' USING PigStorage('\t');
