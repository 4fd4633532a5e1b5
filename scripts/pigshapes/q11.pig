-- Q11: SPLIT into three relations (one OTHERWISE), each stored with its own projection.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
SPLIT S INTO big IF total >= 2000.0, returned IF status == 'returned' AND returns > 0,
    rest OTHERWISE;
B = FOREACH big GENERATE order_id, customer_id, total;
R = FOREACH returned GENERATE order_id, returns, status, total;
X = FOREACH rest GENERATE order_id, channel;
STORE B INTO '$out/big' USING PigStorage('\t');
STORE R INTO '$out/returned' USING PigStorage('\t');
STORE X INTO '$out/rest' USING PigStorage('\t');
