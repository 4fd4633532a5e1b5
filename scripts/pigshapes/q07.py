"""Q07 in plain Python: orders joined with the monthly store targets on (store, month)."""

import os
import sys

from common import sales, write


def main(data, out):
    targets = {}
    with open(os.path.join(data, "targets.csv"), encoding="utf-8") as f:
        for line in f:
            store, month, target = line.rstrip("\n").split(",")
            targets[(int(store), int(month))] = float(target)
    groups = {}
    for store, month, total in sales(data, ("store_id", "month", "total")):
        key = (store, month)
        if key not in targets:
            continue
        g = groups.get(key)
        if g is None:
            g = groups[key] = [0, None]
        g[0] += 1
        if total is not None:
            g[1] = total if g[1] is None else g[1] + total
    write(out, "q07", (
        (*key, n, actual, targets[key], None if actual is None else actual / targets[key])
        for key, (n, actual) in groups.items()
    ))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
