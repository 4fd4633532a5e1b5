"""Q43 in plain Python: four overlapping branches of a SPLIT with SQL-like null logic (a null
condition is not true; OTHERWISE is NOT(c1 OR c2 OR c3), so a row with a null condition and
no true one goes nowhere), count/sum/min/max of one column per branch."""

import sys

from common import write
from tripref import trips

MINFARE = 4.0


def _or(*values):
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _eq(a, b):
    return None if a is None or b is None else a == b


def _stats(values):
    n = len(values)
    present = [v for v in values if v is not None]
    if not present:
        return (n, None, None, None)
    return (n, sum(present), min(present), max(present))


def main(data, out):
    card, cash, cheap, other = [], [], [], []
    cols = ("trip_id", "payment", "fare", "tip", "total")
    for trip, payment, fare, tip, total in trips(data, cols):
        c1 = _or(_eq(payment, "card"), _eq(payment, "dispute"))
        c2 = _eq(payment, "cash")
        c3 = _or(None if fare is None else fare < MINFARE, _eq(payment, "no_charge"))
        if c1 is True:
            card.append(tip)
        if c2 is True:
            cash.append(total)
        if c3 is True:
            cheap.append(fare)
        if _or(c1, c2, c3) is False:
            other.append((trip, payment, fare, "none" if payment is None else payment.upper()))
    write(out, "q43a", [_stats(card)])
    write(out, "q43b", [_stats(cash)])
    write(out, "q43c", [_stats(cheap)])
    write(out, "q43d", other)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
