-- Q09: COGROUP orders and web visits by customer (null keys of each input stay apart),
-- IsEmpty and COUNT (which skips tuples whose first field is null) per group.
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
A = FOREACH S GENERATE customer_id, total;
B = FOREACH L GENERATE user_id, bytes;
C = COGROUP A BY customer_id, B BY user_id;
O = FOREACH C GENERATE group AS customer, COUNT(A) AS orders, COUNT_STAR(A) AS order_rows,
    SUM(A.total) AS spent, COUNT_STAR(B) AS visits, SUM(B.bytes) AS bytes,
    (IsEmpty(A) ? 'visitor' : (IsEmpty(B) ? 'buyer' : 'both')) AS kind;
STORE O INTO '$out/q09' USING PigStorage('\t');
