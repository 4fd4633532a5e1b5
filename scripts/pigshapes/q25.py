"""Q25 in plain Python: a set of seven-column tuples."""

import sys

from common import logs, write


def main(data, out):
    columns = ("ip", "method", "url", "status", "user_id", "agent", "referrer")
    write(out, "q25", set(logs(data, columns)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
