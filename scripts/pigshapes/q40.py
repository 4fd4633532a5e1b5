"""Q40 in plain Python: CUBE(vendor, payment) x ROLLUP(city, weather); a null dimension value
is 'unknown', None marks "all"."""

import sys

from common import write
from tripref import add, trips


def main(data, out):
    groups = {}
    for vendor, payment, city, weather, total in trips(
        data, ("vendor", "payment", "city", "weather", "total")
    ):
        vendor, payment = vendor or "unknown", payment or "unknown"
        city, weather = city or "unknown", weather or "unknown"
        for v in (vendor, None):
            for p in (payment, None):
                for c, w in ((city, weather), (city, None), (None, None)):
                    g = groups.get((v, p, c, w))
                    if g is None:
                        g = groups[(v, p, c, w)] = [0, None]
                    g[0] += 1
                    add(g, 1, total)
    write(out, "q40", ((*k, n, t) for k, (n, t) in groups.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
