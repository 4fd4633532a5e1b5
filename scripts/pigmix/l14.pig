-- L14: merge join of two inputs already sorted on the join key.
A = LOAD '$data/page_views_sorted' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, estimated_revenue;
alpha = LOAD '$data/users_sorted' USING PigStorage('\t')
    AS (name:chararray, phone:chararray, address:chararray, city:chararray,
        state:chararray, zip:int);
beta = FOREACH alpha GENERATE name;
C = JOIN B BY user, beta BY name USING 'merge';
STORE C INTO '$out/L14out' USING PigStorage('\t');
