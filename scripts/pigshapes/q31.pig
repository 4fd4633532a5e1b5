-- Q31: float columns (:float, Java's 32-bit Float): int * float and float + float literal are
-- float (rounded to single precision), a float cast to double or summed/averaged is a double
-- (Double.toString of the widened value, e.g. 0.10000000149011612), MAX of floats is a float.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:float, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:float, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
A = FOREACH S GENERATE order_id, category, quantity * unit_price AS gross,
    weight_kg + 0.5f AS packed, (double)unit_price AS price_d, unit_price AS price;
G = GROUP A BY category;
O = FOREACH G GENERATE group AS category, SUM(A.gross) AS gross, MAX(A.packed) AS heaviest,
    AVG(A.price) AS avg_price, MIN(A.price_d) AS min_price, MAX(A.price) AS max_price;
R = FILTER A BY order_id % 1000 == 0;
P = FOREACH R GENERATE order_id, gross, packed, price_d, price;
STORE O INTO '$out/q31' USING PigStorage('\t');
STORE P INTO '$out/q31rows' USING PigStorage('\t');
