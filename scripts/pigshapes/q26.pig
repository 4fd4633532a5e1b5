-- Q26: ORDER BY DESC + LIMIT and ORDER BY ASC, DESC + LIMIT over every row, two STOREs.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
A = FOREACH S GENERATE total, order_id, customer_name, category;
O = ORDER A BY total DESC, order_id;
T = LIMIT O 25;
B = FOREACH S GENERATE session_sec, order_id, channel;
P = ORDER B BY session_sec, order_id DESC;
U = LIMIT P 10;
STORE T INTO '$out/top' USING PigStorage('\t');
STORE U INTO '$out/low' USING PigStorage('\t');
