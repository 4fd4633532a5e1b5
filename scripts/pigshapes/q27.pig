-- Q27: UNION ONSCHEMA of differently-shaped relations (missing columns become null), GROUP BY
-- a key with nulls (one null group), COUNT of a column skips nulls.
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
A = FOREACH S GENERATE customer_id AS user, total AS amount, 'order' AS src;
B = FOREACH L GENERATE user_id AS user, bytes, url, 'visit' AS src;
U = UNION ONSCHEMA A, B;
G = GROUP U BY user;
O = FOREACH G GENERATE group AS user, COUNT(U.amount) AS orders, SUM(U.amount) AS spent,
    COUNT(U.url) AS visits, SUM(U.bytes) AS bytes, COUNT_STAR(U) AS n;
STORE O INTO '$out/q27' USING PigStorage('\t');
