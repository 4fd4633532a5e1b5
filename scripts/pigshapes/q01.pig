-- Q01: FILTER with AND/OR/IS NULL over a wide CSV, then string functions, arithmetic with
-- nulls, a bincond and a CASE per row (map-only, many output columns).
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
F = FILTER S BY (status == 'shipped' AND total > 2000.0)
    OR (channel == 'phone' AND rating IS NULL)
    OR (discount IS NOT NULL AND discount >= 0.45);
P = FOREACH F GENERATE order_id, UPPER(region) AS region, LOWER(category) AS category,
    SUBSTRING(order_ts, 0, 10) AS day, CONCAT(country, '-', city) AS place,
    TRIM(customer_name) AS name, SIZE(notes) AS notes_len,
    quantity * unit_price * (1.0 - (discount IS NULL ? 0.0 : discount)) AS net,
    (shipping > 0.0 ? 'paid' : 'free') AS ship,
    (CASE WHEN total >= 1000.0 THEN 'large' WHEN total >= 100.0 THEN 'medium'
          ELSE 'small' END) AS size,
    INDEXOF(email, '@', 0) AS at, (sku MATCHES '[A-Z]{2}-[0-9]{4}-[XYZ]' ? 'ok' : 'bad') AS sku_ok;
STORE P INTO '$out/q01' USING PigStorage('\t');
