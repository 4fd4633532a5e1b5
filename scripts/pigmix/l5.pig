-- L5: anti-join through COGROUP: page-view users missing from the users table.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user;
alpha = LOAD '$data/users' USING PigStorage('\t')
    AS (name:chararray, phone:chararray, address:chararray, city:chararray,
        state:chararray, zip:int);
beta = FOREACH alpha GENERATE name;
C = COGROUP beta BY name, B BY user;
D = FILTER C BY COUNT(beta) == 0;
E = FOREACH D GENERATE group;
STORE E INTO '$out/L5out' USING PigStorage('\t');
