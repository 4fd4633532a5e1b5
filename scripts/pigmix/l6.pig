-- L6: GROUP BY a key of several fields, SUM.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, action, timespent, query_term, ip_addr, timestamp;
C = GROUP B BY (user, query_term, ip_addr, timestamp);
D = FOREACH C GENERATE FLATTEN(group), SUM(B.timespent);
STORE D INTO '$out/L6out' USING PigStorage('\t');
