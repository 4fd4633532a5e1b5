"""Q05 in plain Python: the 10 (ip, status) pairs with the most log lines."""

import os
import sys
from collections import Counter

from common import write


def main(data, out):
    counts = Counter()
    with open(os.path.join(data, "access.log"), encoding="utf-8") as f:
        for line in f:
            fields = line.split("\t", 5)
            counts[(fields[1], int(fields[4]))] += 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    write(out, "q05", ((ip, status, n) for (ip, status), n in top))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
