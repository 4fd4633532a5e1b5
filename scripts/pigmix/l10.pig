-- L10: ORDER BY several keys, one of them descending.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = ORDER A BY query_term, estimated_revenue DESC, timespent;
STORE B INTO '$out/L10out' USING PigStorage('\t');
