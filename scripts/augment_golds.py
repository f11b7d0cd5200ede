#!/usr/bin/env python3
"""Make labelled pages of rare layouts from the articles of labelled pages.

Usage: augment_golds.py GOLD_DIR OUT_DIR SEED [--pages N]

The labelled pages hold few news-in-brief blocks and photo items, which
county papers print on most pages. From the articles of GOLD_DIR this writes
N new pages (default 24) to OUT_DIR/gold/NAME.json and OUT_DIR/pages/NAME.txt
(the page as a clean dump, one printed element a line, blank lines
between), each mixing, in a random order:

- a news-in-brief block: a label (`要闻简报`, `简讯` …) over three to six
  items, each an article's first paragraph, with a `◆` bullet, sometimes its
  headline and a `本报讯` dateline;
- a photo item: a short text and a captioned, credited picture, no headline;
- one or two articles as they are, or without their byline, or with a
  `本报讯` dateline instead;

and on some pages the first article is cut mid-sentence by a `（下转第N版）`
line and a page break and goes on after the next article under
`（上接第N版）`.

The gold is made together with the text, so the labels are exact. The pages
can then be typeset (pdfrender.py) and rendered (render.py) like any other.
Standard library only; what it writes is training material, not for the
repository.
"""
import json
import os
import random
import re
import sys

