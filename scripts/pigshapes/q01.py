"""Q01 in plain Python: FILTER with AND/OR/IS NULL (Pig's three-valued logic: a comparison
with a null is null, a null condition drops the row), string functions, arithmetic with nulls,
a bincond and a CASE (both null when their condition is null)."""

import re
import sys

from common import sales, write

COLUMNS = [
    "order_id",
    "region",
    "category",
    "order_ts",
    "country",
    "city",
    "customer_name",
    "notes",
    "quantity",
    "unit_price",
    "discount",
    "shipping",
    "total",
    "email",
    "sku",
    "status",
    "channel",
    "rating",
]
SKU = re.compile(r"[A-Z]{2}-[0-9]{4}-[XYZ]")


def keep(status, total, channel, rating, discount):
    shipped = status == "shipped" and (None if total is None else total > 2000.0)
    phone = channel == "phone" and rating is None
    deal = discount is not None and discount >= 0.45
    return shipped is True or phone or deal


def rows(data):
    for (oid, region, cat, ts, country, city, name, notes, qty, price, disc, ship, total,
         email, sku, status, channel, rating) in sales(data, COLUMNS):  # fmt: skip
        if not keep(status, total, channel, rating, disc):
            continue
        net = None if qty is None or price is None else qty * price * (1.0 - (disc or 0.0))
        if total is None:
            size = None
        else:
            size = "large" if total >= 1000.0 else "medium" if total >= 100.0 else "small"
        yield (
            oid, region.upper(), cat.lower(), ts[:10], f"{country}-{city}", name.strip(" "),
            None if notes is None else len(notes), net,
            None if ship is None else ("paid" if ship > 0.0 else "free"), size,
            None if email is None else email.find("@"),
            "ok" if SKU.fullmatch(sku) else "bad",
        )  # fmt: skip


if __name__ == "__main__":
    write(sys.argv[2], "q01", rows(sys.argv[1]))
