-- Q32: a raw web server log (Apache combined format) through TextLoader, taken apart with
-- REGEX_EXTRACT_ALL + FLATTEN (a line the pattern does not match gives nulls), casts of the
-- extracted texts ('-' as a size: null with a warning), a bincond, GROUP BY 3 derived keys.
R = LOAD '$data/server.log' USING TextLoader() AS (line:chararray);
P = FOREACH R GENERATE FLATTEN(REGEX_EXTRACT_ALL(line,
        '^([^ ]+) [^ ]+ ([^ ]+) .([^:]+):([0-9][0-9])[^"]*"([^ ]+) ([^ ]+) [^"]*" ([0-9]{3}) ([^ ]+) .*$'))
    AS (ip:chararray, user:chararray, day:chararray, hour:chararray, method:chararray,
        url:chararray, status:chararray, size:chararray);
F = FILTER P BY ip IS NOT NULL AND NOT STARTSWITH(url, '/static/');
Q = FOREACH F GENERATE (int)hour AS hour, (int)status / 100 AS class, (long)size AS size,
    (user == '-' ? 'anon' : 'known') AS who;
G = GROUP Q BY (hour, class, who);
O = FOREACH G GENERATE FLATTEN(group) AS (hour, class, who), COUNT(Q) AS n, SUM(Q.size) AS bytes,
    MAX(Q.size) AS biggest;
STORE O INTO '$out/q32' USING PigStorage('\t');
