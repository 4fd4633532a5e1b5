"""Q32 in plain Python: the combined log's lines matched whole by the same pattern (Pig's
REGEX_EXTRACT_ALL uses Matcher.matches()), a size of '-' null."""

import os
import re
import sys

from common import to_int, write

LINE = re.compile(
    r'^([^ ]+) [^ ]+ ([^ ]+) .([^:]+):([0-9][0-9])[^"]*"([^ ]+) ([^ ]+) [^"]*" ([0-9]{3}) ([^ ]+) .*$'
)


def main(data, out):
    groups = {}  # (hour, class, who) -> [n, bytes, biggest]
    with open(os.path.join(data, "server.log"), encoding="utf-8") as f:
        for line in f:
            m = LINE.fullmatch(line.rstrip("\n"))
            if m is None:
                continue
            _ip, user, _day, hour, _method, url, status, size = m.groups()
            if url.startswith("/static/"):
                continue
            key = (int(hour), int(status) // 100, "anon" if user == "-" else "known")
            g = groups.get(key)
            if g is None:
                g = groups[key] = [0, None, None]
            g[0] += 1
            n = to_int(size)
            if n is not None:
                g[1] = n if g[1] is None else g[1] + n
                g[2] = n if g[2] is None or n > g[2] else g[2]
    write(out, "q32", ((*k, *g) for k, g in groups.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
