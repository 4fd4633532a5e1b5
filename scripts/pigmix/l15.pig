-- L15: several DISTINCT aggregates in one nested FOREACH.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, action, estimated_revenue, timespent;
C = GROUP B BY user;
D = FOREACH C {
    beth = DISTINCT B.action;
    rev = DISTINCT B.estimated_revenue;
    ts = DISTINCT B.timespent;
    GENERATE group, COUNT(beth), SUM(rev), (int)AVG(ts);
};
STORE D INTO '$out/L15out' USING PigStorage('\t');
