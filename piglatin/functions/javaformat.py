"""Java's ``java.util.Formatter``, the part Pig's SPRINTF reaches.

Owns: turning a format string and Pig values into text as ``String.format`` does for the
boxed Java values Pig hands it (Integer/Long, Float/Double, String, Boolean, DataByteArray,
tuples, bags, maps, null): ``%[index$][flags][width][.precision]conversion`` with the
conversions ``b s c d o x e f g a %% n`` (upper-case forms too), the flags ``- # + space 0 , (``
and ``<`` (the previous argument), and the date/time conversions ``%t``/``%T`` of a long of
milliseconds (UTC). Must not touch: how SPRINTF is registered (builtins.py) or Pig's own
value formatting (model/data.py, used here for ``%s``).

Where Java and Python differ, Java wins:

- a null argument prints ``null`` (``false`` for ``%b``), it does not make the result null;
- ``%f``/``%e``/``%g`` round the shortest decimal form of the double half-up (Java's
  FormattedFloatingDecimal): ``%.2f`` of 0.125 is ``0.13`` and of 2.675 is ``2.68``;
- ``%g`` keeps trailing zeros (``3.00000``), and chooses between ``f`` and ``e`` on the value
  after rounding (10^-4 <= x < 10^precision);
- ``%x``/``%o`` of a negative number are its two's complement (32 bits when it fits an int);
- an argument of the wrong kind (``%d`` of a double, ``%f`` of an int, ``%c`` of a long text)
  is an error, as Java's IllegalFormatConversionException makes Pig's SPRINTF fail (ERROR 2106).

>>> java_format("%2$10s %1$-8s|%2$,10d %2$8x %3$10.3f", ["New York", 8244910, 119491.453125])
'   8244910 New York| 8,244,910   7dceae 119491.453'
>>> java_format("%s|%5b|%.1f|%g|%e", [None, None, 0.25, 3.0, 12345.678])
'null|false|0.3|3.00000|1.234568e+04'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from dfs.lazyre import LazyRegex
from piglatin.model.data import (
    format_double,
    format_float,
    format_value,
    java_items,
    task_map_sized,
)

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = ["FormatError", "JavaFloat", "java_format", "java_string"]


class FormatError(ValueError):
    """The format and its arguments do not fit (a Java Illegal/Missing/Unknown...Exception)."""


class JavaFloat(float):
    """An argument Pig holds as a java.lang.Float (a value of a field declared float): `%s`
    writes it by Float.toString (String.valueOf), ``%e %f %g %a`` format it widened to
    double, as Java's Formatter does (``print(float)`` is ``print((double) value)``)."""

    __slots__ = ()


# Java's own pattern: %[argument_index$][flags][width][.precision][t]conversion
_SPEC = LazyRegex(r"%(\d+\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([tT])?([a-zA-Z%])")
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def java_format(fmt: str, args: Sequence[Any]) -> str:
    """``String.format(fmt, args...)`` for Pig values; FormatError where Java throws."""
    parts = _PARSED.get(fmt)
    if parts is None:
        parts = _parsed(fmt)
    out: list[str] = []
    n = len(args)
    for part in parts:
        if type(part) is str:
            out.append(part)
            continue
        at, convert, spec = part
        if convert is None:
            raise FormatError(spec)
        if at is not None:
            if at < 0 or at >= n:
                raise FormatError(f"Missing format argument for '{spec}'")
            out.append(convert(args[at]))
        else:
            out.append(convert(None))
    return "".join(out)


# A format's parts, parsed once (a SPRINTF's format is nearly always a constant): literal text,
# or (argument index, converter, spec text) for a conversion, or (None, None, message) where the
# format itself is wrong (raised when the writing gets there, after the errors before it, as
# Java's Formatter raises). The argument index of each conversion follows from the format alone.
_PARSED: dict[str, tuple] = {}
_PARSED_MAX = 256
_Part = str | tuple[int | None, Callable[[Any], str] | None, str]


def _parsed(fmt: str) -> tuple[_Part, ...]:
    parts: list[_Part] = []
    pos = ordinary = 0
    last = -1
    for m in _SPEC.finditer(fmt):
        parts.append(_literal_part(fmt[pos : m.start()]))
        pos = m.end()
        index, flags, width, precision, time, conv = m.groups()
        spec = m.group(0)
        if conv == "%" or conv == "n":
            if time:
                parts.append((None, None, f"Unknown format conversion: '{conv}'"))
            else:
                parts.append(_justify("%" if conv == "%" else "\n", flags, width))
            continue
        if index:
            at = int(index[:-1]) - 1
        elif "<" in flags:
            at = last
        else:
            at = ordinary
            ordinary += 1
        last = at
        parts.append((at, _converter(flags, width, precision, time, conv, spec), spec))
    parts.append(_literal_part(fmt[pos:]))
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[fmt] = result = tuple(p for p in parts if p != "")
    return result


