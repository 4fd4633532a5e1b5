-- Q13: each region's share of the grand total: GROUP ALL and GROUP BY, then a CROSS of the
-- two tiny relations.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
A = FOREACH S GENERATE region, total;
GA = GROUP A ALL;
T = FOREACH GA GENERATE SUM(A.total) AS all_total, COUNT_STAR(A) AS n, AVG(A.total) AS avg_total,
    MIN(A.total) AS lo, MAX(A.total) AS hi;
GR = GROUP A BY region;
R = FOREACH GR GENERATE group AS region, SUM(A.total) AS region_total;
X = CROSS R, T;
O = FOREACH X GENERATE region, region_total, region_total / all_total AS share, n,
    avg_total, lo, hi;
STORE O INTO '$out/q13' USING PigStorage('\t');
