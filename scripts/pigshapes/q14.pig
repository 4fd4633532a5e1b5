-- Q14: ORDER BY three keys (ASC, DESC with nulls, ASC) of a projection of every row.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
A = FOREACH S GENERATE country, total, order_id, category, order_ts;
O = ORDER A BY country, total DESC, order_id;
STORE O INTO '$out/q14' USING PigStorage('\t');
