-- Q03: GROUP BY three keys with COUNT (skips nulls), COUNT_STAR, SUM, AVG, MIN, MAX over
-- columns with empty and bad fields.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
G = GROUP S BY (region, category, channel);
O = FOREACH G GENERATE FLATTEN(group) AS (region, category, channel),
    COUNT(S.rating) AS rated, COUNT_STAR(S) AS n, SUM(S.quantity) AS qty,
    AVG(S.unit_price) AS avg_price, MIN(S.total) AS min_total, MAX(S.total) AS max_total,
    SUM(S.total) AS revenue, AVG(S.rating) AS avg_rating;
STORE O INTO '$out/q03' USING PigStorage('\t');
