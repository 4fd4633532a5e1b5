"""Ride-hailing tables for ``scripts/bench_pigshapes.py`` (Q35-Q48), written beside
``data.py``'s and ``moredata.py``'s without touching them.

Owns: writing (or reusing) under the same directory, deterministically from the seed:

- ``trips.csv``: ``rows`` lines of 36 comma-separated typed columns (see `TRIP_COLUMNS`):
  pick-up and drop-off times as ISO-8601 texts (mostly ``...T..:..:...000Z``, 3% with a
  ``+01:00``/``-05:00`` offset, 1% in the JDBC form ``yyyy-MM-dd HH:mm:ss`` that Pig also
  reads, 0.15% ``HH.hh``: a fraction of an hour, which ISO-8601 and Joda allow, 0.5% empty,
  0.15% not ISO at all), three boolean columns (``true``/``false`` in mixed case,
  some empty, a few ``Y`` that Pig reads as null), money columns with empty fields, a driver
  key skewed like real fleets (one driver has ~7% of the trips, Zipf tail), pick-up zones
  skewed the same way, a route ``Z1>Z7>Z3`` and tags ``airport|night`` to split, a version
  ``3.12.1`` to take apart, and free-text comments.
- ``zones.csv``: 265 zones ``zone_id,borough,zone,service_zone`` (the last two zones are
  ``Unknown`` with an empty service zone).
- ``drivers.json``: one JSON object per line for 90% of the drivers: a nested object ``car``
  (a tuple for JsonLoader), an array of ``{"l": ...}`` objects ``langs`` (a bag), a score
  that is sometimes null, a ``since`` date text.

Must not touch: the other generators' files or manifests (its own ``MANIFEST.trips``).
"""

from __future__ import annotations

import bisect
import json
import os
import random
from pathlib import Path

from data import WORDS, up_to_date, write_lines

FILES = ("trips.csv", "zones.csv", "drivers.json")
TRIP_COLUMNS = (
    "trip_id", "vendor", "pickup", "dropoff", "passengers", "distance", "pu_zone", "do_zone",
    "rate_code", "store_fwd", "payment", "fare", "extra", "mta_tax", "tip", "tolls",
    "surcharge", "congestion", "airport_fee", "total", "driver_id", "rating", "city",
    "is_shared", "cancelled", "promo", "weather", "temp_c", "wait_sec", "route", "tags",
    "app_version", "device", "pu_lat", "pu_lon", "comment",
)  # fmt: skip
#: The Pig schema of trips.csv, for the queries' LOAD ... AS (...).
TRIP_SCHEMA = (
    "trip_id:long, vendor:chararray, pickup:datetime, dropoff:datetime, passengers:int, "
    "distance:double, pu_zone:int, do_zone:int, rate_code:int, store_fwd:boolean, "
    "payment:chararray, fare:double, extra:double, mta_tax:double, tip:double, tolls:double, "
    "surcharge:double, congestion:double, airport_fee:double, total:double, driver_id:long, "
    "rating:int, city:chararray, is_shared:boolean, cancelled:boolean, promo:chararray, "
    "weather:chararray, temp_c:float, wait_sec:int, route:chararray, tags:chararray, "
    "app_version:chararray, device:chararray, pu_lat:double, pu_lon:double, comment:chararray"
)
DRIVERS = 5000
ZONES = 265
BOROUGHS = ("Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island", "EWR")
CITIES = ("NYC", "Boston", "Chicago", "Austin", "Seattle", "Denver")
PAYMENTS = ("card", "card", "card", "cash", "cash", "no_charge", "dispute", "unknown")
WEATHER = ("clear", "clear", "clear", "rain", "snow", "fog", "")
TAGS = ("airport", "night", "vip", "pet", "quiet", "luggage")
MAKES = ("Toyota", "Honda", "Ford", "Tesla", "Hyundai", "Kia", "Nissan")
LANGS = ("en", "es", "fr", "zh", "ru", "ar", "hi")


_CUMULATIVE: dict[tuple[int, float], list[float]] = {}


def _zipf(rng: random.Random, n: int, s: float) -> int:
    """1..n drawn with weight 1/k**s (1 the most frequent)."""
    cum = _CUMULATIVE.get((n, s))
    if cum is None:
        total, cum = 0.0, []
        for k in range(1, n + 1):
            total += k**-s
            cum.append(total)
        _CUMULATIVE[(n, s)] = cum
    return bisect.bisect_left(cum, rng.random() * cum[-1]) + 1


def _bool(rng: random.Random, p_true: float) -> str:
    r = rng.random()
    if r < 0.04:
        return ""
    if r < 0.045:
        return "Y"  # not a boolean: null for Pig
    value = rng.random() < p_true
    return rng.choice(("true", "true", "True", "TRUE")) if value else rng.choice(
        ("false", "false", "False", "FALSE")
    )


def _money(rng: random.Random, lo: float, hi: float, p_empty: float = 0.0) -> str:
    if rng.random() < p_empty:
        return ""
    return f"{rng.uniform(lo, hi):.2f}"