def _literal_part(text: str) -> _Part:
    if "%" in text:
        rest = text[text.index("%") + 1 :]
        return (None, None, f"Unknown format conversion: '{rest[:1] or '%'}'")
    return text


def _converter(
    flags: str, width: str | None, precision: str | None, time: str | None, conv: str, spec: str
) -> Callable[[Any], str]:
    """The text of one argument for one conversion, justified to its width."""
    if ("-" in flags or "0" in flags) and not width:
        message = f"Missing format width: '{spec}'"

        def missing_width(_arg: Any) -> str:
            raise FormatError(message)

        return missing_width
    if not flags and not width and not precision and not time:
        if conv == "s":
            return _plain_s
        if conv == "d":
            return _plain_d
    prec = int(precision[1:]) if precision else None
    converted = flags.replace("<", "")

    def convert(arg: Any) -> str:
        if time:
            body = _time(arg, conv, spec)
            text = body.upper() if time == "T" else body
        else:
            text = _convert(arg, conv, converted, width, prec, spec)
        return _justify(text, flags, width)

    return convert


def _plain_s(arg: Any) -> str:
    """%s"""
    if type(arg) is str:
        return arg
    return "null" if arg is None else java_string(arg)


def _plain_d(arg: Any) -> str:
    """%d"""
    if type(arg) is int:
        return str(arg)
    if arg is None:
        return "null"
    raise _mismatch("d", arg)


def _justify(text: str, flags: str, width: str | None) -> str:
    if not width:
        return text
    w = int(width)
    return text.ljust(w) if "-" in flags else text.rjust(w)


def _convert(arg: Any, conv: str, flags: str, width: str | None, prec: int | None, spec: str):
    lower = conv.lower()
    if lower == "b":
        text = "false" if arg is None else ("true" if arg is not False else "false")
        text = text if prec is None else text[:prec]
        return text.upper() if conv == "B" else text
    if lower == "s":
        text = "null" if arg is None else java_string(arg)
        text = text if prec is None else text[:prec]
        return text.upper() if conv == "S" else text
    if arg is None:
        return "NULL" if conv.isupper() else "null"
    if lower == "c":
        return _char(arg, spec).upper() if conv == "C" else _char(arg, spec)
    if conv in "doxX":
        if type(arg) is not int:
            raise _mismatch(conv, arg)
        if prec is not None:
            raise FormatError(f"Illegal precision {prec} in '{spec}'")
        return _integer(arg, conv, flags, width)
    if conv in "eEfgGaA":
        if type(arg) is not float and type(arg) is not JavaFloat:
            raise _mismatch(conv, arg)
        text = _floating(float(arg), lower, flags, width, prec)
        return text.upper() if conv.isupper() else text
    raise FormatError(f"Unknown format conversion: '{conv}'")


def _mismatch(conv: str, arg: Any) -> FormatError:
    java = {int: "java.lang.Long", float: "java.lang.Double", str: "java.lang.String",
            bool: "java.lang.Boolean", JavaFloat: "java.lang.Float",
            }.get(type(arg), type(arg).__name__)  # fmt: skip
    return FormatError(f"IllegalFormatConversionException: {conv} != {java}")


def java_string(arg: Any) -> str:
    """String.valueOf of the Java object Pig holds for `arg`."""
    if type(arg) is bool:
        return "true" if arg else "false"
    if type(arg) is float:
        return format_double(arg)
    if type(arg) is JavaFloat:
        return format_float(arg)
    if type(arg) is bytes:
        return arg.decode("utf-8", "replace")
    if isinstance(arg, dict):  # a java.util.HashMap: AbstractMap.toString, entrySet order
        items = java_items(arg, task_map_sized())
        return "{" + ", ".join(f"{k}={java_string(v)}" for k, v in items) + "}"
    if arg is None:
        return "null"
    return format_value(arg)


def _char(arg: Any, spec: str) -> str:
    if type(arg) is int and 0 <= arg <= 0x10FFFF:
        return chr(arg)
    if type(arg) is str and len(arg) == 1:
        return arg
    raise _mismatch(spec[-1], arg)


def _sign_and_pad(digits: str, negative: bool, flags: str, width: str | None) -> str:
    """Java's leading sign, parentheses and zero padding around a magnitude's digits."""
    if negative:
        head, tail = ("(", ")") if "(" in flags else ("-", "")
    else:
        head, tail = ("+" if "+" in flags else " " if " " in flags else ""), ""
    if "0" in flags and width:
        digits = digits.rjust(int(width) - len(head) - len(tail), "0")
    return head + digits + tail


def _integer(value: int, conv: str, flags: str, width: str | None) -> str:
    if conv == "d":
        digits = f"{abs(value):,}" if "," in flags else str(abs(value))
        return _sign_and_pad(digits, value < 0, flags, width)
    if value < 0:  # two's complement, as Integer/Long.toHexString
        value += 2**32 if value >= _INT_MIN else 2**64
    digits = f"{value:o}" if conv == "o" else f"{value:x}"
    prefix = ("0" if conv == "o" else "0x") if "#" in flags else ""
    if "0" in flags and width:
        digits = digits.rjust(int(width) - len(prefix), "0")
    text = prefix + digits
    return text.upper() if conv == "X" else text


