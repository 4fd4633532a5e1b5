-- L9: ORDER BY one key, whole rows (maps and bags included) written back.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = ORDER A BY query_term;
STORE B INTO '$out/L9out' USING PigStorage('\t');
