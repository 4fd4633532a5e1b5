-- Q04: nested DISTINCT (count of distinct customers) and nested FILTERs per store.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
G = GROUP S BY store_id;
O = FOREACH G {
    c = DISTINCT S.customer_id;
    r = FILTER S BY status == 'returned';
    m = FILTER S BY is_member == 1 AND total IS NOT NULL;
    GENERATE group AS store_id, COUNT_STAR(S) AS orders, COUNT(c) AS customers,
        COUNT_STAR(r) AS returned, SUM(r.total) AS returned_value, AVG(m.total) AS member_avg;
};
STORE O INTO '$out/q04' USING PigStorage('\t');
