"""Scout (session 17): Pig's Built In Functions page, function by function, with null inputs,
untyped (bytearray) inputs and edge values. Each expected line was worked out from the
function's Java source in Pig 0.17 (org.apache.pig.builtin.<NAME>, named in the case) or the
Java library call it makes, never from this implementation's output. Every case runs in
`-x local`; the ones in MAPREDUCE also run in the default mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.piglatin.storedrun import printed_lines as run

ONE = {"one": "1\n"}
LOAD_ONE = "A = LOAD 'one' AS (x:int);\n"

CASES = {
    # Math: ABS keeps the argument's type (IntAbs/LongAbs/FloatAbs/DoubleAbs); the others are
    # java.lang.Math over a double: ACOS(2) NaN, LOG(0) -Infinity, SQRT(-1) NaN; ROUND is
    # Math.round (half up; FloatRound gives an int); ROUND_TO of a float is FloatRoundTo
    # (BigDecimal.valueOf(x).setScale(d, HALF_UP).floatValue())
    "math": (
        ONE,
        LOAD_ONE + "B = FOREACH A GENERATE ABS(-5), ABS(-5L), ABS(-2.5f), ABS(-0.0), ACOS(2.0),"
        " ASIN(1.0), ATAN(1.0), CBRT(8.0), CEIL(1.2), COS(0.0), COSH(0.0), EXP(1.0),"
        " FLOOR(-1.5), LOG(0.0), LOG(-1.0), LOG10(1000.0), SIN(0.0), SINH(1.0), SQRT(-1.0),"
        " SQRT(2.0), TAN(0.0), TANH(1.0), ROUND(2.5f), ROUND(-2.5), ROUND_TO(3.14159, 3),"
        " ROUND_TO(2.5f, 0);\nDUMP B;\nDESCRIBE B;",
        [
            "(5,5,2.5,0.0,NaN,1.5707963267948966,0.7853981633974483,2.0,2.0,1.0,1.0,"
            "2.718281828459045,-2.0,-Infinity,NaN,3.0,0.0,1.1752011936438014,NaN,"
            "1.4142135623730951,0.0,0.7615941559557649,3,-2,3.142,3.0)",
            "B: {int,long,float,double,double,double,double,double,double,double,double,double,"
            "double,double,double,double,double,double,double,double,double,double,int,long,"
            "double,float}",
        ],
    ),
    # Untyped (bytearray) arguments: ABS/ROUND take the double variant (Double.valueOf of
    # the text), CONCAT of bytearrays stays bytearray, SIZE of a bytearray counts its bytes
    # (DataByteArray.size()), UPPER casts to chararray; `x + 0` casts x to int
    # (Utf8StorageConverter: Integer.valueOf, else Double.valueOf(...).intValue())
    "untyped_arguments": (
        {"d": "k\t-2.5\th\u00e9llo\t1\nk\t4\tab\t2\nj\t\t\t\n"},
        "A = LOAD 'd' AS (k, x, s, i);\n"
        "B = FOREACH A GENERATE ABS(x), ROUND(x), CONCAT(k, s), SIZE(s), UPPER(s), x + 0,"
        " (int)i + 1;\nDUMP B;\nDESCRIBE B;",
        [
            "(2.5,-2,kh\u00e9llo,6,H\u00c9LLO,-2,2)",
            "(4.0,4,kab,2,AB,4,3)",
            "(,,,,,,)",
            "B: {double,long,bytearray,long,chararray,int,int}",
        ],
    ),
    # String functions over a row and a row of nulls (PigStorage: an empty field is null):
    # each returns null for a null string (their exec's first check)
    "strings_and_nulls": (
        {"s": "Hello World\tlo\t\n\tx\ty\n"},
        "A = LOAD 's' AS (s:chararray, p:chararray, q:chararray);\n"
        "B = FOREACH A GENERATE ENDSWITH(s, 'ld'), STARTSWITH(s, 'He'),"
        " EqualsIgnoreCase(s, 'hello world'), INDEXOF(s, p), INDEXOF(s, 'o', 5),"
        " LAST_INDEX_OF(s, 'o'), LCFIRST(s), UCFIRST(p), LOWER(s), UPPER(s),"
        " LTRIM(CONCAT('  ', p)), RTRIM(CONCAT(p, '  ')), TRIM(q), SIZE(s), SUBSTRING(s, 0, 5),"
        " REPLACE(s, 'o', '0'), STRSPLIT(s, ' '), STRSPLITTOBAG(s, ' ');\nDUMP B;",
        [
            "(true,true,true,3,7,7,hello World,Lo,hello world,HELLO WORLD,lo,lo,,11,Hello,"
            "Hell0 W0rld,(Hello,World),{(Hello),(World)})",
            "(,,,,,,,X,,,x,x,y,,,,,)",
        ],
    ),
    # REGEX_EXTRACT: Matcher.find(), then group(index) if groupCount() >= index, else null
    # (a warning); REGEX_EXTRACT_ALL: Matcher.matches() by default, a tuple of every group,
    # null when the whole string does not match
    "regex_extract": (
        {"s": "Hello World\n"},
        "A = LOAD 's' AS (s:chararray);\n"
        "C = FOREACH A GENERATE REGEX_EXTRACT(s, '(\\\\w+) (\\\\w+)', 2),"
        " REGEX_EXTRACT_ALL(s, '(\\\\w+) (\\\\w+)'), REGEX_EXTRACT_ALL(s, 'World'),"
        " REGEX_EXTRACT(s, 'o', 0), REGEX_EXTRACT(s, 'l+', 1), REGEX_EXTRACT(s, '(z)?W', 1);\n"
        "DUMP C;",
        ["(World,(Hello,World),,o,,)"],
    ),
    # TOKENIZE: java.util.StringTokenizer over " \",()*" (or the given delimiters); an empty
    # string gives an empty bag, null gives null. SUBSTRING: an out-of-range index is caught
    # (null); INDEXOF of '' is 0; STRSPLIT(s, regex, limit) is String.split(regex, limit);
    # SIZE of a scalar is 1, of a tuple its arity, of a map its entries
    "tokenize_substring_split_size": (
        ONE,
        LOAD_ONE + "B = FOREACH A GENERATE TOKENIZE('a b,c(d)e\"f*g  h'), TOKENIZE('a-b-c', '-'),"
        " TOKENIZE(''), TOKENIZE(NULL), SIZE(TOKENIZE('   ')), SUBSTRING('abc', -1, 2),"
        " SUBSTRING('abc', 1, 1), UCFIRST(''), LCFIRST('ABC'), INDEXOF('abc', ''),"
        " LAST_INDEX_OF('abcabc', 'bc'), LAST_INDEX_OF('abc', 'z'),"
        " STRSPLIT('a1b2c', '\\\\d', 2), STRSPLITTOBAG('a:b:c', ':', 2), SIZE(''), SIZE(12345),"
        " SIZE(3.14), SIZE(TOTUPLE(1,2)), SIZE(TOMAP('a',1));\nDUMP B;",
        [
            "({(a),(b),(c),(d),(e),(f),(g),(h)},{(a),(b),(c)},{},,0,,,,aBC,0,4,-1,(a,b2c),"
            "{(a),(b:c)},0,1,1,2,1)"
        ],
    ),
    # TOKENIZE's schema is Pig's bag_of_tokenTuples: {tuple_of_tokens: (token: chararray)}
    "tokenize_schema": (
        ONE,
        LOAD_ONE + "B = FOREACH A GENERATE TOKENIZE('a b');\nDESCRIBE B;",
        ["B: {bag_of_tokenTuples: {tuple_of_tokens: (token: chararray)}}"],
    ),
    # CONCAT of three; REPLACE is String.replaceAll ('a*' matches 'aaa' and the empty end);
    # SPRINTF is java.util.Formatter (a null format is String.valueOf(null): "null")
    "concat_replace_sprintf": (
        ONE,
        LOAD_ONE + "C = FOREACH A GENERATE CONCAT('a', 'b', 'c'), TRIM('  x y  '),"
        " REPLACE('a.b.c', '\\\\.', '/'), REPLACE('aaa', 'a*', 'b'),"
        " SPRINTF('%s-%5d-%-5s|%x|%08.3f|%e|%b', 'q', 42, 'ab', 255, 3.14159, 12345.678, true),"
        " SPRINTF('%,d', 1234567L), SPRINTF(NULL, 1);\nDUMP C;",
        ["(abc,x y,a/b/c,bb,q-   42-ab   |ff|0003.142|1.234568e+04|true,1,234,567,null)"],
    ),
    # Aggregates over a GROUP of untyped fields: SUM/AVG/MAX/MIN of bytearray read each value
    # as a Double (a value that is not a number is skipped: SUM.sum's NumberFormatException);
    # COUNT counts non-null values, even unparsable ones; a group of nulls sums to null
    "aggregates_untyped": (
        {"d": "a\t3\t2.5\na\tx\t1.5\nb\t\t-0.0\n"},
        "A = LOAD 'd' AS (k, v, f);\nG = GROUP A BY k;\n"
        "B = FOREACH G GENERATE group, SUM(A.v), AVG(A.v), MAX(A.v), MIN(A.f), COUNT(A.v),"
        " SUM(A.f);\nDUMP B;\nDESCRIBE B;",
        [
            "(a,3.0,3.0,3.0,1.5,2,4.0)",
            "(b,,,,-0.0,0,0.0)",
            "B: {group: bytearray,double,double,double,double,long,double}",
        ],
    ),
    # Typed aggregates with nulls: COUNT skips nulls, COUNT_STAR does not, COUNT(A) looks at
    # each tuple's first field; SUM of ints is a long; MIN/MAX of chararray compare strings;
    # BagToString writes a null as "null" (StringBuilder.append); BagToTuple flattens
    "aggregates_typed": (
        {"d": "a\t1\t1.5\tx\na\t\t2.5\ty\na\t3\t\t\nb\t\t\t\nc\t5\t0.5\tz\n"},
        "A = LOAD 'd' AS (k:chararray, i:int, f:double, s:chararray);\nG = GROUP A BY k;\n"
        "B = FOREACH G GENERATE group, AVG(A.i), COUNT(A.i), COUNT_STAR(A.i), COUNT(A), MAX(A.i),"
        " MIN(A.f), SUM(A.i), SUM(A.f), MAX(A.s), MIN(A.s), IsEmpty(A), SIZE(A),"
        " BagToString(A.s), BagToString(A.i, '-'), BagToTuple(A.i);\nDUMP B;",
        [
            "(a,2.0,2,3,3,3,1.5,4,4.0,y,x,false,3,x_y_null,1-null-3,(1,,3))",
            "(b,,0,1,1,,,,,,,false,1,null,null,())",
            "(c,5.0,1,1,1,5,0.5,5,0.5,z,z,false,1,z,5,(5))",
        ],
    ),
    # Floats: SUM and AVG of floats are doubles (of the widened values), MAX/MIN stay floats;
    # AVG of ints is a double; datetimes have MAX/MIN (DateTimeMax)
    "aggregates_float_int_datetime": (
        {"d": "k\t1.5\t1\t2017-01-05T00:00:00Z\nk\t2.5\t2\t2016-12-31T23:00:00Z\nj\t-0.0\t\t\n"},
        "T = LOAD 'd' AS (k:chararray, f:float, i:int, t:datetime);\nG = GROUP T BY k;\n"
        "C = FOREACH G GENERATE group, SUM(T.f), AVG(T.f), MAX(T.f), MIN(T.f), AVG(T.i),"
        " SUM(T.i), MAX(T.t), MIN(T.t);\nDUMP C;\nDESCRIBE C;",
        [
            "(j,0.0,0.0,-0.0,-0.0,,,,)",
            "(k,4.0,2.0,2.5,1.5,1.5,3,2017-01-05T00:00:00.000Z,2016-12-31T23:00:00.000Z)",
            "C: {group: chararray,double,double,float,float,double,long,datetime,datetime}",
        ],
    ),
    # Aggregates of an empty bag (a nested FILTER that keeps nothing): COUNT 0, SUM/AVG/MAX
    # null, IsEmpty true, SIZE 0; GROUP ALL of an empty relation has no group at all
    "aggregates_of_empty_bags": (
        {"d": "a\t1\t1.5\nb\t2\t2.5\n"},
        "T = LOAD 'd' AS (k:chararray, i:int, x:double);\nGA = GROUP T ALL;\n"
        "H = FOREACH GA { e = FILTER T BY i > 100; GENERATE COUNT(e), SUM(e.i), AVG(e.i),"
        " MAX(e.x), IsEmpty(e), SIZE(e); };\nDUMP H;\n"
        "E = FILTER T BY k == 'zzz';\nGE = GROUP E ALL;\nF = FOREACH GE GENERATE COUNT(E);\n"
        "DUMP F;",
        ["(0,,,,true,0)"],
    ),
    # IsEmpty of a bag and a map, SIZE, DIFF (the tuples in one bag but not the other),
    # IN (an OR of equalities: null for a null operand)
    "isempty_diff_in": (
        {"d": "a\t3\t2.5\t{(1),(2)}\t[k#v]\na\t4\t1.5\t{}\t[]\n"},
        "T = LOAD 'd' AS (k:chararray, v:int, f:float, b:bag{t:(i:int)}, m:map[]);\n"
        "C = FOREACH T GENERATE IsEmpty(b), IsEmpty(m), SIZE(b), SIZE(m), DIFF(b, TOBAG(1)),"
        " (v IN (3, 5)), (k IN ('a')), (f IN (2.5f, 1.0f));\nDUMP C;",
        ["(false,false,2,1,{(2)},true,true,true)", "(true,true,0,0,{(1)},false,true,false)"],
    ),
    # TOMAP pairs and a bag of pairs (PIG-4638), TOBAG of tuples keeps them, TOTUPLE(),
    # TOBAG(), BagToTuple of several tuples; a null string argument gives null
    "tuple_bag_map_builders": (
        {"d": "1\ta\t{(x,1),(y,2)}\n2\t\t{}\n"},
        "A = LOAD 'd' AS (a0:int, a1:chararray, b:bag{t:(k:chararray, v:int)});\n"
        "B = FOREACH A GENERATE TOMAP('x', a0, 'y', a1), TOMAP(b),"
        " TOBAG(TOTUPLE(a0, a1), TOTUPLE(a0)), TOTUPLE(), TOBAG(),"
        " BagToTuple(TOBAG(TOTUPLE(1,2), TOTUPLE(3))), ENDSWITH(a1, 'a'), INDEXOF(a1, 'a');\n"
        "DUMP B;",
        [
            "([x#1,y#a],[x#1,y#2],{(1,a),(1)},(),{},(1,2,3),true,0)",
            "([x#2,y#],[],{(2,),(2)},(),{},(1,2,3),,)",
        ],
    ),
    # PluckTuple('prefix') keeps the fields whose names start with (or match) the prefix;
    # PluckTuple(p, 'false') the others; the result is a tuple named plucked
    "pluck_tuple": (
        {"d": "1\ta\n2\tb\n"},
        "A = LOAD 'd' AS (a0:int, a1:chararray);\nA2 = LOAD 'd' AS (a0:int, a1:chararray);\n"
        "J = JOIN A BY a0, A2 BY a0;\nDEFINE pluck PluckTuple('A2::');\n"
        "K = FOREACH J GENERATE FLATTEN(pluck(*));\nDESCRIBE K;\nDUMP K;\n"
        "DEFINE pluck2 PluckTuple('a1', 'false');\nK2 = FOREACH A GENERATE pluck2(*);\n"
        "DESCRIBE K2;\nDUMP K2;",
        [
            "K: {plucked::A2::a0: int,plucked::A2::a1: chararray}",
            "(1,a)",
            "(2,b)",
            "K2: {plucked: (a0: int)}",
            "((1))",
            "((2))",
        ],
    ),
    # UniqueID: "<task index>-<sequence>" counting from 0 in each task (one map task here)
    "unique_id": (
        {"d": "a\nb\nc\n"},
        "A = LOAD 'd' AS (s:chararray);\nB = FOREACH A GENERATE s, UniqueID();\nDUMP B;",
        ["(a,0-0)", "(b,0-1)", "(c,0-2)"],
    ),
    # ToDate: from millis (UTC), ISO text (its own offset kept), a Joda pattern, a pattern
    # and a zone id or offset; null for null
    "todate_forms": (
        ONE,
        LOAD_ONE + "B = FOREACH A GENERATE ToDate(0L), ToDate(1500000000000L),"
        " ToDate('2017-03-04T05:06:07.123+02:00'), ToDate('20170304', 'yyyyMMdd'),"
        " ToDate('2017-03-04 10:00', 'yyyy-MM-dd HH:mm', 'America/New_York'),"
        " ToDate('2017-03-04', 'yyyy-MM-dd', '+05:30'), ToDate(NULL);\nDUMP B;",
        [
            "(1970-01-01T00:00:00.000Z,2017-07-14T02:40:00.000Z,2017-03-04T05:06:07.123+02:00,"
            "2017-03-04T00:00:00.000Z,2017-03-04T10:00:00.000-05:00,"
            "2017-03-04T00:00:00.000+05:30,)"
        ],
    ),
    # ToUnixTime (seconds), ToMilliSeconds, ToString (ISO by default, else a Joda pattern),
    # the Get* fields (GetWeek/GetWeekYear: ISO week: 2017-01-01 is week 52 of 2016)
    "datetime_fields": (
        ONE,
        LOAD_ONE + "C = FOREACH A GENERATE ToUnixTime(ToDate('2017-01-01T00:00:00Z')),"
        " ToMilliSeconds(ToDate('2017-01-01T00:00:00Z')), ToString(ToDate('2017-01-01T00:00:00Z')),"
        " ToString(ToDate('2017-07-04T13:05:09Z'), 'EEE, d MMM yyyy hh:mm a'),"
        " GetYear(ToDate('2017-07-04')), GetMonth(ToDate('2017-07-04')),"
        " GetDay(ToDate('2017-07-04')), GetHour(ToDate('2017-07-04T13:05:09Z')),"
        " GetMinute(ToDate('2017-07-04T13:05:09Z')), GetSecond(ToDate('2017-07-04T13:05:09Z')),"
        " GetMilliSecond(ToDate('2017-07-04T13:05:09.5Z')), GetWeek(ToDate('2017-07-04')),"
        " GetWeekYear(ToDate('2017-01-01')), ToString(NULL);\nDUMP C;\nDESCRIBE C;",
        [
            "(1483228800,1483228800000,2017-01-01T00:00:00.000Z,Tue, 4 Jul 2017 01:05 PM,2017,7,"
            "4,13,5,9,500,27,2016,)",
            "C: {long,long,chararray,chararray,int,int,int,int,int,int,int,int,int,chararray}",
        ],
    ),
    # The *Between functions count whole units (Joda Hours/Minutes/Seconds.between);
    # AddDuration/SubtractDuration take ISO-8601 periods (P1Y2M3DT4H5M6S, P1W, PT0.5S)
    "datetime_between_and_durations": (
        ONE,
        LOAD_ONE
        + "D = FOREACH A GENERATE HoursBetween(ToDate('2017-01-02'), ToDate('2017-01-01')),"
        " MinutesBetween(ToDate('2017-01-01T01:00:00Z'), ToDate('2017-01-01')),"
        " SecondsBetween(ToDate('2017-01-01T00:00:01.999Z'), ToDate('2017-01-01')),"
        " MilliSecondsBetween(ToDate('2017-01-01T00:00:01Z'), ToDate('2017-01-01')),"
        " DaysBetween(ToDate('2017-01-01'), ToDate('2017-03-01')),"
        " AddDuration(ToDate('2017-01-01'), 'P1Y2M3DT4H5M6S'),"
        " SubtractDuration(ToDate('2017-01-01'), 'PT1S'), AddDuration(ToDate('2017-01-01'), 'P1W'),"
        " AddDuration(ToDate('2017-01-01'), 'PT0.5S');\nDUMP D;",
        [
            "(24,60,1,1000,-59,2018-03-04T04:05:06.000Z,2016-12-31T23:59:59.000Z,"
            "2017-01-08T00:00:00.000Z,2017-01-01T00:00:00.500Z)"
        ],
    ),
}

MAPREDUCE = {
    "untyped_arguments", "aggregates_untyped", "aggregates_typed", "aggregates_of_empty_bags",
    "tuple_bag_map_builders", "pluck_tuple", "datetime_between_and_durations",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_function_local(tmp_path: Path, name: str) -> None:
    files, script, expected = CASES[name]
    assert run(tmp_path, files, script, "local") == expected


@pytest.mark.parametrize("name", sorted(MAPREDUCE))
def test_function_default_mode(tmp_path: Path, name: str) -> None:
    files, script, expected = CASES[name]
    assert run(tmp_path, files, script, "mapreduce") == expected
