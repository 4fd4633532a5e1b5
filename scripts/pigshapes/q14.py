"""Q14 in plain Python: every order sorted by country, total DESC (a null total is the
smallest value, so last), order id."""

import sys

from common import sales, write

COLUMNS = ("country", "total", "order_id", "category", "order_ts")


def main(data, out):
    rows = list(sales(data, COLUMNS))
    rows.sort(key=lambda r: r[2])
    rows.sort(key=lambda r: (r[1] is not None, r[1] or 0.0), reverse=True)
    rows.sort(key=lambda r: r[0])
    write(out, "q14", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
