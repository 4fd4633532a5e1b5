"""Q45 in plain Python: Java's Math.floor/ceil/abs/sqrt/log10/round and ROUND_TO of a double
(BigDecimal.valueOf, HALF_UP: Pig's DoubleRoundTo), aggregated per floor of the distance."""

import math
import sys
from decimal import ROUND_HALF_UP, Decimal

from common import write
from tripref import add, trips

THOUSANDTH = Decimal("0.001")


def main(data, out):
    groups = {}
    cols = ("distance", "temp_c", "total", "fare", "tip")
    for distance, temp, total, fare, tip in trips(data, cols):
        km = None if distance is None else float(math.floor(distance))
        ukm = None if distance is None else float(math.ceil(distance))
        atemp = None if temp is None else abs(temp)
        rd = None if distance is None else math.sqrt(distance)
        lt = None if total is None else math.log10(total + 1.0)
        rf = None if fare is None else math.floor(fare + 0.5)
        ratio = 0.0 if fare is None or fare == 0.0 else None if tip is None else tip / fare
        tipr = None
        if ratio is not None:
            tipr = float(Decimal(repr(ratio)).quantize(THOUSANDTH, rounding=ROUND_HALF_UP))
        g = groups.get(km)
        if g is None:
            g = groups[km] = [0, None, None, 0, None, None, 0, None, None, None]
        g[0] += km is not None
        if ukm is not None:
            g[1] = ukm if g[1] is None else max(g[1], ukm)
        if atemp is not None:
            add(g, 2, atemp)
            g[3] += 1
        add(g, 4, rd)
        if lt is not None:
            add(g, 5, lt)
            g[6] += 1
        add(g, 7, rf)
        if tipr is not None:
            g[8] = tipr if g[8] is None else max(g[8], tipr)
            g[9] = tipr if g[9] is None else min(g[9], tipr)
    write(
        out,
        "q45",
        (
            (km, n, u, None if ac == 0 else a / ac, rd, None if lc == 0 else lt / lc, rf, hi, lo)
            for km, (n, u, a, ac, rd, lt, lc, rf, hi, lo) in groups.items()
        ),
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
