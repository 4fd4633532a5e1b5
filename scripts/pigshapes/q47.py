"""Q47 in plain Python: per-driver trips and cancellations joined to the JSON drivers (all
three must match; null ids never do), and a full outer join of the per-driver counts with
the drivers (the null driver's group kept, unmatched)."""

import json
import os
import sys

from common import write
from tripref import add, trips


def main(data, out):
    drivers = {}
    with open(os.path.join(data, "drivers.json"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            drivers.setdefault(d["driver_id"], []).append(d)
    per, cancels = {}, {}
    for trip, driver, total, cancelled in trips(
        data, ("trip_id", "driver_id", "total", "cancelled")
    ):
        g = per.setdefault(driver, [0, None])
        g[0] += trip is not None
        add(g, 1, total)
        if cancelled is True:
            cancels[driver] = cancels.get(driver, 0) + (trip is not None)
    three = []
    for driver, (n, _total) in per.items():
        if driver is None or driver not in cancels:
            continue
        for d in drivers.get(driver, ()):
            three.append(
                (driver, n, cancels[driver], d["car"]["make"], d["score"], d["since"][:4])
            )
    write(out, "q47a", three)
    full = []
    for driver, (n, _total) in per.items():
        matches = drivers.get(driver, ()) if driver is not None else ()
        for d in matches:
            full.append((driver, n, d["name"]))
        if not matches:
            full.append((driver, n, "unknown"))
    for driver_id, ds in drivers.items():
        if driver_id not in per:
            for d in ds:
                full.append((driver_id, 0, d["name"]))
    write(out, "q47b", full)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
