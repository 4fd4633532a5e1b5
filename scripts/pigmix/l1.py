"""L1 in plain Python: page links per user (a null bag is one row, an empty bag none)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def parse_map(text):
    if not text:
        return None
    if text == "[]":
        return {}
    return dict(item.split("#", 1) for item in text[1:-1].split(","))


def parse_bag_of_maps(text):
    if not text:
        return None
    if text == "{}":
        return []
    return [parse_map(m) for m in text[2:-2].split("),(")]


def main(data, out):
    counts = {}
    for line in lines(data, "page_views"):
        user, action, _, _, _, _, _, info, links = line.rstrip("\n").split("\t")
        user = user or None
        bag = parse_bag_of_maps(links)
        for link in [None] if bag is None else bag:
            # the header the query computes; only the count of rows is stored
            header = parse_map(info).get("a") if action == "1" else (link or {}).get("b")
            del header
            # COUNT skips tuples whose first field (user) is null
            counts[user] = counts.get(user, 0) + (user is not None)
    os.makedirs(os.path.join(out, "L1out"))
    with open(os.path.join(out, "L1out", "part-00000"), "w") as f:
        for user, n in counts.items():
            f.write(f"{user or ''}\t{n}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
