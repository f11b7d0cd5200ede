#!/usr/bin/env python3
"""Copy labelled pages with their blank lines removed: a dump without blank
lines between paragraphs (what some extractors write).

Usage: tighten_pages.py GOLD_DIR PAGES_DIR OUT_DIR

Writes OUT_DIR/gold/NAME~t.json (the gold, page renamed) and
OUT_DIR/pages/NAME~t.txt for every gold page that has blank lines.
Standard library only; training material, not for the repository.
"""
import json
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    gdir, pdir, odir = sys.argv[1:]
    os.makedirs(os.path.join(odir, "gold"), exist_ok=True)
    os.makedirs(os.path.join(odir, "pages"), exist_ok=True)
    for name in sorted(os.listdir(gdir)):
        if not name.endswith(".json"):
            continue
        gold = json.load(open(os.path.join(gdir, name), encoding="utf-8"))
        page = gold.get("page") or name[:-5] + ".txt"
        raw = open(os.path.join(pdir, page), "rb").read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")
        lines = text.replace("\r\n", "\n").split("\n")
        if not any(not l.strip() for l in lines[:-1]):
            continue
        stem = name[:-5] + "~t"
        with open(os.path.join(odir, "pages", stem + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(l for l in lines if l.strip()) + "\n")
        with open(os.path.join(odir, "gold", stem + ".json"), "w", encoding="utf-8") as f:
            json.dump(dict(gold, page=stem + ".txt"), f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
