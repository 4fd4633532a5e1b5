-- L12: SPLIT into several branches, three STOREs from one script.
A = LOAD '$data/page_views' USING PigStorage('\t')
    AS (user:chararray, action:int, timespent:int, query_term:chararray,
        ip_addr:long, timestamp:long, estimated_revenue:double, page_info:map[],
        page_links:bag{t:(p:map[])});
B = FOREACH A GENERATE user, action, timespent, query_term, estimated_revenue;
SPLIT B INTO C IF user IS NOT NULL, alpha IF user IS NULL;
SPLIT C INTO D IF query_term IS NOT NULL, aleph IF query_term IS NULL;
E = GROUP D BY user;
F = FOREACH E GENERATE group, MAX(D.estimated_revenue);
STORE F INTO '$out/highest_value_page_per_user' USING PigStorage('\t');
beta = GROUP alpha BY query_term;
gamma = FOREACH beta GENERATE group, SUM(alpha.timespent);
STORE gamma INTO '$out/total_timespent_per_term' USING PigStorage('\t');
beth = GROUP aleph BY action;
gimel = FOREACH beth GENERATE group, COUNT(aleph);
STORE gimel INTO '$out/queries_per_action' USING PigStorage('\t');
