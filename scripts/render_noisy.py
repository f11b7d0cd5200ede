#!/usr/bin/env python3
"""Render page dumps the way other extractors and papers would produce them.

For each page in --pages with a gold file in --gold, writes variants to --out
(pages/ and gold/ with the same article labels), so score.py can measure how
newsdesk generalises beyond the exact dumps it was built on:

  wrap       hard-wrapped like `pdftotext` without -layout: body paragraphs cut
             into lines of one column width, no blank line between paragraphs,
             a blank line at each column end (mid-sentence)
  furniture  page header/footer lines and e-paper navigation added
  indent     paragraphs marked by full-width indentation, no blank lines
  crlf_gbk   CRLF line ends, encoded as GB18030
  twopage    the page cut in two by a form feed with jump lines mid-article

Standard library only. Nothing it writes belongs in the repository.
"""
import argparse
import json
import os
import random


def is_final(line):
    s = line.rstrip("”’」』）)\"'")
    return bool(s) and s[-1] in "。！？!?…；;"


def wrap_para(text, width):
    return [text[i:i + width] for i in range(0, len(text), width)]


def render_wrap(lines, rng, width=20):
    out = []
    since_col = 0
    col_len = rng.randint(25, 40)
    for line in lines:
        if not line.strip():
            continue
        long_body = len(line) > 40 or (is_final(line) and len(line) > width)
        if long_body:
            for piece in wrap_para(line, width):
                out.append(piece)
                since_col += 1
                if since_col >= col_len:
                    out.append("")
                    since_col = 0
                    col_len = rng.randint(25, 40)
        else:
            out.append("")
            out.append(line)
            out.append("")
    return "\n".join(out) + "\n"


def render_furniture(text, rng):
    head = ["运城日报", "2025年5月6日 星期二", "第3版", "综合新闻", "责任编辑：张  伟   版式设计：王  芳"]
    foot = ["上一版", "下一版", "本期共8版"]
    return "\n\n".join(head) + "\n\n" + text + "\n\n" + "\n".join(foot) + "\n"


def render_indent(lines):
    return "\n".join("\u3000\u3000" + l.strip() for l in lines if l.strip()) + "\n"


def render_twopage(lines, rng):
    body = [i for i, l in enumerate(lines) if len(l) > 60]
    if len(body) < 6:
        return None
    i = body[len(body) // 2]
    l = lines[i]
    cut = len(l) // 2
    first = lines[:i] + [l[:cut], "", "（下转第8版）"]
    second = ["（上接第3版）", "", l[cut:]] + lines[i + 1:]
    return "\n".join(first) + "\n\f\n" + "\n".join(second) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "pages"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "gold"), exist_ok=True)
    for name in sorted(os.listdir(a.gold)):
        if not name.endswith(".json"):
            continue
        gold = json.load(open(os.path.join(a.gold, name), encoding="utf-8"))
        page = gold.get("page") or name[:-5] + ".txt"
        text = open(os.path.join(a.pages, page), encoding="utf-8").read()
        lines = text.split("\n")
        variants = {
            "wrap": render_wrap(lines, rng).encode("utf-8"),
            "furniture": render_furniture(text, rng).encode("utf-8"),
            "indent": render_indent(lines).encode("utf-8"),
            "crlf_gbk": text.replace("\n", "\r\n").encode("gb18030"),
        }
        tp = render_twopage(lines, rng)
        if tp:
            variants["twopage"] = tp.encode("utf-8")
        for kind, data in variants.items():
            vname = f"{name[:-5]}__{kind}"
            with open(os.path.join(a.out, "pages", vname + ".txt"), "wb") as f:
                f.write(data)
            g = dict(gold)
            g["page"] = vname + ".txt"
            with open(os.path.join(a.out, "gold", vname + ".json"), "w", encoding="utf-8") as f:
                json.dump(g, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
