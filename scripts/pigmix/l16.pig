-- L16: nested ORDER BY, then an aggregate over the ordered bag.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, estimated_revenue;
C = GROUP B BY user;
D = FOREACH C {
    E = ORDER B BY estimated_revenue;
    F = E.estimated_revenue;
    GENERATE group, SUM(F);
};
STORE D INTO '$out/L16out' USING PigStorage('\t');
