-- Q19: user profiles with a PigStorage map column [k#v,...] joined to the web log (null user
-- ids never match), map values cast (a bad age is null), GROUP BY two map values.
PF = LOAD '$data/profiles.tsv' USING PigStorage('\t')
    AS (user_id:long, signup:chararray, attrs:map[]);
L = LOAD '$data/access.log' USING PigStorage('\t')
    AS (ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long,
        user_id:long, agent:chararray, referrer:chararray);
V = FOREACH L GENERATE user_id, bytes, status;
J = JOIN V BY user_id, PF BY user_id;
P = FOREACH J GENERATE (chararray)attrs#'plan' AS plan, (chararray)attrs#'lang' AS lang,
    (int)attrs#'age' AS age, bytes, (status >= 400 ? 1 : 0) AS err;
G = GROUP P BY (plan, lang);
O = FOREACH G GENERATE FLATTEN(group) AS (plan, lang), COUNT_STAR(P) AS visits,
    AVG(P.age) AS avg_age, MIN(P.age) AS min_age, MAX(P.age) AS max_age, SUM(P.bytes) AS bytes,
    SUM(P.err) AS errors;
STORE O INTO '$out/q19' USING PigStorage('\t');
