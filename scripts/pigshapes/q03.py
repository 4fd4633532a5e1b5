"""Q03 in plain Python: per (region, category, channel): ratings counted (nulls skipped), rows,
SUM/AVG/MIN/MAX over the non-null values (null when there is none)."""

import sys

from common import sales, write

COLUMNS = ["region", "category", "channel", "rating", "quantity", "unit_price", "total"]


def main(data, out):
    groups = {}
    for region, cat, channel, rating, qty, price, total in sales(data, COLUMNS):
        key = (region, cat, channel)
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"n": 0, "rating": [], "qty": [], "price": [], "total": []}
        g["n"] += 1
        if rating is not None:
            g["rating"].append(rating)
        if qty is not None:
            g["qty"].append(qty)
        if price is not None:
            g["price"].append(price)
        if total is not None:
            g["total"].append(total)

    def avg(values):
        return sum(values) / len(values) if values else None

    write(out, "q03", (
        (*k, len(g["rating"]), g["n"], sum(g["qty"]) if g["qty"] else None, avg(g["price"]),
         min(g["total"], default=None), max(g["total"], default=None),
         sum(g["total"]) if g["total"] else None, avg(g["rating"]))
        for k, g in groups.items()
    ))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
