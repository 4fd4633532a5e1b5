"""The tables of ``scripts/bench_pigshapes.py``: data shaped like what users bring to Pig.

Owns: writing (or reusing) eight files under one directory, deterministically from a seed:

- ``sales.csv``: ``rows`` orders, 32 comma-separated columns (``SALES`` below: ids, a
  timestamp text, region/country/city/category texts, ints and doubles with empty fields
  (= null) and a few bad ones (``n/a``, ``N/A``: null with a warning in Pig; ``3.0`` in an int
  column: 3, as Pig's Utf8StorageConverter reads it), customer names with stray spaces,
  emails, a SKU code (2% malformed), free-text notes of 0-8 words (some with parentheses or
  ``*``, which TOKENIZE splits on). No value holds a comma or a quote.
- ``access.log``: ``rows`` tab-separated web log lines: ISO timestamp, ip (Zipf over 3000),
  method, url (products with and without a query string, search, cart, static files), status,
  bytes (``-`` for a 304: null with a warning), user id (``-`` for 40%: null), user agent
  (spaces, parentheses, semicolons), referrer.
- ``stores.csv`` (380 stores; sales name ids 1..400, so 20 ids miss), ``targets.csv`` (a
  target per store and month, ~10% missing) and ``promos.csv`` (40 of the 50 promo codes).
- ``events.json``: ``rows`` JSON objects, one a line, every field present and in the order of
  the schema ``user:long, event:chararray, ts:chararray, props:map[], amount:double`` (Pig's
  JsonLoader reads the fields by position): ``user`` null for 30%, ``props`` a flat object of
  1-4 keys (``page``, ``country``, ``ms`` a JSON number, ``ab`` a JSON null), ``amount`` null
  unless the event is a purchase.
- ``profiles.tsv``: one line per user id 1..60000 (10% skipped): ``user_id``, a signup date,
  and a PigStorage map ``[plan#gold,age#34,lang#en]`` whose keys vary (some ``[]``, some ages
  ``unknown``: null when cast to int).
- ``buckets.csv``: five response-size buckets ``name,lo,hi`` (a table to CROSS with).

Must not touch: Pig or the benchmark's queries. Reuse: a ``MANIFEST`` file holds the rows and
seed; the same values keep the files as they are.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

SALES = (
    "order_id:long, order_ts:chararray, year:int, month:int, region:chararray, "
    "country:chararray, city:chararray, store_id:int, product_id:int, category:chararray, "
    "subcategory:chararray, customer_id:long, customer_name:chararray, email:chararray, "
    "quantity:int, unit_price:double, discount:double, tax_rate:double, shipping:double, "
    "total:double, payment:chararray, channel:chararray, status:chararray, rating:int, "
    "returns:int, weight_kg:double, promo_code:chararray, device:chararray, session_sec:int, "
    "is_member:int, sku:chararray, notes:chararray"
)
LOGS = (
    "ts:chararray, ip:chararray, method:chararray, url:chararray, status:int, bytes:long, "
    "user_id:long, agent:chararray, referrer:chararray"
)
FILES = (
    "sales.csv", "access.log", "stores.csv", "targets.csv", "promos.csv", "events.json",
    "profiles.tsv", "buckets.csv",
)  # fmt: skip

REGIONS = ("North", "South", "East", "West", "Central", "Export")
COUNTRIES = tuple(
    [
        "US",
        "GB",
        "DE",
        "FR",
        "IT",
        "ES",
        "NL",
        "BE",
        "SE",
        "NO",
        "DK",
        "FI",
        "PL",
        "CZ",
        "AT",
        "CH",
        "IE",
        "PT",
        "GR",
        "HU",
        "RO",
        "BG",
        "CA",
        "AU",
        "NZ",
    ]
)
CATEGORIES = (
    "Books", "Music", "Video", "Games", "Toys", "Garden", "Kitchen", "Tools", "Sports",
    "Outdoor", "Beauty", "Health", "Baby", "Pets", "Office", "Auto", "Grocery", "Fashion",
)  # fmt: skip
FIRST = ("Ann", "Bob", "Carla", "Dev", "Eve", "Farid", "Gina", "Hugo", "Ines", "Jon", "Kai")
LAST = ("Lee", "Smith", "Okafor", "Novak", "Garcia", "Tanaka", "Muller", "Rossi", "Khan")
WORDS = [
    "fast",
    "delivery",
    "great",
    "product",
    "broken",
    "box",
    "late",
    "again",
    "gift",
    "wrap",
    "please",
    "call",
    "before",
    "(urgent)",
    "leave",
    "at",
    "door",
    "x*2",
    "fragile",
    "handle",
    "with",
    "care",
    "thanks",
    "return",
    "requested",
    "size",
    "too",
    "small",
    "colour",
    "not",
    "as",
    "shown",
    "excellent",
    "value",
    "would",
    "buy",
    "repeat",
    "customer",
    "damaged",
    "missing",
    "parts",
    "refund",
    "ok",
    "(gift)",
    "note*",
]
AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_5) AppleWebKit/605.1.15 Version/16.6 Safari",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/119.0 Mobile Safari/537.36",
    "curl/8.4.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "python-requests/2.31.0",
)
STATUSES = ("shipped", "delivered", "returned", "cancelled", "pending")


def _maybe(rng: random.Random, p_empty: float, text: str) -> str:
    return "" if rng.random() < p_empty else text


def _sales_row(rng: random.Random, n: int) -> str:
    year = 2021 + rng.randrange(4)
    month = 1 + rng.randrange(12)
    ts = (
        f"{year}-{month:02d}-{1 + rng.randrange(28):02d} "
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    )
    c = rng.randrange(len(COUNTRIES))
    country = COUNTRIES[c]
    city = f"{country.title()}city{rng.randrange(12)}"
    cat = rng.randrange(len(CATEGORIES))
    customer = rng.randrange(1, 40_001)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = rng.choice(("", " ", "  ")) + f"{first} {last}" + rng.choice(("", "", " "))
    email = _maybe(rng, 0.1, f"{first.lower()}.{last.lower()}{customer % 100}@example.com")
    quantity = 1 + min(int(rng.expovariate(0.4)), 19)
    price = round(rng.uniform(0.5, 500.0), 2)
    discount = round(rng.uniform(0.05, 0.5), 2) if rng.random() < 0.4 else None
    tax = round(rng.uniform(0.0, 0.25), 2)
    shipping = 0.0 if rng.random() < 0.3 else round(rng.uniform(1.0, 30.0), 2)
    total = round(quantity * price * (1 - (discount or 0.0)) * (1 + tax) + shipping, 2)
    r = rng.random()
    qty_text = "n/a" if r < 0.001 else f"{quantity}.0" if r < 0.002 else str(quantity)
    r = rng.random()
    price_text = "N/A" if r < 0.0005 else "" if r < 0.01 else repr(price)
    sku = (
        f"{chr(65 + cat)}{chr(65 + c % 26)}-{rng.randrange(10_000):04d}-{rng.choice('XYZ')}"
        if rng.random() < 0.98
        else f"{chr(97 + cat)}{rng.randrange(10_000)}"
    )
    notes = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(9)))
    fields = (
        str(n),
        ts,
        str(year),
        str(month),
        REGIONS[c % len(REGIONS)] if rng.random() < 0.9 else rng.choice(REGIONS),
        country,
        city,
        str(1 + rng.randrange(400)),
        str(1 + rng.randrange(5000)),
        CATEGORIES[cat],
        f"{CATEGORIES[cat]}-{rng.randrange(6)}",
        _maybe(rng, 0.01, str(customer)),
        name,
        email,
        _maybe(rng, 0.02, qty_text),
        price_text,
        "" if discount is None else repr(discount),
        repr(tax),
        _maybe(rng, 0.05, repr(shipping)),
        _maybe(rng, 0.005, repr(total)),
        _maybe(rng, 0.01, rng.choice(("card", "card", "cash", "paypal", "voucher"))),
        rng.choice(("web", "web", "store", "phone", "app")),
        rng.choice(STATUSES),
        _maybe(rng, 0.5, str(1 + rng.randrange(5))),
        str(rng.choice((0, 0, 0, 0, 1, 2))),
        repr(round(rng.uniform(0.05, 25.0), 3)),
        f"PROMO{rng.randrange(50)}" if rng.random() < 0.3 else "",
        rng.choice(("ios", "android", "desktop", "")),
        str(rng.randrange(5, 3600)),
        str(rng.randrange(2)),
        sku,
        notes,
    )
    return ",".join(fields) + "\n"


def _log_line(rng: random.Random, ips: list[str]) -> str:
    ts = (
        f"2024-{1 + rng.randrange(3):02d}-{1 + rng.randrange(28):02d}T"
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    )
    ip = ips[min(int(rng.paretovariate(1.2)) - 1, len(ips) - 1)]
    r = rng.random()
    if r < 0.45:
        url = f"/products/{1 + rng.randrange(5000)}"
        q = rng.random()
        if q < 0.3:
            url += f"?ref={rng.choice(('mail', 'ad', 'home'))}"
        elif q < 0.45:
            url += f"?utm_source={rng.choice(('news', 'social'))}&x=1"
    elif r < 0.6:
        url = f"/search?q={rng.choice(WORDS).strip('()*')}"
    elif r < 0.7:
        url = "/cart"
    elif r < 0.8:
        url = f"/category/{rng.choice(CATEGORIES).lower()}/page/{1 + rng.randrange(5)}"
    else:
        url = f"/static/{rng.choice(('app.js', 'style.css', 'logo.png'))}"
    status = rng.choice((200, 200, 200, 200, 200, 200, 301, 304, 404, 500))
    size = "-" if status == 304 else str(rng.randrange(200, 200_000))
    user = "-" if rng.random() < 0.4 else str(rng.randrange(1, 60_001))
    referrer = rng.choice(("-", "-", "https://www.google.com/search?q=shop", "https://t.co/x"))
    method = rng.choice(("GET",) * 8 + ("POST", "HEAD"))
    return (
        "\t".join((ts, ip, method, url, str(status), size, user, rng.choice(AGENTS), referrer))
        + "\n"
    )


def _event_line(rng: random.Random) -> str:
    event = rng.choice(("view", "view", "view", "click", "click", "purchase", "signup"))
    props: dict[str, object] = {}
    for key in rng.sample(("page", "country", "ms", "ab"), 1 + rng.randrange(4)):
        if key == "page":
            props[key] = rng.choice(("/", "/cart", "/search")) + (
                f"/products/{1 + rng.randrange(500)}" if rng.random() < 0.5 else ""
            )
        elif key == "country":
            props[key] = rng.choice(COUNTRIES[:8])
        elif key == "ms":
            props[key] = rng.randrange(5, 5000)
        else:
            props[key] = None
    obj = {
        "user": None if rng.random() < 0.3 else rng.randrange(1, 20_001),
        "event": event,
        "ts": f"2024-{1 + rng.randrange(6):02d}-{1 + rng.randrange(28):02d}T"
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}",
        "props": props,
        "amount": round(rng.uniform(1.0, 300.0), 2) if event == "purchase" else None,
    }
    return json.dumps(obj) + "\n"


def _profile_line(rng: random.Random, user: int) -> str:
    attrs = []
    if rng.random() < 0.8:
        attrs.append(f"plan#{rng.choice(('free', 'free', 'basic', 'gold'))}")
    r = rng.random()
    if r < 0.7:
        attrs.append(f"age#{rng.randrange(16, 80)}")
    elif r < 0.75:
        attrs.append("age#unknown")
    if rng.random() < 0.5:
        attrs.append(f"lang#{rng.choice(('en', 'de', 'fr', 'es'))}")
    signup = f"20{rng.randrange(15, 24)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
    return f"{user}\t{signup}\t[{','.join(attrs)}]\n"


def write_lines(path: Path, lines) -> None:
    """Write `lines` to `path` through a temporary file renamed into place."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(lines)
    os.replace(tmp, path)


