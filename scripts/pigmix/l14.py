"""L14 in plain Python: a merge join of the two sorted files, read side by side."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    names = (line.split("\t", 1)[0] for line in lines(data, "users_sorted"))
    name = next(names, None)
    os.makedirs(os.path.join(out, "L14out"))
    with open(os.path.join(out, "L14out", "part-00000"), "w") as f:
        for line in lines(data, "page_views_sorted"):
            fields = line.split("\t", 7)
            user = fields[0]
            if not user:
                continue
            while name is not None and name < user:
                name = next(names, None)
            if name == user:
                f.write(f"{user}\t{fields[6]}\t{name}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
