"""Q02 in plain Python: product page hits from the web log per product and query parameter."""

import os
import re
import sys

from common import to_int, write

PRODUCT = re.compile(r"/products/([0-9]+)")


def main(data, out):
    groups = {}
    with open(os.path.join(data, "access.log"), encoding="utf-8") as f:
        for line in f:
            ts, _ip, method, url, status, size, *_ = line.rstrip("\n").split("\t")
            if not url.startswith("/products/") or not PRODUCT.match(url):
                continue
            if int(status) >= 400 or method == "HEAD":
                continue
            day, time = ts.split("T", 1)
            q = url.find("?")
            param = "none" if q < 0 else url[q + 1 : url.find("=")]
            key = (int(PRODUCT.match(url).group(1)), param)
            g = groups.get(key)
            if g is None:
                g = groups[key] = [0, None, day, time]
            g[0] += 1
            b = to_int(size)
            if b is not None:
                g[1] = b if g[1] is None else g[1] + b
            g[2] = min(g[2], day)
            g[3] = max(g[3], time)
    write(out, "q02", ((*k, *v) for k, v in groups.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
