-- Q06: the three largest orders per category: nested ORDER BY two keys + LIMIT, FLATTEN of
-- a projection of the bag.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
G = GROUP S BY category;
O = FOREACH G {
    s = ORDER S BY total DESC, order_id;
    t = LIMIT s 3;
    GENERATE group AS category, FLATTEN(t.(order_id, total, city));
};
STORE O INTO '$out/q06' USING PigStorage('\t');
