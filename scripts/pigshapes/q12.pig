-- Q12: words of the free-text notes per category: TOKENIZE + FLATTEN, SIZE, GROUP BY two.
S = LOAD '$data/sales.csv' USING PigStorage(',')
    AS (order_id:long, order_ts:chararray, year:int, month:int, region:chararray,
        country:chararray, city:chararray, store_id:int, product_id:int, category:chararray,
        subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray,
        quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double,
        total:double, payment:chararray, channel:chararray, status:chararray, rating:int,
        returns:int, weight_kg:double, promo_code:chararray, device:chararray,
        session_sec:int, is_member:int, sku:chararray, notes:chararray);
W = FOREACH S GENERATE category, FLATTEN(TOKENIZE(LOWER(notes))) AS word;
F = FILTER W BY SIZE(word) > 3;
G = GROUP F BY (category, word);
O = FOREACH G GENERATE FLATTEN(group) AS (category, word), COUNT(F) AS n;
STORE O INTO '$out/q12' USING PigStorage('\t');
