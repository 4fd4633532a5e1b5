-- L2: fragment-replicate join of page_views with the small power_users table.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, estimated_revenue;
alpha = LOAD '$data/power_users' USING PigStorage('\t')
    AS (name:chararray, phone:chararray, address:chararray, city:chararray,
        state:chararray, zip:int);
beta = FOREACH alpha GENERATE name;
C = JOIN B BY user, beta BY name USING 'replicated';
STORE C INTO '$out/L2out' USING PigStorage('\t');
