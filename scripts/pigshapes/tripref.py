"""What the plain-Python references of Q35-Q47 share: reading ``trips.csv`` (from
``tripdata.py``) the way PigStorage(',') with the queries' schema does, and Pig's text forms
of the values it stores.

The conversions are Pig's Utf8StorageConverter's: an empty field is null; a number that does
not parse is null; a boolean is ``true``/``false`` in any case, anything else null; a float is
a single-precision value; a datetime is Joda's ISO parser with the offset kept (a text without
one is in the default zone, UTC here; ``yyyy-MM-dd HH:mm:ss`` is read as ``...T...``), else
null.
"""

from __future__ import annotations

import os
import re
import struct
from datetime import UTC, datetime, timedelta, timezone

from common import to_float, to_int, to_str
from tripdata import TRIP_COLUMNS

INTS = {"trip_id", "passengers", "pu_zone", "do_zone", "rate_code", "driver_id", "rating",
        "wait_sec"}  # fmt: skip
DOUBLES = {"distance", "fare", "extra", "mta_tax", "tip", "tolls", "surcharge", "congestion",
           "airport_fee", "total", "pu_lat", "pu_lon"}  # fmt: skip
BOOLEANS = {"store_fwd", "is_shared", "cancelled"}
DATETIMES = {"pickup", "dropoff"}


def to_bool(text: str) -> bool | None:
    low = text.lower()
    return True if low == "true" else False if low == "false" else None


def to_float32(text: str) -> float | None:
    x = to_float(text)
    return None if x is None else struct.unpack("f", struct.pack("f", x))[0]


# ISO-8601 as Joda's dateOptionalTimeParser reads the forms of trips.csv: a time element is
# HH[('.'|',')fraction] or HH:mm[fraction] or HH:mm:ss[fraction] (a fraction of the last unit)
ISO = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d))?)?(?:[.,](\d{1,9}))?)?"
    r"(Z|[+-]\d\d:\d\d)?"
)
UNIT_MS = (3_600_000, 60_000, 1000)


def to_datetime(text: str) -> datetime | None:
    if len(text) > 10 and text[10] == " ":  # Pig's ToDate takes the JDBC form too
        text = text[:10] + "T" + text[11:]
    m = ISO.fullmatch(text)
    if m is None:
        return None
    y, mo, d, h, mi, s, frac, zone = m.groups()
    tz = UTC
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        base = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz)
    except ValueError:
        return None
    if frac:  # Joda: digit k weighs unit/10**k whole millis
        unit = UNIT_MS[(mi is not None) + (s is not None)]
        base += timedelta(milliseconds=sum(int(c) * (unit // 10**k) for k, c in enumerate(frac, 1)))
    return base


def _converter(column: str):
    if column in INTS:
        return to_int
    if column in DOUBLES:
        return to_float
    if column in BOOLEANS:
        return to_bool
    if column in DATETIMES:
        return to_datetime
    if column == "temp_c":
        return to_float32
    return to_str


def trips(data: str, columns: tuple[str, ...]):
    """Rows of trips.csv as tuples of the named columns, converted as Pig would."""
    pairs = [(TRIP_COLUMNS.index(c), _converter(c)) for c in columns]
    with open(os.path.join(data, "trips.csv"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(",")
            yield tuple(c(fields[i]) for i, c in pairs)


def pig_bool(value: bool | None) -> str | None:
    """A boolean as Pig stores it."""
    return None if value is None else "true" if value else "false"


def pig_datetime(d: datetime | None) -> str | None:
    """A datetime as Pig stores it (Joda's DateTime.toString: millis, 'Z' for UTC)."""
    if d is None:
        return None
    offset = d.utcoffset()
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = "+" if minutes >= 0 else "-", abs(minutes)
    zone = "Z" if minutes == 0 else f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}" + zone


def add(acc: list, i: int, value) -> None:
    """acc[i] += value, nulls skipped (the sum stays null until a value comes)."""
    if value is not None:
        acc[i] = value if acc[i] is None else acc[i] + value


def avg(total, count: int):
    return None if count == 0 else total / count
