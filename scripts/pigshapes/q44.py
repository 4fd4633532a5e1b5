"""Q44 in plain Python: the first 500 trips by (rating DESC nulls last, pick-up instant ASC
nulls first, trip id DESC), and the first 50 by (city, total DESC nulls last, trip id)."""

import sys

from common import write
from tripref import pig_datetime, trips


def main(data, out):
    rows = list(trips(data, ("rating", "pickup", "trip_id", "city", "total")))

    def key(r):
        rating, pickup, trip = r[0], r[1], r[2]
        return (
            rating is None,
            -(rating or 0),
            pickup is not None,
            pickup.timestamp() if pickup is not None else 0.0,
            -trip,
        )

    first = sorted(rows, key=key)[:500]
    write(out, "q44a", ((r[0], pig_datetime(r[1]), r[2], r[3], r[4]) for r in first))
    second = sorted(rows, key=lambda r: (r[3] is not None, r[3] or "", r[4] is None,
                                         -(r[4] or 0.0), r[2]))[:50]
    write(out, "q44b", ((r[3], r[4], r[2]) for r in second))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
