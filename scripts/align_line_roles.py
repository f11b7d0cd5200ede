#!/usr/bin/env python3
"""Label every line of labelled pages with its role, for training the line labeler.

Usage: align_line_roles.py GOLD_DIR PAGES_DIR [GOLD_DIR PAGES_DIR ...] > lines.jsonl

For each GOLD_DIR/NAME.json with its page (PAGES_DIR/<gold "page">), reads the
page the way newsdesk's `lines` pass does (line ends normalised, a form feed a
page break, lines trimmed of white space including U+3000, empty lines
skipped) and finds each line's text in the gold articles. A line gets the role
of the gold element most of its characters come from: `column`, `kicker`,
`title`, `subtitle`, `body` or `subhead` (a body paragraph), `caption` or
`credit`; `dateline` when it opens with the article's dateline, `brief` when
it opens a news-in-brief item with a bullet. A line that continues an element
begun on an earlier line (its text does not start at the element's first
character) gets the role with a `+` (`title+`, `body+`, …). Lines the gold
does not hold are `byline` when they name the article's people, `jump` for
`（下转第8版）` / `（上接第7版）`, `credit` for a bare photographer credit, and
`furniture` otherwise.

Writes one JSON object a page: {"page": path, "lines": [text…], "labels":
[label…], "covered": share of characters found}. Pages where little was
found are reported on stderr. Standard library only; nothing it writes
belongs in the repository.
"""
import json
import os
import re
import sys

SPACE = re.compile(r"\s+")
FOLD = str.maketrans("，；：（）！？【】", ",;:()!?[]")
BULLETS = "◆◇■▲△●★☆▶►"  # news-in-brief bullets (newsdesk's cues.rs BULLETS)
WEB_BULLETS = "•·・◎○"
NUMBERED = re.compile(r"^(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、)")
JUMP = re.compile(r"^[（(](?:下转|上接|转|接)第?.{1,4}版[）)]$")
ROLE_WORDS = ["本报记者", "本报通讯员", "特约记者", "见习记者", "实习记者", "首席记者", "记者", "通讯员",
              "实习生", "摄影", "作者", "文/", "文／", "本报", "报道", "摄", "图/", "供图"]
# Marks a renderer or a paper adds around an element's text.
LAYOUT = set(BULLETS + WEB_BULLETS + "□—-()[]《》\"'“”·:・")
# A match this short is too ambiguous to place a line on its own.
MIN_SEGMENT = 4


def norm(s):
    return SPACE.sub("", s or "").translate(FOLD)


def decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_lines(text):
    """The non-empty trimmed lines, as newsdesk's `lines` pass reads them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    out = []
    for raw in text.split("\n"):
        if raw == "\f":
            continue
        t = raw.strip()
        if t:
            out.append(t)
    return out


class Elements:
    """The gold's printed elements, their normalised texts joined for searching."""

    def __init__(self, articles):
        self.items = []  # (article, role, text)
        self.kinds = [a.get("kind") for a in articles]
        for k, a in enumerate(articles):
            subheads = set(norm(s) for s in a.get("subheads") or [])
            for role in ("column", "kicker", "title", "subtitle", "dateline"):
                if a.get(role):
                    self.items.append((k, role, norm(a[role])))
            for p in a.get("body") or []:
                n = norm(p)
                self.items.append((k, "subhead" if n in subheads else "body", n))
            for c in a.get("captions") or []:
                if c.get("text"):
                    self.items.append((k, "caption", norm(c["text"])))
                if c.get("credit"):
                    self.items.append((k, "credit", norm(c["credit"])))
        self.items = [x for x in self.items if x[2]]
        self.starts = []
        parts = []
        pos = 0
        for _, _, t in self.items:
            self.starts.append(pos)
            parts.append(t)
            pos += len(t) + 1
        self.joined = "\x00".join(parts)
        self.people = []
        for a in articles:
            b = a.get("byline") or {}
            names = set()
            for role in ("reporters", "correspondents", "authors", "photographers"):
                names.update(norm(n) for n in b.get(role) or [] if norm(n))
            for alt in a.get("authors_alt") or []:
                names.update(norm(n) for n in alt if norm(n))
            self.people.append(names)

    def locate(self, pos):
        """(element index, offset) of a position in the joined text."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo, pos - self.starts[lo]

    def occurrences(self, s):
        out, i = [], self.joined.find(s)
        while i >= 0:
            out.append(self.locate(i))
            i = self.joined.find(s, i + 1)
        return out


class Aligner:
    def __init__(self, els):
        self.els = els
        self.expect = {}  # element -> offset where its text goes on
        self.covered = [set() for _ in els.items]
        self.article = None
        self.last_text_open_bracket = False

    def choose(self, s, cands, first):
        def rank(c):
            e, off = c
            score = 0
            if self.expect.get(e) == off:
                score += 100
            if off == 0 and not self.covered[e]:
                score += 40
            if self.article is not None and self.els.items[e][0] == self.article:
                score += 10
            if not any(o in self.covered[e] for o in range(off, off + len(s))):
                score += 5
            return -score
        return min(cands, key=rank)

    def segments(self, s):
        """Greedy longest matches of the line's text in the gold elements.

        The line may first go on where an element stopped (the rest of a
        paragraph, however short: `法。`); what follows is matched greedily.
        """
        segs, pos, unmatched = [], 0, 0
        best = None
        for e, off in self.expect.items():
            t = self.els.items[e][2]
            k = 0
            while k < len(s) and off + k < len(t) and t[off + k] == s[k]:
                k += 1
            if k and (best is None or k > best[2]):
                best = (e, off, k)
        # an end byline after the paragraph's last words: `说。（记者 张三）`
        def bracketed(rest):
            return rest.startswith("(") and rest.endswith(")")
        if best and (best[2] == len(s) or best[2] > MIN_SEGMENT or bracketed(s[best[2]:])):
            e, off, k = best
            segs.append((e, off, off + k, 0))
            pos = k
        else:
            # a dateline opening the line, however short (`本报讯`), maybe in brackets
            lead = s.lstrip("[【")
            for e, (_, role, t) in enumerate(self.els.items):
                if role == "dateline" and lead.startswith(t):
                    pos = len(s) - len(lead) + len(t)
                    segs.append((e, 0, len(t), len(s) - len(lead)))
                    break
        while pos < len(s):
            lo, hi = 0, len(s) - pos
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if s[pos:pos + mid] in self.els.joined:
                    lo = mid
                else:
                    hi = mid - 1
            if lo < MIN_SEGMENT and not (lo > 0 and lo == len(s) - pos and pos == 0):
                pos += 1
                unmatched += 1
                continue
            piece = s[pos:pos + lo]
            e, off = self.choose(piece, self.els.occurrences(piece), pos == 0)
            segs.append((e, off, off + lo, pos))
            pos += lo
        return segs, unmatched

    def label(self, line):
        s = norm(line)
        segs, unmatched = self.segments(s)
        covered = sum(b - a for _, a, b, _ in segs)
        # a line opening with the article's dateline opens its first paragraph,
        # however much of it is the byline in brackets
        if segs and self.els.items[segs[0][0]][1] == "dateline" and segs[0][1] == 0 and segs[0][3] <= 1 and len(segs) > 1:
            for e, a, b, _ in segs:
                self.covered[e].update(range(a, b))
                self.expect[e] = b
            self.article = self.els.items[segs[0][0]][0]
            return "dateline", covered
        # a line going on with the text above (`说。（记者 张三）`) is that text
        going_on = (bool(segs) and segs[0][3] == 0 and segs[0][1] > 0 and self.expect.get(segs[0][0]) == segs[0][1]
                    and s[segs[0][2] - segs[0][1]:].startswith("(") and s.endswith(")"))
        if not segs or (covered * 2 < len(s) and not going_on):
            return self.unplaced(line, s), 0
        by_elem = {}
        for e, a, b, _ in segs:
            by_elem[e] = by_elem.get(e, 0) + (b - a)
        # one element must hold most of the line, or pieces of several
        # (a headline and its column) almost all of it: a date here and a
        # number there are a line the gold does not have
        if max(by_elem.values()) * 2 < len(s) and covered * 3 < len(s) * 2 and not going_on:
            return self.unplaced(line, s), 0
        for e, a, b, _ in segs:
            self.covered[e].update(range(a, b))
            self.expect[e] = b
        main = max(by_elem, key=lambda e: by_elem[e])
        art, role, text = self.els.items[main]
        self.article = art
        first_e, first_off, _, first_pos = segs[0]
        first_role = self.els.items[first_e][1]
        lead = line.lstrip()
        start = min(a for e, a, b, _ in segs if e == main)
        # text before the first match that is not a layout mark: the end of
        # something begun on the line above (a dateline's byline, a word)
        carried = any(ch not in LAYOUT for ch in NUMBERED.sub("", s[:first_pos].lstrip("[【")))
        if first_role == "dateline" and first_off == 0 and not carried:
            return "dateline", covered
        if lead[:1] in BULLETS and role in ("body", "title") and not carried:
            return "brief", covered
        # a numbered item of a news-in-brief block (`1.县人社局……`)
        if NUMBERED.match(lead) and role in ("body", "title") and not carried and start == 0 \
                and self.els.kinds[art] == "brief":
            return "brief", covered
        cont = start > 0 or carried
        roles_here = [self.els.items[e][1] for e, _, _, _ in segs]
        if "caption" in roles_here and "credit" in roles_here:
            # a caption's (last) line with its credit on it
            if first_role == "caption":
                return ("caption+" if first_off > 0 or carried else "caption"), covered
            return "credit", covered
        if role in ("credit", "dateline"):
            return role, covered
        if cont and role in ("body", "title") and first_role == "dateline":
            return "body+", covered
        return (role + "+" if cont else role), covered

    def unplaced(self, line, s):
        if JUMP.match(line.strip()):
            return "jump"
        # `记者 张三）` closing a bracket the paragraph above opened: the
        # paragraph's end, which the splitter reads the byline from
        if s.endswith(")") and "(" not in s and self.last_text_open_bracket:
            return "body+"
        arts = [self.article] if self.article is not None else []
        arts += [k for k in range(len(self.els.people)) if k not in arts]
        for k in arts:
            names = [n for n in self.els.people[k] if n and n in s]
            if not names:
                continue
            rest = s
            for n in sorted(names, key=len, reverse=True):
                rest = rest.replace(n, "")
            for w in ROLE_WORDS:
                rest = rest.replace(norm(w), "")
            rest = re.sub(r"[()\[\]:、,/□·.\-—《》]", "", rest)
            # what is left may be the organisation (四川日报) or the author's
            # office (全国政协委员、国家图书馆馆长) before the names
            ends_with_names = any(s.endswith(n) for n in names)
            if len(rest) <= 2 or (len(rest) <= 24 and ends_with_names and not re.search(r"[。！？!?]", line)):
                if s.endswith("摄") or s.endswith("摄影") or re.search(r"摄\(|供图$", s):
                    return "credit"
                return "byline"
        return "furniture"


def align_page(gold, text):
    els = Elements(gold.get("articles") or [])
    al = Aligner(els)
    lines = read_lines(text)
    labels, found = [], 0
    prev = None
    for ln in lines:
        lab, cov = al.label(ln)
        if lab in ("body", "body+", "dateline", "brief"):
            al.last_text_open_bracket = ln.count("（") + ln.count("(") > ln.count("）") + ln.count(")")
        # a byline wrapped over lines is one byline
        if lab == "byline" and prev in ("byline", "byline+"):
            lab = "byline+"
        labels.append(lab)
        found += cov
        prev = lab
    total = sum(len(norm(x)) for x in lines) or 1
    return lines, labels, found / total


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__.split("\n\n")[1])
    for gdir, pdir in zip(args[::2], args[1::2]):
        for name in sorted(os.listdir(gdir)):
            if not name.endswith(".json"):
                continue
            gold = json.load(open(os.path.join(gdir, name), encoding="utf-8"))
            path = os.path.join(pdir, gold.get("page") or name[:-5] + ".txt")
            text = decode(open(path, "rb").read())
            lines, labels, covered = align_page(gold, text)
            if covered < 0.8:
                sys.stderr.write("%s: only %.0f%% of the text found in the gold\n" % (path, 100 * covered))
            print(json.dumps(dict(page=path, lines=lines, labels=labels, covered=round(covered, 3)),
                             ensure_ascii=False))


if __name__ == "__main__":
    main()