def up_to_date(out: Path, manifest: Path, wanted: dict, files) -> bool:
    """Whether `files` all exist under `out` and `manifest` records `wanted`; if not, the
    manifest is removed (written again once the files are)."""
    complete = manifest.exists() and all((out / f).exists() for f in files)
    if complete and json.loads(manifest.read_text()) == wanted:
        return True
    out.mkdir(parents=True, exist_ok=True)
    manifest.unlink(missing_ok=True)
    return False


def generate(directory: str | os.PathLike, rows: int, seed: int = 1) -> Path:
    """Write the eight files under ``directory`` (kept when its MANIFEST has the same rows and
    seed); returns the directory."""
    out = Path(directory)
    manifest = out / "MANIFEST"
    wanted = {"rows": rows, "seed": seed, "files": list(FILES)}
    if up_to_date(out, manifest, wanted, FILES):
        return out
    rng = random.Random(f"sales-{seed}")
    write_lines(out / "sales.csv", (_sales_row(rng, n) for n in range(1, rows + 1)))
    rng = random.Random(f"logs-{seed}")
    ips = [
        f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(3000)
    ]
    write_lines(out / "access.log", (_log_line(rng, ips) for _ in range(rows)))
    rng = random.Random(f"stores-{seed}")
    write_lines(
        out / "stores.csv",
        (
            f"{s},Store {s},{rng.choice(REGIONS)},{rng.choice(FIRST)} {rng.choice(LAST)},"
            f"{rng.randrange(1990, 2021)},{rng.randrange(200, 5000)}\n"
            for s in range(1, 381)
        ),
    )
    rng = random.Random(f"targets-{seed}")
    write_lines(
        out / "targets.csv",
        (
            f"{s},{m},{round(rng.uniform(2000.0, 20000.0), 2)!r}\n"
            for s in range(1, 401)
            for m in range(1, 13)
            if rng.random() < 0.9
        ),
    )
    rng = random.Random(f"promos-{seed}")
    write_lines(
        out / "promos.csv",
        (
            f"PROMO{p},Promotion number {p},{round(rng.uniform(0.05, 0.3), 2)!r}\n"
            for p in range(40)
        ),
    )
    rng = random.Random(f"events-{seed}")
    write_lines(out / "events.json", (_event_line(rng) for _ in range(rows)))
    rng = random.Random(f"profiles-{seed}")
    write_lines(
        out / "profiles.tsv",
        (_profile_line(rng, u) for u in range(1, 60_001) if rng.random() < 0.9),
    )
    write_lines(
        out / "buckets.csv",
        (
            f"{name},{lo},{hi}\n"
            for name, lo, hi in (
                ("tiny", 0, 1000), ("small", 1000, 10000), ("medium", 10000, 50000),
                ("large", 50000, 150000), ("huge", 150000, 1000000000),
            )
        ),
    )  # fmt: skip
    manifest.write_text(json.dumps(wanted))
    return out