def _floating(x: float, conv: str, flags: str, width: str | None, prec: int | None) -> str:
    if x != x or x in (float("inf"), float("-inf")):
        if x != x:
            return "NaN"
        if x > 0:
            return ("+" if "+" in flags else " " if " " in flags else "") + "Infinity"
        return "(Infinity)" if "(" in flags else "-Infinity"
    negative = x < 0 or (x == 0 and str(x).startswith("-"))
    if conv == "a":
        return _hex_float(x, prec)
    from decimal import Decimal  # lazy: only %e/%f/%g of a float needs decimal

    d = Decimal(repr(abs(x)))  # the shortest digits, as Java's FloatingDecimal gives them
    if conv == "f":
        digits = _fixed(d, 6 if prec is None else prec, "," in flags)
    elif conv == "e":
        digits = _scientific(d, 6 if prec is None else prec)
    else:  # g
        p = 6 if prec is None else max(prec, 1)
        rounded = _round_significant(d, p)
        if rounded == 0 or Decimal("0.0001") <= rounded < Decimal(10) ** p:
            decimals = p - 1 if rounded == 0 else max(p - (rounded.adjusted() + 1), 0)
            digits = _fixed(d, decimals, "," in flags)
        else:
            digits = _scientific(d, p - 1)
    return _sign_and_pad(digits, negative, flags, width)


def _fixed(d: Decimal, decimals: int, grouped: bool) -> str:
    from decimal import ROUND_HALF_UP, Decimal  # lazy: see _floating

    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(q, f"{',' if grouped else ''}.{decimals}f")


def _round_significant(d: Decimal, digits: int) -> Decimal:
    from decimal import ROUND_HALF_UP, Decimal  # lazy: see _floating

    if d == 0:
        return d
    return d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_UP)


def _scientific(d: Decimal, decimals: int) -> str:
    if d == 0:
        return f"{0:.{decimals}f}e+00"
    q = _round_significant(d, decimals + 1)
    exp = q.adjusted()
    mantissa = format(q.scaleb(-exp), f".{decimals}f")
    return f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _hex_float(x: float, prec: int | None) -> str:
    """Double.toHexString's form (0x1.8p1), as %a gives without a precision."""
    if x == 0:
        return "-0x0.0p0" if str(x).startswith("-") else "0x0.0p0"
    text = x.hex()  # '-0x1.8000000000000p+1'
    sign = "-" if text.startswith("-") else ""
    mantissa, _, exp = text.lstrip("-")[2:].partition("p")
    whole, _, frac = mantissa.partition(".")
    frac = frac.rstrip("0") or "0"
    if prec is not None and prec < len(frac):
        raise FormatError("%a with a precision shorter than the digits is not supported")
    return f"{sign}0x{whole}.{frac}p{int(exp)}"


def _time(arg: Any, conv: str, spec: str) -> str:
    """A %t conversion of a long of milliseconds since the epoch, in UTC."""
    if arg is None:
        return "null"
    if type(arg) is not int:
        raise _mismatch(conv, arg)
    t = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=arg)
    hour12 = t.hour % 12 or 12
    fields = {
        "H": f"{t.hour:02d}", "I": f"{hour12:02d}", "k": str(t.hour), "l": str(hour12),
        "M": f"{t.minute:02d}", "S": f"{t.second:02d}", "L": f"{t.microsecond // 1000:03d}",
        "N": f"{t.microsecond * 1000:09d}", "p": "am" if t.hour < 12 else "pm",
        "z": "+0000", "Z": "UTC", "s": str(arg // 1000), "Q": str(arg),
        "B": _MONTHS[t.month - 1], "b": _MONTHS[t.month - 1][:3], "h": _MONTHS[t.month - 1][:3],
        "A": _DAYS[t.weekday()], "a": _DAYS[t.weekday()][:3], "C": f"{t.year // 100:02d}",
        "Y": f"{t.year:04d}", "y": f"{t.year % 100:02d}", "j": f"{t.timetuple().tm_yday:03d}",
        "m": f"{t.month:02d}", "d": f"{t.day:02d}", "e": str(t.day),
    }  # fmt: skip
    if conv in fields:
        return fields[conv]
    combined = {"R": "%tH:%tM", "T": "%tH:%tM:%tS", "r": "%tI:%tM:%tS %Tp", "D": "%tm/%td/%ty",
                "F": "%tY-%tm-%td", "c": "%ta %tb %td %tT %tZ %tY"}  # fmt: skip
    if conv in combined:
        parts = re.findall(r"%([tT])(\w)", combined[conv])
        text = combined[conv]
        for case, c in parts:
            value = _time(arg, c, spec)
            text = text.replace(f"%{case}{c}", value.upper() if case == "T" else value, 1)
        return text
    raise FormatError(f"Unknown format conversion: 't{conv}'")
