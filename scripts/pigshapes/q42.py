"""Q42 in plain Python: route hops split on '>', tags split on '|' (a null text flattens to
one null tag), the major version (digits before the first dot; none: null)."""

import re
import sys

from common import write
from tripref import add, trips

MAJOR = re.compile(r"^(\d+)\.(\d+)")


def main(data, out):
    hops, tags = {}, {}
    for route, text, version, total in trips(data, ("route", "tags", "app_version", "total")):
        parts = route.split(">") if route is not None else []
        while parts and parts[-1] == "":
            parts.pop()
        for hop in parts:
            g = hops.setdefault(hop, [0, None])
            g[0] += 1
            add(g, 1, total)
        m = MAJOR.search(version) if version is not None else None
        major = int(m.group(1)) if m else None
        words = [w for w in text.split("|") if w] if text is not None else [None]
        for tag in words:
            key = (tag.upper() if tag is not None else None, major)
            h = tags.setdefault(key, [0, 0, 0])
            h[0] += tag is not None
            h[1] += len(parts)
            h[2] += 1
    write(out, "q42a", ((hop, n, t) for hop, (n, t) in hops.items()))
    write(out, "q42b", ((*k, n, s / c) for k, (n, s, c) in tags.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
