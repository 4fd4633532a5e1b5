-- L13: left outer join with a sample of the power users.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, estimated_revenue;
alpha = LOAD '$data/power_users_samples' USING PigStorage('\t')
    AS (name:chararray, phone:chararray, address:chararray, city:chararray,
        state:chararray, zip:int);
beta = FOREACH alpha GENERATE name, phone;
C = JOIN B BY user LEFT OUTER, beta BY name;
STORE C INTO '$out/L13out' USING PigStorage('\t');
