"""Q10 in plain Python: distinct active days per customer and kind (order or visit)."""

import os
import sys
from collections import Counter

from common import sales, to_int, write


def main(data, out):
    seen = set()
    for user, ts in sales(data, ("customer_id", "order_ts")):
        if user is not None:
            seen.add((user, "order", ts[:10]))
    with open(os.path.join(data, "access.log"), encoding="utf-8") as f:
        for line in f:
            fields = line.split("\t", 7)
            user = to_int(fields[6])
            if user is not None:
                seen.add((user, "visit", fields[0][:10]))
    days = Counter((user, kind) for user, kind, _ in seen)
    write(out, "q10", ((*k, n) for k, n in days.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
