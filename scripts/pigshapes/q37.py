"""Q37 in plain Python: ranks by (total DESC with nulls last, trip_id), dense ranks of the
distinct (city ASC, vendor DESC) pairs, and line numbers of the input."""

import sys

from common import write
from tripref import trips


def main(data, out):
    rows = list(trips(data, ("trip_id", "city", "vendor", "total")))
    ranked = sorted(rows, key=lambda r: (r[3] is None, -(r[3] or 0.0), r[0]))
    write(out, "q37a", ((n, *r) for n, r in enumerate(ranked[:100], 1)))
    pairs = sorted({(r[1], r[2]) for r in rows})
    # city ascending, vendor descending: sort by city, then reverse the vendors of each city
    by_city = {}
    for city, vendor in pairs:
        by_city.setdefault(city, []).append(vendor)
    dense, n = [], 0
    for city in sorted(by_city):
        for vendor in sorted(by_city[city], reverse=True):
            n += 1
            dense.append((n, city, vendor))
    write(out, "q37b", dense)
    write(out, "q37c", ((n, *r) for n, r in enumerate(rows, 1) if n % 20000 == 1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
