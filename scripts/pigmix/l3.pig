-- L3: hash join of page_views with users, then GROUP/SUM.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, estimated_revenue;
alpha = LOAD '$data/users' USING PigStorage('\t')
    AS (name:chararray, phone:chararray, address:chararray, city:chararray,
        state:chararray, zip:int);
beta = FOREACH alpha GENERATE name;
C = JOIN beta BY name, B BY user;
D = GROUP C BY $0;
E = FOREACH D GENERATE group, SUM(C.estimated_revenue);
STORE E INTO '$out/L3out' USING PigStorage('\t');
