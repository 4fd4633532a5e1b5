-- Q21: COGROUP of three inputs (orders, stores, monthly targets) by store, with aggregates
-- over each bag (COUNT, SUM, AVG, MAX of a chararray, MIN of an empty bag), a nested FILTER
-- and IsEmpty.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
ST = LOAD '$data/stores.csv' USING PigStorage(',')
    AS (store_id:int, store_name:chararray, region:chararray, manager:chararray,
        open_year:int, sqft:int);
T = LOAD '$data/targets.csv' USING PigStorage(',') AS (store_id:int, month:int, target:double);
A = FOREACH S GENERATE store_id, total, quantity, order_ts, status;
C = COGROUP A BY store_id, ST BY store_id, T BY store_id;
O = FOREACH C {
    r = FILTER A BY status == 'returned';
    GENERATE group AS store_id, COUNT(A) AS orders, SUM(A.total) AS revenue,
        AVG(A.quantity) AS avg_qty, MAX(A.order_ts) AS last_order, COUNT(r) AS returned,
        SUM(T.target) AS target, COUNT(T) AS months, MIN(ST.open_year) AS opened,
        (IsEmpty(ST) ? 'unknown' : 'known') AS known;
};
STORE O INTO '$out/q21' USING PigStorage('\t');
