-- Q08: enrichment: a replicated JOIN with a small store table, then a LEFT OUTER JOIN with
-- the promotions (most orders have no promo code: null keys kept), GROUP on two keys.
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
PR = LOAD '$data/promos.csv' USING PigStorage(',')
    AS (code:chararray, description:chararray, pct:double);
A = FOREACH S GENERATE order_id, store_id AS sid, promo_code, total, year;
J = JOIN A BY sid, ST BY store_id USING 'replicated';
B = FOREACH J GENERATE order_id, promo_code, total, ST::region AS region, open_year, year;
K = JOIN B BY promo_code LEFT OUTER, PR BY code;
C = FOREACH K GENERATE region, (code IS NULL ? 'none' : code) AS promo,
    total * (pct IS NULL ? 1.0 : 1.0 - pct) AS net, year - open_year AS age;
G = GROUP C BY (region, promo);
O = FOREACH G GENERATE FLATTEN(group) AS (region, promo), COUNT_STAR(C) AS n,
    SUM(C.net) AS net, AVG(C.age) AS avg_age;
STORE O INTO '$out/q08' USING PigStorage('\t');
