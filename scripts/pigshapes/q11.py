"""Q11 in plain Python: one pass writing three outputs. OTHERWISE takes the rows for which no
other condition is true (as Pig builds it, NOT (c1 OR c2): a row whose conditions are null
and false goes to no output)."""

import sys

from common import sales, write

COLUMNS = ["order_id", "customer_id", "total", "status", "returns", "channel"]


def main(data, out):
    big, returned, rest = [], [], []
    for oid, customer, total, status, returns, channel in sales(data, COLUMNS):
        c1 = None if total is None else total >= 2000.0
        c2 = status == "returned" and returns is not None and returns > 0
        if c1:
            big.append((oid, customer, total))
        if c2:
            returned.append((oid, returns, status, total))
        if c1 is False and not c2:
            rest.append((oid, channel))
    write(out, "big", big)
    write(out, "returned", returned)
    write(out, "rest", rest)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
