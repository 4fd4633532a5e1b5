"""Q46 in plain Python: per city the distinct non-null drivers, the sum of 10% fees of the
rated trips with a rating of 4 or more, and the five best rated trips (rating DESC, total DESC
nulls last, trip id): their average total and their ids joined by '_'."""

import sys

from common import write
from tripref import trips


def main(data, out):
    groups = {}
    for city, rating, total, trip, driver in trips(
        data, ("city", "rating", "total", "trip_id", "driver_id")
    ):
        g = groups.get(city)
        if g is None:
            g = groups[city] = [set(), None, []]
        g[0].add(driver)
        if rating is not None:
            g[2].append((rating, total, trip))
            if rating >= 4 and total is not None:
                fee = total * 0.1
                g[1] = fee if g[1] is None else g[1] + fee
    rows = []
    for city, (drivers, fee, rated) in groups.items():
        top5 = sorted(rated, key=lambda r: (-r[0], r[1] is None, -(r[1] or 0.0), r[2]))[:5]
        totals = [t for _, t, _ in top5 if t is not None]
        top_avg = sum(totals) / len(totals) if totals else None
        ids = "_".join(str(trip) for _, _, trip in top5)
        rows.append((city, len(drivers - {None}), fee, top_avg, ids))
    write(out, "q46", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
