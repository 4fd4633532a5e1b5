"""Q15 in plain Python: per ip, the hits, the status-200 hits and the three largest status-200
responses (bytes DESC, then ts, then url) as a bag of (url, bytes)."""

import sys

from common import logs, write


def main(data, out):
    groups = {}  # ip -> [hits, [(bytes, ts, url) of the status-200 hits]]
    for ts, ip, url, status, size in logs(data, ("ts", "ip", "url", "status", "bytes")):
        g = groups.get(ip)
        if g is None:
            g = groups[ip] = [0, []]
        g[0] += 1
        if status == 200:
            g[1].append((size, ts, url))
    rows = []
    for ip, (hits, ok) in groups.items():
        ok.sort(key=lambda r: (-r[0], r[1], r[2]))
        rows.append((ip, hits, len(ok), [(url, size) for size, _, url in ok[:3]]))
    write(out, "q15", rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
