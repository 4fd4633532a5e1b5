"""Q23 in plain Python: 2024's revenue per (store, month) against the targets, keeping the
keys found on either side only."""

import os
import sys

from common import sales, to_float, to_int, write


def main(data, out):
    actual = {}  # (store, month) -> sum of totals (None when every total is null)
    for year, store, month, total in sales(data, ("year", "store_id", "month", "total")):
        if year != 2024:
            continue
        key = (store, month)
        if total is None:
            actual.setdefault(key, None)
        else:
            old = actual.get(key)
            actual[key] = total if old is None else old + total
    targets = []  # (store, month, target): a key may repeat
    with open(os.path.join(data, "targets.csv"), encoding="utf-8") as f:
        for line in f:
            s, m, t = line.rstrip("\n").split(",")
            targets.append((to_int(s), to_int(m), to_float(t)))
    rows, matched = [], set()
    for store, month, target in targets:
        key = (store, month)
        if store is not None and month is not None and key in actual:
            matched.add(key)
            a = actual[key]
        else:
            a = None
        rows.append((store, month, a, target, _verdict(a, target)))
    for (store, month), a in actual.items():
        if (store, month) not in matched:
            rows.append((store, month, a, None, "unmatched"))
    write(out, "q23", rows)


def _verdict(a, target):
    if a is None or target is None:
        return "unmatched"
    return "met" if a >= target else "missed"


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
