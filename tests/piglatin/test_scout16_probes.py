"""Scout (session 16): small user-style scripts that give Pig 0.17's answer, kept as regression
tests. Each expected output was worked out from Pig's documentation or its source (named in
the case), not from this implementation's output."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.piglatin.storedrun import printed_lines as run

STUDENT = "alice\t20\t2.47\nluke\t18\t4.00\nholly\t24\t3.27\nalice\t27\t1.95\nalice\t36\t2.27\n"
LOAD_STUDENT = "A = LOAD 'student' AS (name:chararray, age:int, gpa:double);\n"

CASES = {
    # SUBSTRING: source.substring(begin, min(length, end)); an index out of range is a
    # StringIndexOutOfBoundsException, caught: null. INDEXOF: String.indexOf (a negative start
    # is 0). STRSPLIT: String.split(regex, limit) ('|' is an empty alternation: every char)
    "string_edges": (
        {"s": "abc\ta|b|c\n"},
        "A = LOAD 's' AS (s:chararray, p:chararray);\n"
        "B = FOREACH A GENERATE SUBSTRING(s, 1, 10), SUBSTRING(s, 5, 6), SUBSTRING(s, 2, 1),"
        " INDEXOF(s, 'c', -5), STRSPLIT(p, '|'), STRSPLIT(p, '\\\\|'),"
        " STRSPLIT('a,b,,,', ','), STRSPLIT('a,b,,,', ',', -1);\nDUMP B;",
        ["(bc,,,2,(a,|,b,|,c),(a,b,c),(a,b),(a,b,,,))"],
    ),
    # REPLACE is String.replaceAll: $1 is a group reference in the replacement
    "replace_group_reference": (
        {"student": STUDENT},
        LOAD_STUDENT + "B = LIMIT A 1;\n"
        "C = FOREACH B GENERATE REPLACE(name, '(l)', '[$1]'), REPLACE(name, '[aeiou]', '');\n"
        "DUMP C;",
        ["(a[l]ice,lc)"],
    ),
    # SPRINTF: java.util.Formatter; a null argument prints "null"
    "sprintf_null_and_width": (
        {"s": "abc\t-2.5\n\t2.5\n"},
        "A = LOAD 's' AS (s:chararray, d:double);\n"
        "B = FOREACH A GENERATE SPRINTF('%05.2f|%s|%d', d, s, 7);\nDUMP B;",
        ["(-2.50|abc|7)", "(02.50|null|7)"],
    ),
    # DoubleRoundTo (the double form of ROUND_TO): BigDecimal.valueOf(x).setScale(d,
    # ROUND_HALF_UP) (its 3-argument mode is left out here: the page's HALF_EVEN default and
    # DoubleRoundTo, which ignores it, disagree); ROUND is Math.round (half up toward +inf)
    "round_to_half_up_of_doubles": (
        {"d": "2.5\n-2.5\n1.005\n0.125\n"},
        "A = LOAD 'd' AS (x:double);\n"
        "B = FOREACH A GENERATE ROUND(x), ROUND_TO(x, 0), ROUND_TO(x, 2);\n"
        "DUMP B;",
        ["(3,3.0,2.5)", "(-2,-3.0,-2.5)", "(1,1.0,1.01)", "(0,0.0,0.13)"],
    ),
    # Utf8StorageConverter.bytesToInteger/Long: Integer.valueOf, else Double.valueOf (which
    # trims and takes a trailing f/d) truncated; bytesToLong drops a trailing L first
    "load_int_and_long_texts": (
        {"n": " 5\n+7\n1e2\n-3.9\n3.0f\n 4L\n2147483648\n0x10\n"},
        "A = LOAD 'n' AS (i:int);\nB = LOAD 'n' AS (l:long);\n"
        "C = FOREACH A GENERATE i;\nDUMP C;\nD = FOREACH B GENERATE l;\nDUMP D;",
        ["(5)", "(7)", "(100)", "(-3)", "(3)", "()", "()", "()"]
        + ["(5)", "(7)", "(100)", "(-3)", "(3)", "(4)", "(2147483648)", "()"],
    ),
    # bytesToBoolean: "true"/"false" in any case, anything else null
    "load_boolean": (
        {"b": "x\ttrue\nx\tFALSE\ny\tyes\n"},
        "A = LOAD 'b' AS (k:chararray, b:boolean);\n"
        "B = FOREACH A GENERATE b, (NOT b), (b ? 1 : 0);\nDUMP B;\n"
        "C = FILTER A BY b;\nDUMP C;",
        ["(true,false,1)", "(false,true,0)", "(,,)", "(x,true)"],
    ),
    # IN (Pig 0.17): an OR of equalities; bincond/CASE take the wider type of their branches
    "in_and_case_types": (
        {"student": STUDENT},
        LOAD_STUDENT + "B = FILTER A BY name IN ('luke', 'holly');\nDUMP B;\n"
        "C = FOREACH A GENERATE CASE WHEN age < 20 THEN 1 WHEN age < 30 THEN 2L END,"
        " CASE name WHEN 'alice' THEN gpa ELSE age END;\nDESCRIBE C;\nDUMP C;",
        ["(luke,18,4.0)", "(holly,24,3.27)", "C: {long,double}"]
        + ["(2,2.47)", "(1,18.0)", "(2,24.0)", "(2,1.95)", "(,2.27)"],
    ),
    # LIMIT takes a scalar expression (Pig Latin Basics, LIMIT: "n ... or a scalar")
    "limit_by_scalar_expression": (
        {"student": STUDENT},
        LOAD_STUDENT + "G = GROUP A ALL;\nC = FOREACH G GENERATE COUNT(A) AS n;\n"
        "O = ORDER A BY age;\nL = LIMIT O C.n - 3;\nDUMP L;",
        ["(luke,18,4.0)", "(alice,20,2.47)"],
    ),
    # Pig Latin Basics, "Nulls and GROUP/COGROUP": null keys of different relations are
    # grouped apart; an outer join keeps a null-keyed row unmatched
    "cogroup_null_keys_doc_example": (
        {"st": "joe\t18\t2.5\nsam\t\t3.0\nbob\t\t3.5\n"},
        "A = LOAD 'st' AS (name:chararray, age:int, gpa:float);\n"
        "B = LOAD 'st' AS (name:chararray, age:int, gpa:float);\n"
        "X = COGROUP A BY age, B BY age;\n"
        "Y = FOREACH X GENERATE group, COUNT_STAR(A), COUNT_STAR(B);\nDUMP Y;",
        ["(,2,0)", "(,0,2)", "(18,1,1)"],
    ),
    # nested FOREACH over a COGROUP: FILTER, DISTINCT of a projection, ORDER DESC, SIZE
    "nested_block_over_cogroup": (
        {
            "A": "1\t2\t3\n4\t2\t1\n8\t3\t4\n4\t3\t3\n7\t2\t5\n8\t4\t3\n",
            "B": "2\t4\n8\t9\n1\t3\n2\t7\n2\t9\n4\t6\n4\t9\n",
        },
        "A = LOAD 'A' AS (a1:int, a2:int, a3:int);\nB = LOAD 'B' AS (b1:int, b2:int);\n"
        "C = COGROUP A BY a1, B BY b1;\n"
        "D = FOREACH C { x = FILTER A BY a2 > 2; y = DISTINCT B.b2; z = ORDER B BY b2 DESC;"
        " GENERATE group, COUNT(x), y, z, SIZE(A) * SIZE(B); };\nDUMP D;",
        [
            "(1,0,{(3)},{(1,3)},1)",
            "(2,0,{(4),(7),(9)},{(2,9),(2,7),(2,4)},0)",
            "(4,1,{(6),(9)},{(4,9),(4,6)},4)",
            "(7,0,{},{},0)",
            "(8,2,{(9)},{(8,9)},2)",
        ],
    ),
    # JOIN keys of different types: the narrower is cast to the wider (int -> long/double);
    # a bytearray key is cast to the other side's type
    "join_keys_of_different_types": (
        {"A": "1\t2\n4\t3\n", "B": "1\tx\n4\ty\n5\tz\n"},
        "A = LOAD 'A' AS (a1:int, a2:int);\nB = LOAD 'B' AS (b1:double, b2);\n"
        "C = LOAD 'B' AS (c1, c2);\n"
        "J = JOIN A BY a1, B BY b1;\nDUMP J;\nK = JOIN A BY a1, C BY c1;\nDUMP K;",
        ["(1,2,1.0,x)", "(4,3,4.0,y)", "(1,2,1,x)", "(4,3,4,y)"],
    ),
    # Arithmetic: Java int/long wrap-around, integer / and % truncate toward zero, double
    # division by zero is null (Pig's Divide), Math.* results
    "arithmetic_java_semantics": (
        {"one": "1\n"},
        "A = LOAD 'one' AS (x:int);\n"
        "B = FOREACH A GENERATE 2147483647 + x, 9223372036854775807L + x, -7 / 2, -7 % 3,"
        " 7 % -3, x / 0.0, (long)1e19, (int)-3.9, 1 / 3.0;\nDUMP B;",
        ["(-2147483648,-9223372036854775808,-3,-1,1,,9223372036854775807,-3,0.3333333333333333)"],
    ),
    # Joda arithmetic behind AddDuration/SubtractDuration (a month past Jan 31 is Feb 28) and
    # the *Between functions (whole units, truncated toward zero); ToString takes Joda patterns
    "datetime_arithmetic": (
        {"one": "1\n"},
        "A = LOAD 'one' AS (x:int);\n"
        "B = FOREACH A GENERATE AddDuration(ToDate('2017-01-31'), 'P1M'),"
        " SubtractDuration(ToDate('2017-03-31'), 'P1M'),"
        " AddDuration(ToDate('2017-01-01'), 'PT36H30M'),"
        " DaysBetween(ToDate('2017-01-02T00:00:00Z'), ToDate('2017-01-01T12:00:00Z')),"
        " WeeksBetween(ToDate('2017-01-15'), ToDate('2017-01-01')),"
        " ToString(ToDate('2017-01-01T05:06:07.089Z'), 'yyyy-MM-dd HH:mm:ss.SSS'),"
        " GetWeek(ToDate('2016-01-01')), GetWeekYear(ToDate('2016-01-01')),"
        " ToMilliSeconds(ToDate('1969-12-31T23:59:59.999Z'));\nDUMP B;",
        [
            "(2017-02-28T00:00:00.000Z,2017-02-28T00:00:00.000Z,2017-01-02T12:30:00.000Z,"
            "0,2,2017-01-01 05:06:07.089,53,2015,-1)"
        ],
    ),
    # Pig Latin Basics, CUBE: CUBE(a,b) gives 4 groupings, ROLLUP(c,d) 3; together 12
    "cube_and_rollup_together": (
        {"sales": "car,2012,midwest,ohio,4000\n"},
        "s = LOAD 'sales' USING PigStorage(',') AS (product:chararray, year:int,"
        " region:chararray, state:chararray, sales:long);\n"
        "c = CUBE s BY CUBE(product, year), ROLLUP(region, state);\n"
        "r = FOREACH c GENERATE FLATTEN(group), SUM(cube.sales);\n"
        "g = GROUP r ALL;\nn = FOREACH g GENERATE COUNT_STAR(r), COUNT(r), SUM(r.$4);\nDUMP n;",
        ["(12,6,48000)"],  # COUNT skips the 6 rows whose product (first field) is null
    ),
    # macros calling macros, with a -param'd value inside (Pig Latin Basics, DEFINE macros)
    "nested_macros": (
        {"student": STUDENT},
        "DEFINE cnt(rel) RETURNS c { g = GROUP $rel ALL; $c = FOREACH g GENERATE COUNT($rel); };\n"
        "DEFINE cnt_over(rel, col, lim) RETURNS c2 { f = FILTER $rel BY $col > $lim;"
        " $c2 = cnt(f); };\n" + LOAD_STUDENT + "N = cnt_over(A, age, 20);\nDUMP N;",
        ["(3)"],
    ),
    # a nested CROSS of two COGROUP bags, filtered and projected inside the block
    "nested_cross_in_foreach": (
        {"A": "1\t2\t3\n4\t2\t1\n8\t3\t4\n4\t3\t3\n8\t4\t3\n", "B": "1\t3\n4\t6\n4\t9\n8\t9\n"},
        "A = LOAD 'A' AS (a1:int, a2:int, a3:int);\nB = LOAD 'B' AS (b1:int, b2:int);\n"
        "C = COGROUP A BY a1, B BY b1;\n"
        "D = FOREACH C { x = CROSS A, B; y = FILTER x BY a2 < b2;"
        " z = FOREACH y GENERATE a3 * b2 AS p; GENERATE group, COUNT(x), SUM(z.p); };\nDUMP D;",
        ["(1,1,9)", "(4,4,60)", "(8,2,63)"],
    ),
    # complex types nested three deep, read from PigStorage text and cast from a map value
    "deeply_nested_text_types": (
        {"deep": "{({(1),(2)},x),({},y)}\t[a#{(1,2)},b#(3)]\n"},
        "A = LOAD 'deep' AS (bb:bag{t:tuple(inner:bag{u:tuple(v:int)}, tag:chararray)}, m:map[]);\n"
        "B = FOREACH A GENERATE FLATTEN(bb);\n"
        "C = FOREACH B GENERATE tag, SUM(inner.v), SIZE(inner);\nDUMP C;\n"
        "E = FOREACH A GENERATE (bag{tuple(int,int)})m#'a', (tuple(int))m#'b';\nDUMP E;",
        ["(x,3,2)", "(y,,0)", "({(1,2)},(3))"],
    ),
    # STREAM: PigStreaming(',') on both sides, a command's output cast by AS
    "stream_with_comma_serializers": (
        {"student": STUDENT},
        LOAD_STUDENT + "DEFINE csv `cat` INPUT(stdin USING PigStreaming(','))"
        " OUTPUT(stdout USING PigStreaming(','));\n"
        "D = STREAM A THROUGH csv AS (n:chararray, a:int, g:double);\n"
        "E = FOREACH D GENERATE n, a + 1;\nF = FILTER E BY n == 'luke';\nDUMP F;",
        ["(luke,19)"],
    ),
    # SPLIT feeding a GROUP, a JOIN of the two branches and a DISTINCT, stored in one run
    "split_branches_rejoined": (
        {"A": "1\t2\t3\n4\t2\t1\n8\t3\t4\n4\t3\t3\n7\t2\t5\n8\t4\t3\n"},
        "A = LOAD 'A' AS (a1:int, a2:int, a3:int);\n"
        "SPLIT A INTO X IF a1 < 5, Y IF a1 >= 4;\n"
        "J = JOIN X BY a1, Y BY a1;\nGJ = GROUP J ALL;\nCJ = FOREACH GJ GENERATE 'J', COUNT(J);\n"
        "U = UNION X, Y;\nGU = GROUP U ALL;\nCU = FOREACH GU GENERATE 'U', COUNT(U);\n"
        "R = UNION CJ, CU;\nO = ORDER R BY $0;\nDUMP O;",
        ["(J,4)", "(U,8)"],
    ),
    # LOAD options: TextLoader keeps the whole line (empty lines too), -tagPath prepends the
    # file's path, -tagFile its name
    "textloader_and_tags": (
        {"tl": "a\n\n  b  \n"},
        "T = LOAD 'tl' USING TextLoader();\nU = FOREACH T GENERATE SIZE($0);\nDUMP U;\n"
        "F = LOAD 'tl' USING PigStorage('\\t', '-tagFile');\nG = LIMIT F 1;\n"
        "H = FOREACH G GENERATE $0;\nDUMP H;",
        ["(1)", "(0)", "(5)", "(tl)"],
    ),
    # run shares the caller's aliases and takes -param (Shell and Utility Commands, run)
    "run_with_params": (
        {"student": STUDENT, "sub.pig": "X = LOAD '$inp' AS (n:chararray);\nY = LIMIT X $n;\n"},
        "run -param inp=student -param n=5 sub.pig\n"
        "Z = FOREACH Y GENERATE UPPER(n);\nW = DISTINCT Z;\nDUMP W;",
        ["(ALICE)", "(HOLLY)", "(LUKE)"],
    ),
}


@pytest.mark.parametrize("mode", ["local", "mapreduce"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_probe(tmp_path: Path, name: str, mode: str) -> None:
    files, script, expected = CASES[name]
    assert run(tmp_path, files, script, mode) == expected
