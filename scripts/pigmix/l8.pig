-- L8: GROUP ALL with SUM and AVG.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, timespent, estimated_revenue;
C = GROUP B ALL;
D = FOREACH C GENERATE SUM(B.timespent), AVG(B.estimated_revenue);
STORE D INTO '$out/L8out' USING PigStorage('\t');