BRIEF_LABELS = ["要闻简报", "简讯", "本地短讯", "新闻速递", "综合简讯", "一周要闻", "县域短波", "工作动态"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董"
GIVEN = "洋倩瑾娜伟芳敏静丽强磊军杰涛明超秀英华玲平刚桂兰霞鹏宇浩凯琳"
BULLETS = ["◆", "◆", "■", "▲", "●", "△", "1."]
LABELS = ["史海钩沉", "廉洁史话", "记者手记", "乡村行", "百姓故事", "文化周末", "一线见闻", "民生关注", "身边榜样"]
OFFICES = ["县政协委员、县图书馆馆长", "市社会科学院研究员", "省作家协会会员", "县委党校教授",
           "市文物局原局长", "全国人大代表、村党支部书记", "省农科院专家", "县融媒体中心主任"]
# a brief item's text is one paragraph cut to a sentence or two
BRIEF_MAX_CHARS = 160


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def sentences(p, limit):
    out = ""
    for s in re.findall(r"[^。！？]*[。！？]”?", p):
        if out and len(out) + len(s) > limit:
            break
        out += s
    return out or p[:limit]


def blank_article(**kw):
    a = dict(kind="news", title=None, subtitle=None, kicker=None, column=None, dateline=None,
             byline=dict(reporters=[], correspondents=[], authors=[], photographers=[]),
             body=[], subheads=[], captions=[], regions=None, topics=None)
    a.update(kw)
    return a


def brief_block(pool, rng):
    label = rng.choice(BRIEF_LABELS)
    bullet = rng.choice(BULLETS)
    items, lines = [], [label, ""]
    for k, src in enumerate(rng.sample(pool, rng.randint(3, 6))):
        mark = "%d." % (k + 1) if bullet == "1." else bullet
        text = sentences(src["body"][0], BRIEF_MAX_CHARS)
        titled = rng.random() < 0.5 and src.get("title")
        dated = rng.random() < 0.5
        reporter = name(rng) if dated and rng.random() < 0.4 else None
        a = blank_article(kind="brief", column=label, body=[text],
                          title=src["title"] if titled else None,
                          dateline="本报讯" if dated else None)
        if reporter:
            a["byline"]["reporters"] = [reporter]
        lead = ("本报讯（记者 %s）" % reporter if reporter else "本报讯 ") if dated else ""
        if titled and rng.random() < 0.5:
            lines += [mark + src["title"], "", lead + text, ""]
        elif titled:
            lines += [mark + src["title"] + " " + lead + text, ""]
        else:
            lines += [mark + lead + text, ""]
        items.append(a)
    return items, lines


def photo_item(pool, captions, rng):
    src = rng.choice(pool)
    text = sentences(src["body"][0], 120)
    cap = rng.choice(captions)
    who = name(rng)
    credit = rng.choice(["%s 摄", "%s摄", "本报记者 %s 摄", "（%s 摄）"]) % who
    caption = cap if rng.random() < 0.5 else "图为" + cap.lstrip("图为")
    a = blank_article(kind="photo", body=[text], captions=[dict(text=caption, credit=credit.strip("（）"))])
    a["byline"]["photographers"] = [who]
    if rng.random() < 0.5:
        lines = [text, "", caption + " " + credit.strip("（）"), ""]
    else:
        lines = [text, "", caption, "", credit, ""]
    return [a], lines


def article_lines(a, rng):
    lines = []
    if a.get("label_line") == "above":
        lines += [a["column"], ""]
    if a.get("kicker"):
        lines += [a["kicker"], ""]
    title = a.get("title") or ""
    if a.get("column") and not a.get("label_line"):
        title += "（%s）" % a["column"]
    if title:
        lines += [title, ""]
    if a.get("subtitle"):
        lines += ["——" + a["subtitle"], ""]
    b = a.get("byline") or {}
    if b.get("reporters") and not a.get("dateline"):
        lines += ["本报记者  " + "  ".join(b["reporters"]), ""]
    elif b.get("authors") and a.get("signed") == "office":
        lines += [a.pop("office") + "  " + b["authors"][0], ""]
    a.pop("signed", None)
    caps = list(a.get("captions") or [])
    for i, p in enumerate(a.get("body") or []):
        if i == 0 and a.get("dateline"):
            who = "记者" + "、".join(b.get("reporters") or []) if b.get("reporters") else ""
            p = a["dateline"] + ("（%s）" % who if who else " ") + p
        lines += [p, ""]
        if caps and i == 0:
            c = caps.pop(0)
            lines += [c["text"], ""] + ([c["credit"], ""] if c.get("credit") else [])
    for c in caps:
        lines += [c["text"], ""] + ([c["credit"], ""] if c.get("credit") else [])
    if a.get("label_line") == "after":
        lines += [a["column"], ""]
    a.pop("label_line", None)
    return lines


def jumped(parts, rng):
    """The page's lines with the first long article cut by a page jump."""
    for i, (arts, ls) in enumerate(parts):
        a = arts[0]
        paras = [k for k, l in enumerate(ls) if l and len(l) > 40]
        if len(arts) != 1 or a.get("kind") in ("brief", "photo") or len(paras) < 2 or i + 1 >= len(parts):
            continue
        k = rng.choice(paras[1:])
        text = ls[k]
        cut = rng.randint(10, len(text) - 8)
        page = rng.randint(1, 7)
        head = ls[:k] + [text[:cut], "", "（下转第%d版）" % (page + 1), "\f"]
        rest = ["（上接第%d版）" % page, "", text[cut:], ""] + ls[k + 1:]
        before = [l for _, x in parts[:i] for l in x]
        after = [l for _, x in parts[i + 1:] for l in x]
        return before + head + after + rest
    return None


def main():
    args = sys.argv[1:]
    n = 24
    if "--pages" in args:
        i = args.index("--pages")
        n = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    gdir, odir, seed = args
    pool, whole, captions = [], [], []
    for f in sorted(os.listdir(gdir)):
        if not f.endswith(".json"):
            continue
        g = json.load(open(os.path.join(gdir, f), encoding="utf-8"))
        for a in g.get("articles") or []:
            if a.get("body") and len(a["body"][0]) >= 30 and a.get("kind") != "brief":
                pool.append(a)
            if a.get("title") and a.get("body") and len(a["body"]) <= 8 and not a.get("subheads"):
                whole.append(a)
            captions += [c["text"] for c in a.get("captions") or [] if c.get("text") and len(c["text"]) <= 60]
    if not pool or not captions:
        sys.exit("no articles to make pages from in %s" % gdir)
    os.makedirs(os.path.join(odir, "gold"), exist_ok=True)
    os.makedirs(os.path.join(odir, "pages"), exist_ok=True)
    for k in range(n):
        rng = random.Random("%s:%d" % (seed, k))
        parts = [brief_block(pool, rng), photo_item(pool, captions, rng)]
        for a in rng.sample(whole, rng.randint(1, 2)) if whole else []:
            a = json.loads(json.dumps(a))
            r = rng.random()
            if r < 0.3:  # no byline at all
                a["byline"] = dict(reporters=[], correspondents=[], authors=[], photographers=a["byline"].get("photographers", []))
                a["dateline"] = None
            elif r < 0.5 and not a.get("dateline"):
                a["dateline"] = "本报讯"
            elif r < 0.65:  # an author signing with an office under the headline
                a["byline"] = dict(reporters=[], correspondents=[], authors=[name(rng)], photographers=a["byline"].get("photographers", []))
                a["dateline"] = None
                a["signed"] = "office"
                a["office"] = rng.choice(OFFICES)
            if rng.random() < 0.5:
                # the column label on a line of its own: above the headline,
                # or after a signed column's text (a boxed label at its foot)
                a["column"] = a.get("column") or rng.choice(LABELS)
                signed = bool(a["byline"].get("authors")) and not a["byline"].get("reporters")
                a["label_line"] = "after" if signed and rng.random() < 0.6 else "above"
            ls = article_lines(a, rng)
            if rng.random() < 0.6 and not a["byline"].get("reporters") and not a["byline"].get("authors") and not a.get("dateline"):
                # names at the end, on a line of their own or closing the text
                who = [name(rng) for _ in range(rng.randint(1, 2))]
                a["byline"]["authors"] = who
                sign = "（%s）" % " ".join(who)
                if rng.random() < 0.5:
                    ls = ls[:-1] + [sign, ""] if ls and not ls[-1] else ls + [sign, ""]
                else:
                    last = max((k for k, l in enumerate(ls) if l and l in a["body"]), default=None)
                    if last is None:
                        ls = ls + [sign, ""]
                    else:
                        ls[last] = ls[last] + sign
            parts.append(([a], ls))
        if rng.random() < 0.4:
            parts.append(photo_item(pool, captions, rng))
        rng.shuffle(parts)
        articles, lines = [], []
        for arts, ls in parts:
            articles += arts
            lines += ls
        if rng.random() < 0.35:
            lines = jumped(parts, rng) or lines
        stem = "augment_%s_%02d" % (seed, k)
        gold = dict(page=stem + ".txt", paper="本地日报", home_region=None, articles=articles)
        with open(os.path.join(odir, "gold", stem + ".json"), "w", encoding="utf-8") as f:
            json.dump(gold, f, ensure_ascii=False, indent=1)
        with open(os.path.join(odir, "pages", stem + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines).rstrip() + "\n")


if __name__ == "__main__":
    main()