def _times(rng: random.Random) -> tuple[str, str]:
    month, day = 1 + rng.randrange(6), 1 + rng.randrange(28)
    h, m, s = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    secs = 60 + int(rng.expovariate(1 / 900))
    if h >= 2 and rng.random() < 0.005:
        secs = -rng.randrange(60, 3600)  # a drop-off before the pick-up
    total = h * 3600 + m * 60 + s + secs
    day2, rest = day + total // 86400, total % 86400
    h2, m2, s2 = rest // 3600, rest % 3600 // 60, rest % 60
    r = rng.random()
    if r < 0.005:
        return "", ""
    if r < 0.0065:
        return f"{month:02d}/{day:02d}/2024 {h:02d}:{m:02d}", "n/a"  # not ISO: null
    if r < 0.008:  # hours with a decimal fraction (Joda's ISO parser takes them), no drop-off
        return f"2024-{month:02d}-{day:02d}T{h:02d}.{m:02d}", ""
    if r < 0.018:
        return (
            f"2024-{month:02d}-{day:02d} {h:02d}:{m:02d}:{s:02d}",
            f"2024-{month:02d}-{day2:02d} {h2:02d}:{m2:02d}:{s2:02d}",
        )
    zone = "Z"
    if r < 0.048:
        zone = rng.choice(("+01:00", "-05:00"))
    return (
        f"2024-{month:02d}-{day:02d}T{h:02d}:{m:02d}:{s:02d}.000{zone}",
        f"2024-{month:02d}-{day2:02d}T{h2:02d}:{m2:02d}:{s2:02d}.000{zone}",
    )


def _trip_row(rng: random.Random, n: int) -> str:
    pickup, dropoff = _times(rng)
    distance = round(rng.expovariate(1 / 4.0), 2)
    fare = round(3.0 + distance * 2.5 + rng.uniform(0, 5), 2)
    extra, tax = rng.choice((0.0, 0.5, 1.0, 2.5)), 0.5
    tip = round(fare * rng.choice((0.0, 0.0, 0.1, 0.15, 0.2, 0.25)), 2)
    tolls = 0.0 if rng.random() < 0.9 else round(rng.uniform(2, 15), 2)
    total = round(fare + extra + tax + tip + tolls, 2)
    hops = 1 + min(int(rng.expovariate(0.8)), 5)
    route = ">".join(f"Z{_zipf(rng, ZONES, 0.9)}" for _ in range(hops))
    tags = "|".join(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3))))
    version = f"{rng.choice((2, 3, 3, 4))}.{rng.randrange(15)}.{rng.randrange(4)}"
    if rng.random() < 0.01:
        version = "beta"
    comment = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(6)))
    fields = (
        str(n),
        rng.choice(("V1", "V1", "V2", "V3", "V4")),
        pickup,
        dropoff,
        "" if rng.random() < 0.03 else str(rng.choice((1, 1, 1, 1, 2, 2, 3, 4, 5, 6))),
        repr(distance),
        "" if rng.random() < 0.01 else str(_zipf(rng, ZONES, 0.8)),
        str(1 + rng.randrange(ZONES)),
        str(rng.choice((1, 1, 1, 1, 1, 2, 3, 4, 5, 99))),
        _bool(rng, 0.02),
        rng.choice(PAYMENTS) if rng.random() < 0.97 else "",
        repr(fare),
        repr(extra),
        repr(tax),
        repr(tip),
        repr(tolls),
        _money(rng, 0.0, 1.0, 0.02),
        _money(rng, 0.0, 2.75, 0.1),
        "1.25" if rng.random() < 0.08 else "0.0",
        repr(total) if rng.random() < 0.995 else "",
        "" if rng.random() < 0.005 else str(_zipf(rng, DRIVERS, 0.9)),
        "" if rng.random() < 0.4 else str(1 + min(int(rng.expovariate(0.3)), 4)),
        rng.choice(CITIES),
        _bool(rng, 0.15),
        _bool(rng, 0.05),
        f"RIDE{rng.randrange(30)}" if rng.random() < 0.2 else "",
        rng.choice(WEATHER),
        f"{rng.uniform(-15, 35):.1f}",
        str(int(rng.expovariate(1 / 240))),
        route,
        tags,
        version,
        rng.choice(("ios", "android", "web")),
        f"{40.5 + rng.random() * 0.4:.6f}",
        f"{-74.2 + rng.random() * 0.5:.6f}",
        comment,
    )
    return ",".join(fields) + "\n"


def _driver_line(rng: random.Random, driver: int) -> str:
    obj = {
        "driver_id": driver,
        "name": f"Driver {driver}",
        "since": f"20{rng.randrange(10, 24)}-{1 + rng.randrange(12):02d}-01",
        "car": {
            "make": rng.choice(MAKES),
            "model": f"M{rng.randrange(9)}",
            "year": rng.randrange(2008, 2025) if rng.random() < 0.95 else None,
        },
        "langs": [{"l": lang} for lang in rng.sample(LANGS, 1 + min(int(rng.expovariate(1)), 3))],
        "score": None if rng.random() < 0.1 else round(rng.uniform(3.0, 5.0), 2),
    }
    return json.dumps(obj) + "\n"


def generate_trips(directory: str | os.PathLike, rows: int, seed: int = 1) -> Path:
    """Write the files of `FILES` under ``directory`` (kept when ``MANIFEST.trips`` has the
    same rows and seed)."""
    out = Path(directory)
    manifest = out / "MANIFEST.trips"
    wanted = {"rows": rows, "seed": seed, "files": list(FILES)}
    if up_to_date(out, manifest, wanted, FILES):
        return out
    rng = random.Random(f"trips-{seed}")
    write_lines(out / "trips.csv", (_trip_row(rng, n) for n in range(1, rows + 1)))
    rng = random.Random(f"zones-{seed}")
    write_lines(
        out / "zones.csv",
        (
            f"{z},{rng.choice(BOROUGHS)},Zone {z},{rng.choice(('Boro Zone', 'Yellow Zone'))}\n"
            if z < ZONES - 1
            else f"{z},Unknown,NV,\n"
            for z in range(1, ZONES + 1)
        ),
    )
    rng = random.Random(f"drivers-{seed}")
    write_lines(
        out / "drivers.json",
        (_driver_line(rng, d) for d in range(1, DRIVERS + 1) if rng.random() < 0.9),
    )
    manifest.write_text(json.dumps(wanted))
    return out
