-- L17: GROUP BY a wide key (21 fields of a 27-column row), SUM and AVG.
A = LOAD '$data/widegroupbydata' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray, ip_addr:long,
        timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])}, user_1:chararray, action_1:int, timespent_1:int,
        query_term_1:chararray, ip_addr_1:long, timestamp_1:long,
        estimated_revenue_1:double, page_info_1:map[], page_links_1:bag{t:(p:map[])},
        user_2:chararray, action_2:int, timespent_2:int, query_term_2:chararray,
        ip_addr_2:long, timestamp_2:long, estimated_revenue_2:double, page_info_2:map[],
        page_links_2:bag{t:(p:map[])});
B = GROUP A BY (user, action, timespent, query_term, ip_addr, timestamp, estimated_revenue,
    user_1, action_1, timespent_1, query_term_1, ip_addr_1, timestamp_1, estimated_revenue_1,
    user_2, action_2, timespent_2, query_term_2, ip_addr_2, timestamp_2, estimated_revenue_2);
C = FOREACH B GENERATE SUM(A.timespent), SUM(A.timespent_1), SUM(A.timespent_2),
    AVG(A.estimated_revenue), AVG(A.estimated_revenue_1), AVG(A.estimated_revenue_2);
STORE C INTO '$out/L17out' USING PigStorage('\t');
