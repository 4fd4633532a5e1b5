-- L11: DISTINCT of two inputs, UNION, DISTINCT again.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user;
C = DISTINCT B;
alpha = LOAD '$data/widerow' USING PigStorage('\t');
beta = FOREACH alpha GENERATE (chararray)$0 AS name;
gamma = DISTINCT beta;
D = UNION C, gamma;
E = DISTINCT D;
STORE E INTO '$out/L11out' USING PigStorage('\t');
