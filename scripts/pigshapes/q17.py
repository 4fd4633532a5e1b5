"""Q17 in plain Python: the untyped load's casts done by hand (to_int/to_float read fields as
Pig's Utf8StorageConverter does; a bytearray in arithmetic or SUM/MAX is read as a double)."""

import os
import sys

from common import to_float, to_int, write


def main(data, out):
    groups = {}  # (category, channel) -> [n, qty, revenue, max_price]
    regions = {}  # region -> [gross, priced]
    with open(os.path.join(data, "sales.csv"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(",")
            qty_text, price_text = fields[14], fields[15]
            region = regions.setdefault(fields[4] or None, [None, 0])
            qty, price = to_float(qty_text), to_float(price_text)
            if qty is not None and price is not None:
                gross = qty * price
                region[0] = gross if region[0] is None else region[0] + gross
                region[1] += 1
            if fields[22] != "shipped":
                continue
            year = to_int(fields[2])
            if year is None or year < 2023:
                continue
            g = groups.get((fields[9], fields[21]))
            if g is None:
                g = groups[(fields[9], fields[21])] = [0, None, None, None]
            g[0] += 1
            q, total = to_int(qty_text), to_float(fields[19])
            if q is not None:
                g[1] = q if g[1] is None else g[1] + q
            if total is not None:
                g[2] = total if g[2] is None else g[2] + total
            if price is not None and (g[3] is None or price > g[3]):
                g[3] = price
    write(out, "q17", ((cat, ch, *g) for (cat, ch), g in groups.items()))
    write(out, "q17b", ((r, *g) for r, g in regions.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
