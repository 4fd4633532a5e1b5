"""L2 in plain Python: page views of power users (a dict of the small table)."""

import glob
import os
import sys


def lines(data, table):
    for path in sorted(glob.glob(os.path.join(data, table, "part-*"))):
        with open(path) as f:
            yield from f


def main(data, out):
    power = {}
    for line in lines(data, "power_users"):
        name = line.split("\t", 1)[0]
        power[name] = power.get(name, 0) + 1
    os.makedirs(os.path.join(out, "L2out"))
    with open(os.path.join(out, "L2out", "part-00000"), "w") as f:
        for line in lines(data, "page_views"):
            fields = line.split("\t", 7)
            user, revenue = fields[0], fields[6]
            if user in power:
                f.write(f"{user}\t{revenue}\t{user}\n" * power[user])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
