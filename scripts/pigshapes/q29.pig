-- Q29: string functions on the log: STARTSWITH/ENDSWITH in a FILTER, REGEX_EXTRACT_ALL +
-- FLATTEN, REPLACE, LAST_INDEX_OF, UCFIRST, SPRINTF, REGEX_EXTRACT, then GROUP BY four keys.
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
F = FILTER L BY NOT STARTSWITH(url, '/static/') AND NOT ENDSWITH(url, '/cart');
P = FOREACH F GENERATE
    FLATTEN(REGEX_EXTRACT_ALL(agent, '([A-Za-z-]+)/([0-9]+).*')) AS (client:chararray,
        major:chararray),
    REPLACE(url, '[?].*$', '') AS path, referrer;
Q = FOREACH P GENERATE SPRINTF('%s/%d', UCFIRST(LOWER(client)), (int)major) AS client,
    REGEX_EXTRACT(path, '^/([a-z]+)', 1) AS section,
    (LAST_INDEX_OF(path, '/') == 0 ? 'top' : 'deep') AS depth,
    (referrer == '-' ? 'direct' : REGEX_EXTRACT(referrer, 'https?://([^/]+)/', 1)) AS source;
G = GROUP Q BY (client, section, depth, source);
O = FOREACH G GENERATE FLATTEN(group) AS (client, section, depth, source), COUNT(Q) AS n;
STORE O INTO '$out/q29' USING PigStorage('\t');
