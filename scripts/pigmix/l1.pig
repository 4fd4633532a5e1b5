-- L1: explode a bag of maps, read a map, bincond, GROUP/COUNT.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, action, page_info, FLATTEN(page_links) AS page_links;
C = FOREACH B GENERATE user, (action == 1 ? page_info#'a' : page_links#'b') AS header;
D = GROUP C BY user;
E = FOREACH D GENERATE group, COUNT(C) AS cnt;
STORE E INTO '$out/L1out' USING PigStorage('\t');
