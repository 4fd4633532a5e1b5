"""Pig's runtime data model: type of a value, casts, ordering, and text formatting.

Owns: the mapping between Pig types and Python values, Pig's cast rules (including
parsing bytearray text the way PigStorage's Utf8StorageConverter does), Pig's total
ordering of values (`sort_key`, `compare`), and the DUMP / PigStorage text format.
Must not touch: schemas, plans or execution; the only piglatin module imported is the
leaf `piglatin.model.textcomplex` (the text form of tuples/bags/maps, given `CASTS` for scalars).

Representation (the contract every other module relies on)::

    null -> None          int, long -> int        float, double -> float
    chararray -> str      bytearray -> bytes      boolean -> bool
    datetime -> datetime.datetime (timezone-aware, UTC by default)
    tuple -> tuple        bag -> list of tuples   map -> dict with str keys

A dict keeps its keys in the order they were put; DUMP and JsonStorage write them in Java's
HashMap order, as Pig does (`java_items`; PigStorage not yet: see "map key order" below).

A Python int does not say whether it is an int or a long, nor a float whether it is a
float or a double: `type_of` answers "int" when the value fits 32 bits and "double" for
floats. A Pig float (java.lang.Float) is a Python float holding a single-precision value:
values cast to "float" are rounded to single precision (`to_float32`; text as
Float.valueOf reads it), and the code that computes float arithmetic rounds each result.
Whether a value is a float is the schema's word, not the value's: `format_value` writes
every Python float as Double.toString does (a float widened to double, 0.1f, prints as
0.10000000149011612, as Pig prints ``(double) 0.1f``), and a field declared float is
written by Float.toString (`format_float`: 0.1) through `typed_formatter`, which the
storers and DUMP build from their schema (floats inside tuples, bags and maps too).

Failed casts give None and call the optional `warn(code)` callback with Pig's warning
name (FIELD_DISCARDED_TYPE_CONVERSION_FAILED or TOO_LARGE_FOR_INT); callers count them.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from dfs.lazyre import LazyRegex
from piglatin.model.textcomplex import bag_element as _bag_element
from piglatin.model.textcomplex import compile_parser, field_spec

if TYPE_CHECKING:
    from decimal import Decimal

Warn = Callable[[str], None] | None

TYPE_NAMES = (
    "int", "long", "float", "double", "chararray", "bytearray",
    "boolean", "datetime", "tuple", "bag", "map",
)
NUMERIC_TYPES = ("int", "long", "float", "double")
CONVERSION_FAILED = "FIELD_DISCARDED_TYPE_CONVERSION_FAILED"
TOO_LARGE = "TOO_LARGE_FOR_INT"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def java_long(total: Any) -> Any:
    """An integer sum as Java's long sum gives it (Pig's IntSum/LongSum and the Int/LongAvg
    sums add into a long, which wraps past 2^63 - 1 into [-2^63, 2^63 - 1]); any other value
    (a double's sum, a NaN) unchanged."""
    if type(total) is int and not LONG_MIN <= total <= LONG_MAX:
        return (total - LONG_MIN) % 2**64 + LONG_MIN
    return total


# ---------------------------------------------------------------------------- types


def type_of(value: Any) -> str:
    """Pig type name of a runtime value; "null" for None."""
    t = type(value)
    if t is int:
        return "int" if INT_MIN <= value <= INT_MAX else "long"
    name = _TYPE_OF.get(t)
    if name is not None:
        return name
    if value is None:
        return "null"
    if isinstance(value, datetime):
        return "datetime"
    raise TypeError(f"not a Pig value: {type(value).__name__}")


_TYPE_OF: dict[type, str] = {
    float: "double", str: "chararray", bytes: "bytearray", bool: "boolean",
    datetime: "datetime", tuple: "tuple", list: "bag", dict: "map",
}


def promote(a: str, b: str) -> str:
    """Result type of arithmetic on two numeric types (int < long < float < double)."""
    return a if NUMERIC_TYPES.index(a) >= NUMERIC_TYPES.index(b) else b


# -------------------------------------------------------------------- number parsing

_JAVA_SPACE = "".join(chr(c) for c in range(33))
_JAVA_INT = LazyRegex(r"[+-]?[0-9]+\Z")
_JAVA_DOUBLE = LazyRegex(
    r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[fFdD]?\Z"
)


def parse_double(s: str) -> float | None:
    """Java's Double.valueOf: trims chars <= ' ', accepts NaN, Infinity and a f/d suffix."""
    s = s.strip(_JAVA_SPACE)
    if not _JAVA_DOUBLE.match(s):
        return None
    if s[-1] in "fFdD" and not s.endswith("NaN"):
        s = s[:-1]
    return float(s)


_F32 = struct.Struct("f")
F32_PACK, F32_UNPACK = _F32.pack, _F32.unpack
F32_UNPACK_BITS = struct.Struct("I").unpack  # a float's bits, from F32_PACK's bytes
F32_MAX = 3.4028234663852886e38  # Float.MAX_VALUE: past it a double rounds to infinity


def to_float32(x: float) -> float:
    """Java's ``(float) x`` of a double: x rounded to single precision (round half even;
    past Float.MAX_VALUE's rounding range, an infinity)."""
    try:
        return F32_UNPACK(F32_PACK(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _text_float32(v: str | bytes, d: float, f: float) -> float:
    """Float.valueOf of the decimal text `v`, given its double `d` and `d` rounded to single
    precision `f`: Java rounds the decimal once, so when `d` lies exactly halfway between
    two floats (the text's double rounding, possible only for texts of 14 or more digits)
    or `f` is subnormal, the exact decimal decides which way."""
    if math.isinf(f) or d != d:
        return f
    b = struct.unpack("<Q", struct.pack("<d", d))[0]
    if abs(f) >= 1.1754943508222875e-38 and b & 0x1FFFFFFF != 0x10000000:
        return f  # a normal float and d not on a midpoint: rounding d is rounding the text
    s = (v.decode("ascii", "replace") if type(v) is bytes else v).strip(_JAVA_SPACE)
    from decimal import Decimal  # lazy: only a float32 text on a midpoint needs it

    try:
        exact = Decimal(s[:-1] if s[-1:] in ("f", "F", "d", "D") else s)
    except ArithmeticError:
        return f
    bits = struct.unpack("<I", struct.pack("<f", f))[0]
    step = 1 if abs(d) > abs(f) else -1  # the float on d's other side (magnitude bits)
    if bits & 0x7FFFFFFF == 0 and step < 0:
        return f
    other = struct.unpack("<f", struct.pack("<I", bits + step))[0]
    if math.isinf(other):
        return f
    gap_f, gap_o = abs(exact - Decimal(f)), abs(exact - Decimal(other))
    if gap_o < gap_f or (gap_o == gap_f and bits & 1):  # a tie: the even one
        return other
    return f


def _str_to_int(s: str, lo: int, hi: int, warn: Warn) -> int | None:
    if _JAVA_INT.match(s):
        v = int(s)
        if lo <= v <= hi:
            return v
    d = parse_double(s)
    if d is None:
        if warn is not None:
            warn(CONVERSION_FAILED)
        return None
    if math.isnan(d):
        return 0
    if not (lo - 1 < d < hi + 1):
        if warn is not None:
            warn(TOO_LARGE)
        return None
    return int(d)


def _wrap(v: int, bits: int) -> int:
    """Java narrowing conversion of an integer (two's complement wrap-around)."""
    m = 1 << bits
    v &= m - 1
    return v - m if v >= m >> 1 else v


def _float_to_int(x: float, lo: int, hi: int) -> int:
    """Java's (int)/(long) cast of a double: NaN -> 0, saturating, toward zero."""
    if x != x:
        return 0
    if x >= hi:
        return hi
    if x <= lo:
        return lo
    return int(x)


# ---------------------------------------------------------------------------- casts


def to_int(v: Any, warn: Warn = None, _lo: int = INT_MIN, _hi: int = INT_MAX) -> int | None:
    t = type(v)
    if t is int:
        return v if _lo <= v <= _hi else _wrap(v, 32 if _hi == INT_MAX else 64)
    if v is None:
        return None
    if t is float:
        return _float_to_int(v, _lo, _hi)
    if t is bytes:
        if not v:
            return None
        try:
            i = int(v)
            if _lo <= i <= _hi and b"_" not in v:
                return i
        except ValueError:
            pass
        v = v.decode("utf-8", "replace")
        if _hi == LONG_MAX and v[-1:] in ("l", "L"):
            v = v[:-1]
        return _str_to_int(v, _lo, _hi, warn) if v else None
    if t is str:
        return _str_to_int(v, _lo, _hi, warn)
    if t is bool:
        return int(v)
    return _fail(v, warn)


def to_long(v: Any, warn: Warn = None) -> int | None:
    return to_int(v, warn, LONG_MIN, LONG_MAX)


def to_double(v: Any, warn: Warn = None) -> float | None:
    t = type(v)
    if t is float:
        return v
    if t is int:
        return float(v)
    if v is None:
        return None
    if t is bytes or t is str:
        if not v:
            return None
        try:
            d = float(v)
            if d - d == 0 and ("_" if t is str else b"_") not in v:
                return d
        except ValueError:
            pass
        s = v.decode("utf-8", "replace") if t is bytes else v
        d = parse_double(s)
        if d is None and warn is not None:
            warn(CONVERSION_FAILED)
        return d
    if t is bool:
        return 1.0 if v else 0.0
    return _fail(v, warn)


def to_float(v: Any, warn: Warn = None) -> float | None:
    d = to_double(v, warn)
    if d is None:
        return None
    f = to_float32(d)
    if f != d and (type(v) is str or type(v) is bytes) and len(v) > 14:
        return _text_float32(v, d, f)
    return f


def to_chararray(v: Any, warn: Warn = None) -> str | None:
    t = type(v)
    if t is str or v is None:
        return v
    if t is bytes:
        return v.decode("utf-8", "replace")
    if t in (int, float, bool) or isinstance(v, datetime):
        return format_value(v)
    return _fail(v, warn)


def to_bytearray(v: Any, warn: Warn = None) -> bytes | None:
    if v is None or type(v) is bytes:
        return v
    return format_value(v).encode("utf-8")


def to_boolean(v: Any, warn: Warn = None) -> bool | None:
    t = type(v)
    if t is bool or v is None:
        return v
    if t is str or t is bytes:
        s = (v.decode("utf-8", "replace") if t is bytes else v).lower()
        if s == "true":
            return True
        if s == "false":
            return False
        if s and warn is not None:
            warn(CONVERSION_FAILED)
        return None
    if t is int or t is float:
        return v != 0
    return _fail(v, warn)


def to_datetime(v: Any, warn: Warn = None) -> datetime | None:
    if v is None or isinstance(v, datetime):
        return v
    t = type(v)
    if t is str or t is bytes:
        s = v.decode("utf-8", "replace") if t is bytes else v
        d = parse_iso_datetime(s)
        if d is None and s and warn is not None:
            warn(CONVERSION_FAILED)
        return d
    if t is int:
        return from_millis(v)
    return _fail(v, warn)


def _fail(v: Any, warn: Warn) -> None:
    if warn is not None:
        warn(CONVERSION_FAILED)
    return None


def cast(value: Any, type_name: str, warn: Warn = None, inner: Sequence[Any] | None = None) -> Any:
    """Cast a value to a Pig type; None (and a warning) when it cannot be converted.

    `inner` is the inner schema of a tuple/bag/map target: a sequence of field specs
    (see `field_spec`); for a bag, its single element is the tuple spec or the tuple's
    field specs directly.
    """
    if type_name in ("tuple", "bag", "map"):
        return _cast_complex(value, type_name, inner, warn)
    return CASTS[type_name](value, warn)


CASTS: dict[str, Callable[[Any, Warn], Any]] = {
    "int": to_int, "long": to_long, "float": to_float, "double": to_double,
    "chararray": to_chararray, "bytearray": to_bytearray, "boolean": to_boolean,
    "datetime": to_datetime,
}


def _text_to_long(v: Any, warn: Warn = None) -> int | None:
    """Utf8StorageConverter.bytesToLong of a field inside a tuple/bag/map's text: a trailing
    L or l is dropped first (`{(5L)}`), as for a top-level bytearray field."""
    if type(v) is str and v[-1:] in ("l", "L"):
        v = v[:-1]
    return to_long(v, warn)


# the scalar casts of the fields inside a complex value's text
TEXT_CASTS: dict[str, Callable[[Any, Warn], Any]] = {**CASTS, "long": _text_to_long}


def complex_caster(
    type_name: str, inner: Sequence[Any] | None, warn: Warn = None
) -> Callable[[Any], Any]:
    """value -> `cast(value, type_name, warn, inner)` for a tuple/bag/map type, with the
    text parser built once here (`piglatin.model.textcomplex.compile_parser`), not per value."""
    parse = compile_parser(type_name, inner, TEXT_CASTS)

    def cast_one(value: Any) -> Any:
        t = type(value)
        if t is str or t is bytes:
            text = value.decode("utf-8", "replace") if t is bytes else value
            try:
                return parse(text, warn)
            except (ValueError, IndexError):
                return _fail(value, warn)
        return _cast_complex(value, type_name, inner, warn)

    return cast_one


# (type, id(inner)) -> (inner, parser): `cast` finds the parser built for the same inner
# schema object; holding `inner` keeps its id from being reused while it is cached.
_PARSERS: dict[tuple[str, int], tuple[Any, Callable[[str, Warn], Any]]] = {}


def _parser(type_name: str, inner: Sequence[Any] | None) -> Callable[[str, Warn], Any]:
    key = (type_name, id(inner))
    hit = _PARSERS.get(key)
    if hit is not None and hit[0] is inner:
        return hit[1]
    if len(_PARSERS) >= 256:
        _PARSERS.clear()
    parse = compile_parser(type_name, inner, TEXT_CASTS)
    _PARSERS[key] = (inner, parse)
    return parse


def _cast_complex(value: Any, type_name: str, inner: Sequence[Any] | None, warn: Warn) -> Any:
    if value is None:
        return None
    if type(value) is bytes or type(value) is str:
        text = value.decode("utf-8", "replace") if type(value) is bytes else value
        try:
            return _parser(type_name, inner)(text, warn)
        except (ValueError, IndexError):
            return _fail(value, warn)
    expected = {"tuple": tuple, "bag": list, "map": dict}[type_name]
    if type(value) is not expected:
        return _fail(value, warn)
    if not inner:
        return value
    return _cast_typed(value, type_name, inner, warn)


def _cast_typed(value: Any, type_name: str, inner: Sequence[Any], warn: Warn) -> Any:
    if type_name == "tuple":
        specs = [field_spec(f) for f in inner]
        return tuple(
            cast(value[i] if i < len(value) else None, tn, warn, inn)
            for i, (tn, inn) in enumerate(specs)
        )
    if type_name == "bag":
        tn, inn = _bag_element(inner)
        return [cast(t, tn, warn, inn) for t in value]
    tn, inn = field_spec(inner[0])
    return {k: cast(v, tn, warn, inn) for k, v in value.items()}


# -------------------------------------------------------------------------- datetime

# Joda's time element: HH, HH:mm or HH:mm:ss, each maybe with a decimal fraction ('.' or ',')
# of its last unit (T10.5 is 10:30, T10:30,25 is 10:30:15)
_TIME = (
    r"(?:[T ](?P<h>\d\d)(?:[.,](?P<fh>\d{1,9})|:(?P<mi>\d\d)"
    r"(?:[.,](?P<fm>\d{1,9})|:(?P<s>\d\d)(?:[.,](?P<f>\d{1,9}))?)?)?)?"
)
_ISO = LazyRegex(
    r"(?P<y>[+-]?\d{4,})(?:-(?P<mo>\d\d)(?:-(?P<d>\d\d)" + _TIME + r")?)?"
    r"(?P<tz>Z|[+-]\d\d(?::?\d\d)?)?\Z"
)
# Joda's other two date elements: a week date xxxx-'W'ww[-e] and an ordinal date yyyy-DDD
_ISO_WEEK_OR_DAY = LazyRegex(
    r"(?P<y>[+-]?\d{4,})-(?:W(?P<w>\d\d)(?:-(?P<e>\d))?|(?P<doy>\d{3}))" + _TIME
    + r"(?P<tz>Z|[+-]\d\d(?::?\d\d)?)?\Z"
)


def _unit_fraction(g: dict[str, str | None]) -> timedelta:
    """The time a fraction of an hour or of a minute adds, in whole milliseconds as Joda's
    fraction parser counts them (digit k weighs unit/10**(k-1), the sum divided by ten)."""
    digits, unit = (g["fh"], 3_600_000) if g["fh"] else (g["fm"], 60_000)
    if not digits:
        return timedelta(0)
    value, n = 0, unit * 10
    for c in digits:
        n //= 10
        value += int(c) * n
    return timedelta(milliseconds=value // 10)


# The usual shapes, ASCII digits only, as written (no blanks around): a whole date, then maybe a
# time after T or a space, then maybe a zone (the only named group: lastgroup says whether it is
# there). datetime.fromisoformat (C) reads each of them as _ISO and parse_tz do; it also takes
# forms _ISO refuses (week dates, any separator), which is why it only sees these shapes.
_ISO_COMMON = LazyRegex(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)?"
    r"(?P<tz>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
# the commonest of them (a simpler pattern matches in about half the time)
_ISO_SECONDS = LazyRegex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}")
_FROM_ISO = datetime.fromisoformat


_default_tz: timezone = UTC  # pig.datetime.default.tz as the running task set it


def set_default_zone(tz: timezone) -> None:
    """The zone of datetimes read without one (Joda's DateTimeZone.setDefault, which Pig's
    task setup calls with ``pig.datetime.default.tz``; UTC when unset). Process-wide, as
    the JVM's is: `functions.taskcontext.start_task` sets it for each task."""
    global _default_tz  # noqa: PLW0603 - one setting, read on every zone-less parse
    _default_tz = tz


def default_zone() -> timezone:
    return _default_tz


def fixed_zone(zone_id: str) -> timezone:
    """The offset zone `zone_id` (an offset, UTC, or a region such as America/Los_Angeles)
    has now: Pig's DateTimeZone.forOffsetMillis(DateTimeZone.forID(id).getOffset(null)).
    ValueError for an id that names no zone."""
    text = zone_id.strip()
    if re.fullmatch(r"Z|UTC|GMT|[+-]\d\d(?::?\d\d)?", text):
        return parse_tz(text)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only for a region's name

    try:
        offset = datetime.now(ZoneInfo(text)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"The datetime zone id '{zone_id}' is not recognised") from None
    return UTC if not offset else timezone(offset)


def parse_iso_datetime(s: str, default_tz: timezone | None = None) -> datetime | None:
    """Parse ISO-8601 as Joda's dateTimeParser does (partial dates allowed); None if bad.
    Without a zone in `s`: `default_tz`, else the default zone (`set_default_zone`)."""
    if default_tz is None:
        default_tz = _default_tz
    if len(s) == 19 and default_tz is UTC and _ISO_SECONDS.fullmatch(s) is not None:
        try:
            return _FROM_ISO(s + "+00:00")
        except ValueError:
            pass
    m = _ISO_COMMON.fullmatch(s)
    if m is not None and default_tz is UTC:
        try:  # no zone: UTC's (datetime.replace costs more than the parse)
            if m.lastgroup is not None:
                return _FROM_ISO(s)
            return _FROM_ISO(s + "+00:00" if len(s) > 10 else s + "T00+00:00")
        except ValueError:  # a field out of range (month 13, hour 24): _ISO's path decides
            pass
    return _parse_iso(s, default_tz)


def _parse_iso(s: str, default_tz: timezone) -> datetime | None:
    """parse_iso_datetime of any form _ISO takes (signed and long years, partial dates, blanks
    around, unicode digits)."""
    m = _ISO.match(s.strip())
    if not m:
        return _parse_iso_week_or_day(s.strip(), default_tz)
    g = m.groupdict()
    frac = (g["f"] or "0")[:6].ljust(6, "0")
    try:
        return datetime(
            int(g["y"]), int(g["mo"] or 1), int(g["d"] or 1), int(g["h"] or 0),
            int(g["mi"] or 0), int(g["s"] or 0), int(frac), tzinfo=parse_tz(g["tz"], default_tz),
        ) + _unit_fraction(g)
    except (ValueError, OverflowError):  # out of range: a year past 2**31 overflows
        return None


def _parse_iso_week_or_day(s: str, default_tz: timezone) -> datetime | None:
    """A week date (2017-W10-2: Tuesday of ISO week 10 of week-year 2017) or an ordinal date
    (2017-063: its 63rd day), with Joda's optional time and zone. A week date without its day
    is the week's Thursday: Joda's parser sets the parsed fields on 1970-01-01, a Thursday."""
    m = _ISO_WEEK_OR_DAY.match(s)
    if not m:
        return None
    g = m.groupdict()
    frac = (g["f"] or "0")[:6].ljust(6, "0")
    try:
        year = int(g["y"])
        if g["doy"] is not None:
            doy = int(g["doy"])
            import calendar  # lazy: only ordinal dates need it (it imports locale)

            if not 1 <= doy <= (366 if calendar.isleap(year) else 365):
                return None
            day = date(year, 1, 1) + timedelta(days=doy - 1)
        else:
            day = date.fromisocalendar(year, int(g["w"]), int(g["e"] or 4))
        return datetime(
            day.year, day.month, day.day, int(g["h"] or 0), int(g["mi"] or 0),
            int(g["s"] or 0), int(frac), tzinfo=parse_tz(g["tz"], default_tz),
        ) + _unit_fraction(g)  # fmt: skip
    except (ValueError, OverflowError):
        return None


def parse_tz(tz: str | None, default: timezone = UTC) -> timezone:
    """A zone given as Z, +HH, +HH:MM or +HHMM (UTC when absent)."""
    if not tz:
        return default
    if tz in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return UTC if minutes == 0 else timezone(sign * timedelta(minutes=minutes))


def from_millis(ms: int, tz: timezone | None = None) -> datetime:
    """The instant `ms` after the epoch, in `tz` (the default zone when None)."""
    return (EPOCH + timedelta(milliseconds=ms)).astimezone(tz or _default_tz)


def to_millis(d: datetime) -> int:
    delta = d - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def format_datetime(d: datetime) -> str:
    """Joda's DateTime.toString(): 2011-01-01T00:00:00.000Z or ...000+08:00."""
    off = d.utcoffset()
    text = f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}"
    text += f".{d.microsecond // 1000:03d}"
    if not off:
        return text + "Z"
    secs = int(off.total_seconds())
    sign = "-" if secs < 0 else "+"
    secs = abs(secs)
    return f"{text}{sign}{secs // 3600:02d}:{secs % 3600 // 60:02d}"


# ------------------------------------------------------------------------ formatting


def format_double(x: float) -> str:
    """Java's Double.toString: positional in [1e-3, 1e7), else d.dddE<n>; the shortest
    digits that tell x apart from every other double (Python's repr has them)."""
    if 1e-3 <= abs(x) < 1e7:  # positional in both Python and Java, with the same digits
        return repr(x)
    if x != x:
        return "NaN"
    if x in (math.inf, -math.inf):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1, x) < 0 else "0.0"
    from decimal import Decimal  # lazy: most runs print no double out of this range

    sign, digits, exp = Decimal(repr(x)).normalize().as_tuple()
    ds = "".join(map(str, digits))
    return _java_number(sign, ds, len(ds) - 1 + exp)


def _java_number(negative: int, ds: str, sci: int) -> str:
    """Double/Float.toString's layout of the value 0.`ds` x 10^(sci+1) (`ds`: its significant
    digits, no trailing zero): positional when -3 <= sci < 7 (the value in [1e-3, 1e7)),
    with at least one digit after the point; else one digit, the point, the rest (at least
    one digit) and E<sci>."""
    out = "-" if negative else ""
    if -3 <= sci < 7:
        if sci >= 0:
            if len(ds) <= sci + 1:
                return f"{out}{ds}{'0' * (sci + 1 - len(ds))}.0"
            return f"{out}{ds[: sci + 1]}.{ds[sci + 1 :]}"
        return f"{out}0.{'0' * (-sci - 1)}{ds}"
    return f"{out}{ds[0]}.{ds[1:] or '0'}E{sci}"


_FLOAT_TEXTS: dict[float, str] = {}  # format_float's answers (a column repeats its values)


def format_float(x: float) -> str:
    """Java's Float.toString of the float `x` (a double is rounded to single precision
    first): the layout of Double.toString (`_java_number`), with the shortest decimal that
    rounds to the same float, the one nearest `x` among those (Java's rule: when a single
    digit would do, the nearest of one or two digits: Float.MIN_VALUE is 1.4E-45)."""
    text = _FLOAT_TEXTS.get(x)
    if text is not None:
        return text
    f = to_float32(x)
    if f != f:
        return "NaN"
    if f in (math.inf, -math.inf):
        return "Infinity" if f > 0 else "-Infinity"
    if f == 0:
        return "-0.0" if math.copysign(1, f) < 0 else "0.0"
    a = abs(f)
    found = _float32_shortest(a)
    ds, sci = _float32_digits(a) if found is None else found
    text = _java_number(f < 0, ds, sci)
    if len(_FLOAT_TEXTS) >= 4096:
        _FLOAT_TEXTS.clear()
    _FLOAT_TEXTS[x] = text
    return text


def _float32_shortest(a: float) -> tuple[str, int] | None:
    """`_float32_digits` of the positive float `a` by Python's correctly rounded %e (half
    even, so of two as near the even one): the nearest p-digit decimal to `a` rounds to `a`
    for every p from the shortest up (each is at least as near as the one before), and for
    no p below. None where that is not the whole answer: a power of two (the float below
    is nearer than the one above, so a decimal on the far side may do with fewer digits)
    and one digit (Java then takes the nearest of one or two digits)."""
    if not F32_UNPACK_BITS(F32_PACK(a))[0] & 0x7FFFFF:
        return None
    p = 6
    text = f"{a:.5e}"
    if F32_UNPACK(F32_PACK(float(text)))[0] == a:
        while p > 2:
            shorter = f"{a:.{p - 2}e}"
            if F32_UNPACK(F32_PACK(float(shorter)))[0] != a:
                break
            text, p = shorter, p - 1
        else:
            if F32_UNPACK(F32_PACK(float(f"{a:.0e}")))[0] == a:
                return None
    else:
        while True:
            p += 1
            text = f"{a:.{p - 1}e}"
            if p == 9 or F32_UNPACK(F32_PACK(float(text)))[0] == a:
                break
    mantissa, _, exp = text.partition("e")
    return mantissa.replace(".", "").rstrip("0"), int(exp)


def _float32_digits(f: float) -> tuple[str, int]:
    """(significant digits, decimal exponent of the first) of the shortest decimal that
    rounds to the positive float `f`. A decimal of at most 13 digits goes to a float
    through the double without a double-rounding error, so ``to_float32(float(text))``
    is Float.valueOf(text) for every candidate (9 digits always suffice)."""
    from decimal import Decimal  # lazy: see format_double

    for p in range(1, 10):
        found = [c for c in _candidates(f, p) if to_float32(float(c)) == f]
        if found:
            if p == 1:  # Java: the nearest of the one- and two-digit decimals that round to f
                found += [c for c in _candidates(f, 2) if to_float32(float(c)) == f]
            best = min(found, key=lambda c: abs(c - Decimal(f)))
            _, digits, exp = best.normalize().as_tuple()
            ds = "".join(map(str, digits))
            return ds, len(ds) - 1 + exp
    raise AssertionError(f"no decimal of 9 digits rounds to {f!r}")


def _candidates(f: float, p: int) -> list[Decimal]:
    """The `p`-digit decimals either side of `f` (Python's %e rounds to the nearest)."""
    from decimal import Decimal  # lazy: see format_double

    near = Decimal(f"{f:.{p - 1}e}")
    unit = Decimal(1).scaleb(near.adjusted() - p + 1)
    return [near, near + unit] if near < Decimal(f) else [near, near - unit]


def format_value(v: Any) -> str:
    """A value as Pig's DUMP prints it: (1,abc,{(2),(3)}), [k#v], null as empty."""
    f = _FORMATTERS.get(type(v))
    if f is not None:
        return f(v)
    if isinstance(v, datetime):
        return format_datetime(v)
    raise TypeError(f"not a Pig value: {type(v).__name__}")


# The formatters below first try the common shapes in one comprehension with no call per
# item (a map's values bytes, a bag's tuples one map each: what PigStorage loads for map[]
# and bag{(map[])}); any other value raises inside it (AttributeError: no .decode or .items;
# ValueError: not a 1-tuple, or bytes that are not UTF-8; TypeError, KeyError) and the row
# is formatted item by item instead, the same text either way.
_ODD = (AttributeError, TypeError, ValueError, KeyError)


def format_tuple(t: tuple) -> str:
    try:
        return "(" + ",".join([_FORMATTERS[type(f)](f) for f in t]) + ")"
    except _ODD:
        return "(" + ",".join([format_value(f) for f in t]) + ")"


def format_bag(b: list) -> str:
    if not b:
        return "{}"
    first = b[0]
    if type(first) is tuple and len(first) == 1 and type(first[0]) is dict:
        try:  # a bag of maps of bytes: {([k#v,k#v]),([k#v])}
            items = [",".join([k + "#" + v.decode() for k, v in map_items(m)]) for (m,) in b]
            return "{([" + "]),([".join(items) + "])}"
        except _ODD:
            pass
    return "{" + ",".join([format_tuple(t) for t in b]) + "}"


def format_map(m: dict) -> str:
    items = m.items() if _map_sized is None else java_items(m, _map_sized)  # `map_items`
    try:  # values bytes (map[] loaded from text), keys str
        return "[" + ",".join([k + "#" + v.decode() for k, v in items]) + "]"
    except _ODD:
        return "[" + ",".join([f"{k}#{format_value(v)}" for k, v in items]) + "]"


# ---------------------------------------------------------------------- map key order
# Pig's maps are java.util.HashMaps: TOMAP, Utf8StorageConverter.consumeMap (map text),
# JsonLoader and a UDF's map are `new HashMap()` (16 slots, doubled past 0.75 full), and
# BinInterSedes.readMap reads one back after a shuffle or into DUMP as `new HashMap(size)`,
# put in the order it was written. A HashMap iterates bucket by bucket (String.hashCode
# spread as HashMap.hash does, h ^ h >>> 16, masked by the table size), a bucket in
# insertion order (a resize keeps it). A dict here keeps the order its keys were put in;
# `java_items` gives them in the HashMap's order: as built (a map task's) or read back
# sized (DUMP's, a reduce task's). DUMP prints maps so (`set_map_table`, the launcher) and
# JsonStorage writes them so (`task_map_sized`); PigStorage still writes a map's keys as
# they were put: an ORDER that carries PigStorage text copies a map's text as read
# (`carriedline`), and the parsed rows must agree with it.
# Not modelled: a bucket of 8 or more keys in a table of 64 or more, which Java 8 turns
# into a tree whose later keys go in after their tree parent.

_map_sized: bool | None = None  # the order `format_map` writes: None, as put
_task_sized = False  # a reduce task's maps came through the shuffle
_MAP_ORDERS: tuple[dict, dict] = ({}, {})  # by sized: keys -> their order (None: as put)
_MAP_ORDERS_MAX = 4096


def set_map_table(sized: bool | None) -> None:
    """The order `format_map` (DUMP's and PigStorage's text) writes a map's keys in: the
    HashMap's read back sized (True: DUMP), as built (False), as put (None: PigStorage)."""
    global _map_sized  # noqa: PLW0603 - one setting, read for every map written
    _map_sized = sized


def set_task_map_table(sized: bool) -> None:
    """Whether this task's maps were read back by BinInterSedes (a reduce task's): the
    order JsonStorage writes (`task_map_sized`). Process-wide, as the default zone:
    `functions.taskcontext.start_task` sets it for each task."""
    global _task_sized  # noqa: PLW0603 - one setting per task
    _task_sized = sized


def task_map_sized() -> bool:
    return _task_sized


def java_string_hash(s: str) -> int:
    """Java's String.hashCode (over UTF-16 units), as an unsigned 32-bit value."""
    h = 0
    units = s.encode("utf-16-be", "surrogatepass")
    for i in range(0, len(units), 2):
        h = (31 * h + (units[i] << 8 | units[i + 1])) & 0xFFFFFFFF
    return h


def java_map_order(keys: Sequence[Any], sized: bool) -> list:
    """`keys`, put in this order into a new java.util.HashMap (16 slots), in the order the
    map iterates them; `sized`: then put in that order into ``new HashMap(len(keys))``."""
    n = len(keys)
    spread = [(h := java_string_hash(str(k))) ^ (h >> 16) for k in keys]
    slots = 16
    while n > slots * 3 // 4:
        slots *= 2
    order = sorted(range(n), key=lambda i: spread[i] & (slots - 1))  # stable: insertion
    if sized:  # tableSizeFor(n), then doubled while n > its threshold
        slots = 1
        while slots < n:
            slots *= 2
        while n > slots * 3 // 4:
            slots *= 2
        order.sort(key=lambda i: spread[i] & (slots - 1))
    return [keys[i] for i in order]


def java_items(m: dict, sized: bool) -> Any:
    """The (key, value) pairs of map `m` in the order Pig's HashMap iterates them (cached
    per key tuple)."""
    if len(m) < 2:
        return m.items()
    keys = tuple(m)
    orders = _MAP_ORDERS[sized]
    order = orders.get(keys, False)
    if order is False:
        if len(orders) >= _MAP_ORDERS_MAX:
            orders.clear()
        ordered = tuple(java_map_order(keys, sized))
        order = orders[keys] = None if ordered == keys else ordered
    return m.items() if order is None else [(k, m[k]) for k in order]


def map_items(m: dict) -> Any:
    """The pairs of `m` in the order `set_map_table` says."""
    return m.items() if _map_sized is None else java_items(m, _map_sized)


_FORMATTERS: dict[type, Callable[[Any], str]] = {
    type(None): {None: ""}.__getitem__,
    int: int.__repr__,
    str: str.__str__,
    float: format_double,
    bool: {True: "true", False: "false"}.__getitem__,
    bytes: lambda v: v.decode("utf-8", "replace"),
    tuple: format_tuple,
    list: format_bag,
    dict: format_map,
    datetime: format_datetime,
}


def float_text(v: Any) -> str:
    """A value of a field declared float, as DUMP and PigStorage write it: Float.toString
    (null empty; a value of another type as `format_value` writes it)."""
    return format_float(v) if type(v) is float else format_value(v)


def holds_float(type_name: str, inner: Sequence[Any] | None) -> bool:
    """Whether a field of this type (and inner schema) is, or holds, a declared float."""
    if type_name == "float":
        return True
    return bool(inner) and any(holds_float(*field_spec(f)) for f in inner)  # type: ignore[union-attr]


def typed_formatter(type_name: str, inner: Sequence[Any] | None) -> Callable[[Any], str] | None:
    """How DUMP and PigStorage write a value of a field of this declared type: a float by
    Float.toString (`float_text`), and so the floats the schema places inside a tuple, a
    bag's tuples or a map's values; None when the type holds no float (`format_value`
    writes it, by the value alone). A value not of its declared shape (another type) is
    written by `format_value`; a tuple of another width by place (its fields past the
    schema's by `format_value`)."""
    if not holds_float(type_name, inner):
        return None
    if type_name == "float":
        return float_text
    if type_name == "tuple":
        return _typed_tuple(inner)
    if type_name == "bag":
        element = _typed_tuple(_bag_element(inner)[1])

        def bag(v: Any) -> str:
            if type(v) is not list:
                return format_value(v)
            return "{" + ",".join([element(t) for t in v]) + "}"

        return bag
    if type_name == "map":
        value = typed_formatter(*field_spec(inner[0])) or format_value  # type: ignore[index]

        def map_(v: Any) -> str:
            if type(v) is not dict:
                return format_value(v)
            return "[" + ",".join([f"{k}#{value(x)}" for k, x in map_items(v)]) + "]"

        return map_
    return None


def _typed_tuple(inner: Sequence[Any] | None) -> Callable[[Any], str]:
    fields = [typed_formatter(*field_spec(f)) or format_value for f in inner or ()]
    width = len(fields)

    def tuple_(v: Any) -> str:
        if type(v) is not tuple:
            return format_value(v)
        if len(v) != width:  # a FLATTENed null made it short: the fields it has, by place
            texts = [f(x) for f, x in zip(fields, v)] + [format_value(x) for x in v[width:]]
            return "(" + ",".join(texts) + ")"
        return "(" + ",".join([f(x) for f, x in zip(fields, v)]) + ")"

    return tuple_


def row_formatter(schema: Sequence[Any] | None) -> Callable[[Any], str]:
    """DUMP's text of a row of this schema (fields in any form `field_spec` accepts):
    `format_value`, but for the floats the schema declares (`typed_formatter`)."""
    if schema is None or not holds_float("tuple", schema):
        return format_value
    return _typed_tuple(schema)


def format_fields(t: tuple, delimiter: str = "\t") -> str:
    """PigStorage's text line for a tuple: fields joined by the delimiter, no newline."""
    return delimiter.join([format_value(f) for f in t])


# -------------------------------------------------------------------------- ordering
# Pig orders values of different types by type (null < boolean < numbers < datetime <
# bytearray < chararray < map < tuple < bag); int/long/float/double share one rank here
# because Python cannot tell them apart. Tuples, bags and maps compare by size first.

_R_NULL, _R_BOOL, _R_NUM, _R_DT, _R_BYTES, _R_STR, _R_MAP, _R_TUPLE, _R_BAG = range(9)
_NULL_KEY = (_R_NULL,)


def _num_key(v: float) -> tuple:
    if v != v:
        return (_R_NUM, math.inf, 1)
    return (_R_NUM, v, 0)


def sort_key(v: Any) -> tuple:
    """A key Python can compare across mixed types and nulls, in Pig's order."""
    f = _KEYERS.get(type(v))
    if f is not None:
        return f(v)
    if isinstance(v, datetime):
        return (_R_DT, v)
    raise TypeError(f"not a Pig value: {type(v).__name__}")


def _tuple_key(t: tuple) -> tuple:
    return (_R_TUPLE, len(t), tuple([_field_key(f) for f in t]))


def _field_key(v: Any) -> tuple:
    """`sort_key` of a tuple's field: a -0.0 below 0.0 (Double.compare, `field_sort_bytes`)."""
    if type(v) is float and v == 0.0 and math.copysign(1.0, v) < 0.0:
        return (_R_NUM, v, -1)
    return sort_key(v)


def _bag_key(b: list) -> tuple:
    return (_R_BAG, len(b), tuple(sorted([_tuple_key(t) for t in b])))


def _map_key(m: dict) -> tuple:
    return (_R_MAP, len(m), tuple(sorted([(k, sort_key(v)) for k, v in m.items()])))


_KEYERS: dict[type, Callable[[Any], tuple]] = {
    type(None): lambda v: _NULL_KEY,
    bool: lambda v: (_R_BOOL, v),
    int: lambda v: (_R_NUM, v, 0),
    float: _num_key,
    datetime: lambda v: (_R_DT, v),
    bytes: lambda v: (_R_BYTES, v),
    str: lambda v: (_R_STR, v),
    dict: _map_key,
    tuple: _tuple_key,
    list: _bag_key,
}


def compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 as Pig orders a and b (nulls first)."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


class Reversed:
    """Wraps a sort key to invert its order (for DESC keys in a multi-key sort)."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: Reversed) -> bool:
        return other.key < self.key

    def __gt__(self, other: Reversed) -> bool:
        return other.key > self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reversed) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


def order_key(descending: Sequence[bool]) -> Callable[[tuple], tuple]:
    """Key function for ORDER BY over key tuples; nulls first ascending, last descending."""
    flags = tuple(descending)

    def key(values: tuple) -> tuple:
        return tuple(
            [Reversed(sort_key(v)) if d else sort_key(v) for v, d in zip(values, flags)]
        )

    return key


# ------------------------------------------------------------------- byte sort keys
# The same order as `sort_key`, as bytes (for a shuffle that sorts serialized keys). Every
# encoding is prefix-free, so key components concatenate and a descending component is
# its bytes complemented.

_pack_double = struct.Struct(">d").pack
_BIAS = 1 << 63


def _float_bytes(x: float) -> bytes:
    raw = _pack_double(x)
    if raw[0] & 0x80:
        return bytes([b ^ 0xFF for b in raw])
    return bytes((raw[0] | 0x80,)) + raw[1:]


_double_bits = struct.Struct(">Q").unpack
_num_record = struct.Struct(">BQBQ").pack  # tag 3, ordered double bits, then 9 bytes of int
_ALL_ONES = (1 << 64) - 1


def _ordered_bits(x: float) -> int:
    """The double's bits as an unsigned int ordered like the doubles (`_float_bytes`)."""
    (bits,) = _double_bits(_pack_double(x))
    return bits ^ _ALL_ONES if bits >> 63 else bits | _BIAS


# A number's record is tag 3, its double's bits ordered like the doubles (8 bytes), then
# 9 bytes that order the integers sharing one double: 0 and the biased value of an integer
# below 2**63, zeros for a fraction. A double x >= 0 has its ordered bits in the bytes of
# -x (the sign bit set, the rest its own), so its whole record is ONE struct call.
_num_positive = struct.Struct(">BdBQ").pack
_BIAS_F = float(_BIAS)
pack_number_key = _num_positive
"""``pack_number_key(3, -float(x), 0, q)``: `sort_bytes` of a number x with 0 <= x < 2**63,
where q is ``int(x) + 2**63`` for an integral x, else 0 (code generators inline it)."""


def _num_bytes(x: Any) -> bytes:
    if type(x) is float:
        if 0.0 <= x < _BIAS_F:  # not NaN; -0.0 too: (-0.0 + 0.0) is 0.0, as in sort_key
            return _num_positive(3, -(x + 0.0), 0, int(x) + _BIAS if x.is_integer() else 0)
        if x != x:
            return b"\x03" + b"\xff" * 17
        if not -_BIAS <= x < _BIAS:  # past every int: after (before) ints of equal float
            return b"\x03" + _float_bytes(x) + (b"\xff" * 9 if x > 0 else bytes(9))
        if not x.is_integer():
            return _num_record(3, _ordered_bits(x), 0, 0)
        return _num_record(3, _ordered_bits(x), 0, int(x) + _BIAS)
    if 0 <= x < _BIAS:
        return _num_positive(3, -float(x), 0, x + _BIAS)
    if -_BIAS <= x < _BIAS:  # a long: its 9-byte biased value starts with a zero byte
        return _num_record(3, _ordered_bits(float(x)), 0, x + _BIAS)
    return b"\x03" + _float_bytes(float(x)) + (x + _BIAS).to_bytes(9, "big", signed=True)


def number_sort_bytes(x: int | float) -> bytes:
    """`sort_bytes` of an int or a float."""
    return _num_bytes(x)


# A tuple's double field is compared as BinInterSedes compares it, with Double.compare:
# -0.0 < 0.0, so (-0.0, 'a') and (0.0, 'a') are two DISTINCT rows and two GROUP keys. A key
# of one double is compared as DoubleWritable is (`<`, `==`): -0.0 == 0.0, one key, so
# `sort_bytes` of a bare number gives -0.0 the bytes of 0.0 (`_num_bytes`). -0.0's field
# bytes are its own ordered bits (just below 0.0's, above every negative double's).
_ZERO_FIELD = _num_bytes(0.0)
_MINUS_ZERO_FIELD = _num_record(3, _ordered_bits(-0.0), 0, _BIAS)
_copysign = math.copysign


def _float_field_bytes(x: float) -> bytes:
    if x:
        return _num_bytes(x)
    return _ZERO_FIELD if _copysign(1.0, x) > 0.0 else _MINUS_ZERO_FIELD


def field_sort_bytes(v: Any) -> bytes:
    """`sort_bytes` of a value as a tuple's field (a -0.0 below 0.0, as Double.compare)."""
    f = _FIELD_BYTERS.get(type(v))
    if f is not None:
        return f(v)
    return sort_bytes(v)


def _text_bytes(tag: bytes, raw: bytes) -> bytes:
    return tag + raw.replace(b"\x00", b"\x00\xff") + b"\x00\x00"


def _size(n: int) -> bytes:
    return n.to_bytes(4, "big")


def sort_bytes(v: Any) -> bytes:
    """Bytes whose lexicographic order is Pig's order of the values (see `sort_key`)."""
    f = _BYTERS.get(type(v))
    if f is not None:
        return f(v)
    if isinstance(v, datetime):
        return _BYTERS[datetime](v)
    raise TypeError(f"not a Pig value: {type(v).__name__}")


_BYTERS: dict[type, Callable[[Any], bytes]] = {
    type(None): lambda v: b"\x01",
    bool: lambda v: b"\x02\x01" if v else b"\x02\x00",
    int: _num_bytes,
    float: _num_bytes,
    datetime: lambda v: b"\x04" + (to_millis(v) * 1000 + v.microsecond % 1000 + _BIAS).to_bytes(
        10, "big"),
    bytes: lambda v: b"\x05" + v.replace(b"\x00", b"\x00\xff") + b"\x00\x00",
    str: lambda v: b"\x06" + v.encode("utf-8", "surrogatepass").replace(b"\x00", b"\x00\xff")
    + b"\x00\x00",
    dict: lambda v: b"\x07" + _size(len(v)) + b"".join(sorted([
        _text_bytes(b"", k.encode("utf-8", "surrogatepass")) + sort_bytes(x)
        for k, x in v.items()])),
    tuple: lambda v: b"\x08" + _size(len(v)) + b"".join([
        f(x) if (f := _FIELD_BYTERS.get(type(x))) is not None else sort_bytes(x) for x in v]),
    list: lambda v: b"\x09" + _size(len(v)) + b"".join(sorted([sort_bytes(t) for t in v])),
}
_FIELD_BYTERS = {**_BYTERS, float: _float_field_bytes}  # a tuple's fields (`field_sort_bytes`)


def order_bytes(values: Sequence[Any], descending: Sequence[bool]) -> bytes:
    """Byte sort key of ORDER BY key values; a DESC component has its bytes complemented."""
    byters = _BYTERS
    parts = [
        (byters[type(v)](v) if type(v) in byters else sort_bytes(v)).translate(_COMPLEMENT)
        if d
        else (byters[type(v)](v) if type(v) in byters else sort_bytes(v))
        for v, d in zip(values, descending)
    ]
    return b"".join(parts)


_COMPLEMENT = bytes(range(255, -1, -1))
COMPLEMENT = _COMPLEMENT
"""The `bytes.translate` table that complements every byte (a DESC key component)."""
