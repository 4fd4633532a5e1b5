"""Q48 in plain Python: distinct drivers per (pick-up zone, hour) (COUNT skips the rows whose
zone is null), night hours joined with afternoon hours of the same zone, the 100 largest
night/afternoon ratios (then zone, night hour, afternoon hour ascending)."""

import sys

from common import write
from tripref import trips


def main(data, out):
    seen = set()
    for zone, pickup, driver in trips(data, ("pu_zone", "pickup", "driver_id")):
        seen.add((zone, None if pickup is None else pickup.hour, driver))
    counts = {}
    for zone, h, _driver in seen:
        counts[(zone, h)] = counts.get((zone, h), 0) + (zone is not None)
    night = [(z, h, n) for (z, h), n in counts.items() if h is not None and h < 6]
    day = {}
    for (z, h), n in counts.items():
        if h is not None and 12 <= h < 18 and z is not None:
            day.setdefault(z, []).append((h, n))
    rows = []
    for z, nh, n in night:
        if z is None:
            continue
        for dh, d in day.get(z, ()):
            rows.append((z, nh, dh, n / d))
    rows.sort(key=lambda r: (-r[3], r[0], r[1], r[2]))
    write(out, "q48", rows[:100])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
