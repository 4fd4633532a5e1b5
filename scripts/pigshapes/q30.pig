-- Q30: COGROUP on two columns, one of which is often null (orders and visits per customer
-- and month). Pig never merges keys across inputs when a field of the key is null (PIG-927:
-- the key comparator then compares the input index), so (null, 3) from the orders and
-- (null, 3) from the visits are two groups, each with one empty bag.
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
A = FOREACH S GENERATE customer_id, month, total;
B = FOREACH L GENERATE user_id, (int)SUBSTRING(ts, 5, 7) AS month, bytes;
C = COGROUP A BY (customer_id, month), B BY (user_id, month);
O = FOREACH C GENERATE FLATTEN(group) AS (customer, month), COUNT_STAR(A) AS orders,
    SUM(A.total) AS spent, COUNT_STAR(B) AS visits, SUM(B.bytes) AS bytes;
STORE O INTO '$out/q30' USING PigStorage('\t');
