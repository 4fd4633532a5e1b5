"""What the plain-Python reference programs of ``scripts/pigshapes/`` share: reading the files
the way PigStorage does (an empty field is null; a field that does not convert is null, as Pig
warns and discards it) and writing an output directory of tab-separated rows.

Pig's conversions (Utf8StorageConverter): an int/long field that is not all digits is read as a
double and truncated toward zero (``3.0`` -> 3); a field that is no number at all is null.
"""

from __future__ import annotations

import os

SALES_COLUMNS = [
    "order_id",
    "order_ts",
    "year",
    "month",
    "region",
    "country",
    "city",
    "store_id",
    "product_id",
    "category",
    "subcategory",
    "customer_id",
    "customer_name",
    "email",
    "quantity",
    "unit_price",
    "discount",
    "tax_rate",
    "shipping",
    "total",
    "payment",
    "channel",
    "status",
    "rating",
    "returns",
    "weight_kg",
    "promo_code",
    "device",
    "session_sec",
    "is_member",
    "sku",
    "notes",
]
#: The numeric columns of sales.csv and how each converts.
SALES_TYPES = {
    "order_id": "int", "year": "int", "month": "int", "store_id": "int", "product_id": "int",
    "customer_id": "int", "quantity": "int", "unit_price": "float", "discount": "float",
    "tax_rate": "float", "shipping": "float", "total": "float", "rating": "int",
    "returns": "int", "weight_kg": "float", "session_sec": "int", "is_member": "int",
}  # fmt: skip


def to_int(text: str) -> int | None:
    """Pig's int/long of a PigStorage field: null when empty or not a number."""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return int(float(text))
        except ValueError:
            return None


def to_float(text: str) -> float | None:
    """Pig's double of a PigStorage field: null when empty or not a number."""
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def to_str(text: str) -> str | None:
    """Pig's chararray of a PigStorage field: an empty field is null."""
    return text if text else None


def sales(data: str, columns: tuple[str, ...]):
    """Rows of sales.csv as tuples of the named columns, converted as Pig would."""
    index = [SALES_COLUMNS.index(c) for c in columns]
    conv = [{"int": to_int, "float": to_float}.get(SALES_TYPES.get(c, ""), to_str) for c in columns]
    pairs = list(zip(index, conv))
    with open(os.path.join(data, "sales.csv"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(",")
            yield tuple(c(fields[i]) for i, c in pairs)


def fmt(value: object) -> str:
    """A value as PigStorage writes it (null empty; tuples and bags in brackets)."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "(" + ",".join(fmt(v) for v in value) + ")"
    if isinstance(value, list):
        return "{" + ",".join(fmt(v) for v in value) + "}"
    return str(value)


def write(out: str, name: str, rows) -> None:
    """``rows`` into ``out/name/part-00000``, tab-separated."""
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, "part-00000"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write("\t".join(fmt(v) for v in row) + "\n")


LOG_COLUMNS = ["ts", "ip", "method", "url", "status", "bytes", "user_id", "agent", "referrer"]
LOG_TYPES = {"status": "int", "bytes": "int", "user_id": "int"}


def logs(data: str, columns: tuple[str, ...]):
    """Lines of access.log as tuples of the named columns, converted as Pig would."""
    index = [LOG_COLUMNS.index(c) for c in columns]
    conv = [to_int if LOG_TYPES.get(c) else to_str for c in columns]
    pairs = list(zip(index, conv))
    with open(os.path.join(data, "access.log"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            yield tuple(c(fields[i]) for i, c in pairs)
