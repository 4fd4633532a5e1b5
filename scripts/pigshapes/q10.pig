-- Q10: UNION of two projections, DISTINCT of three columns, GROUP BY two: active days per
-- customer and kind of activity.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
A = FOREACH S GENERATE customer_id AS user, 'order' AS kind, SUBSTRING(order_ts, 0, 10) AS day;
B = FOREACH L GENERATE user_id AS user, 'visit' AS kind, SUBSTRING(ts, 0, 10) AS day;
U = UNION A, B;
F = FILTER U BY user IS NOT NULL;
D = DISTINCT F;
G = GROUP D BY (user, kind);
O = FOREACH G GENERATE FLATTEN(group) AS (user, kind), COUNT(D) AS active_days;
STORE O INTO '$out/q10' USING PigStorage('\t');
