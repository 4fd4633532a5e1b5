"""Scout (session 19): datetimes as a user's data has them, read by PigStorage into a datetime
column and by ToDate. Pig reads them with Joda's ISODateTimeFormat.dateOptionalTimeParser
(ToDate.extractDateTime, Utf8StorageConverter.bytesToDateTime), whose time element is
``HH[fraction] | HH:mm[fraction] | HH:mm:ss[fraction]`` with a fraction ``('.'|',') digit+``
of the last unit (Joda's documented grammar: "time-element = HH [minute-element] | [fraction]",
"minute-element = ':' mm [second-element] | [fraction]"; the fraction parser counts whole
milliseconds). So ``T19.27`` is 19:16:12 and ``T10:30,5`` is 10:30:30; before this session
both were null. Expected lines are worked out from that grammar, not from this program."""

from __future__ import annotations

from pathlib import Path

from tests.piglatin.storedrun import printed_lines as run

TIMES = (
    "1\t2024-02-14T19.27\n"  # a fraction of an hour: 0.27 h = 16 min 12 s
    "2\t2024-02-14T10:30,5Z\n"  # a fraction of a minute, comma: 30 s
    "3\t2024-02-14T10.5+01:00\n"  # half an hour, an offset kept
    "4\t2024-02-14 19:30:10\n"  # the JDBC form (a blank for the T)
    "5\t02/14/2024 10:22\n"  # not ISO: null
    "6\t2024-02-14T10:30:00.250Z\n"
)


def test_fraction_of_hour_and_minute_in_a_datetime_column(tmp_path: Path) -> None:
    script = (
        "A = LOAD 'times' AS (id:int, t:datetime);\n"
        "B = FOREACH A GENERATE id, t, GetHour(t), GetMinute(t), GetSecond(t);\n"
        "DUMP B;"
    )
    assert run(tmp_path, {"times": TIMES}, script) == [
        "(1,2024-02-14T19:16:12.000Z,19,16,12)",
        "(2,2024-02-14T10:30:30.000Z,10,30,30)",
        "(3,2024-02-14T10:30:00.000+01:00,10,30,0)",
        "(4,2024-02-14T19:30:10.000Z,19,30,10)",
        "(5,,,,)",
        "(6,2024-02-14T10:30:00.250Z,10,30,0)",
    ]


def test_fraction_of_hour_through_todate(tmp_path: Path) -> None:
    script = (
        "A = LOAD 'times' AS (id:int, s:chararray);\n"
        "B = FOREACH A GENERATE id, ToDate(s);\n"
        "C = FILTER B BY id <= 3;\n"
        "DUMP C;"
    )
    assert run(tmp_path, {"times": TIMES}, script) == [
        "(1,2024-02-14T19:16:12.000Z)",
        "(2,2024-02-14T10:30:30.000Z)",
        "(3,2024-02-14T10:30:00.000+01:00)",
    ]
