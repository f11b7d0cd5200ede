#!/usr/bin/env python3
"""Measures region and topic tagging, on gold-split articles and end to end.

    python3 scripts/measure_tags.py [--shared ../shared] [--extra DIR] [SET...]

Sets (default: all):
  dev        ../shared/gold + pages (their own topic and region gold)
  labels-tune     the hand topic labels we tune on (eval/topic_labels/tune.tsv):
             corpus/tune articles and the extra articles of the same paper
  labels-measure  the hand topic labels we only measure on
             (eval/topic_labels/measure.tsv): corpus/check and extra articles.
             Never change a term, weight or rule because of this set.
  dev-nometa the dev pages end to end without their paper and home region
             (as a publisher that names neither sends them): the home region
             must come from the page itself
  pdf-dev    the dev pages typeset by pdfrender.py (seeds measure-tags-*) and
             extracted with pdftotext, end to end

Each set prints one row per mode: `split` = tagging the gold articles as
split by hand (examples/tag_articles), `e2e` = `parse` on the page, articles
aligned to the gold as ../shared/eval/score.py aligns them. Columns: region
recall / precision (counties, as score.py counts them), topic recall /
precision, and recall of each of the six most subscribed topics (n = gold
articles that must have it). With --misses, every missed or wrong topic.

Labels files reference articles by position, never by text:
  source<TAB>index<TAB>title_sha1_8<TAB>must<TAB>may
where source is `corpus/tune/<page>` or `corpus/check/<page>` (a gold file
under the shared directory) or `extra:<repo>@<commit>:<path>` (an article of
that public repository, looked up in --extra: JSON files with `source`,
`title` and `body`, see eval/topic_labels/README.md). The title hash catches
a label that no longer points at its article.

Env: NEWSDESK_TOPICS_PATH / NEWSDESK_USERDICT_PATH measure edited data
without a rebuild. Needs reportlab and pdftotext for pdf-dev. Not a test.
"""
import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
score = None  # ../shared/eval/score.py, imported in main() from --shared
SIX = ["inspection", "integrity", "governance", "party-building", "government", "safety"]


def title_sha(title):
    return hashlib.sha1((title or "").strip().encode("utf-8")).hexdigest()[:8]


def load_labels(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        source, index, sha, must, may = line.split("\t")[:5]
        split = lambda s: [] if s == "-" else s.split(",")
        rows.append((source, int(index), sha, split(must), split(may)))
    return rows


def load_extra(extra_dir):
    out = {}
    if not extra_dir or not os.path.isdir(extra_dir):
        return out
    for dirpath, _, files in os.walk(extra_dir):
        for f in sorted(files):
            if f.endswith(".json"):
                a = json.load(open(os.path.join(dirpath, f), encoding="utf-8"))
                s = a["source"]
                out[f"extra:{s['repo']}@{s['commit']}:{s['path']}"] = a
    return out


def labelled_articles(labels, shared, extra):
    """(article dict with topics replaced by the label, page gold or None) per label row."""
    out, missing = [], 0
    golds = {}
    for source, index, sha, must, may in labels:
        if source.startswith("extra:"):
            a = extra.get(source)
            if a is None:
                missing += 1
                continue
            art = dict(a)
            gold = None
        else:
            if source not in golds:
                folder, stem = source.rsplit("/", 1)
                golds[source] = json.load(open(os.path.join(shared, folder, "gold", stem + ".json"), encoding="utf-8"))
            gold = golds[source]
            art = dict(gold["articles"][index])
        if title_sha(art.get("title")) != sha:
            sys.exit(f"label {source}#{index}: title hash {title_sha(art.get('title'))} != {sha}; the label no longer points at its article")
        art["topics"] = {"must": must, "may": may}
        art["regions"] = None
        out.append((source, index, art, gold))
    if missing:
        print(f"# {missing} labelled extra articles not found in --extra; measured without them", file=sys.stderr)
    return out


class Tally:
    def __init__(self):
        self.reg = [0, 0, 0]  # tp fn fp
        self.top = [0, 0, 0]
        self.per = collections.defaultdict(lambda: [0, 0])  # slug -> [hit, n]
        self.misses = []

    def add(self, gold_article, pred, where):
        g = gold_article
        if g.get("regions") is not None:
            gc = set(g["regions"]["must"]); ok = gc | set(g["regions"]["may"])
            pc = score.pred_counties(pred) if pred else set()
            self.reg[0] += len(pc & gc); self.reg[1] += len(gc - pc); self.reg[2] += len(pc - ok)
            if pred is not None and (gc - pc or pc - ok):
                self.misses.append(f"{where}  regions missed {sorted(gc - pc)} wrong {sorted(pc - ok)}  [{g.get('title')}]")
        if g.get("topics") is not None:
            gt = set(g["topics"]["must"]); ok = gt | set(g["topics"]["may"])
            pt = score.pred_topics(pred) if pred else set()
            self.top[0] += len(pt & gt); self.top[1] += len(gt - pt); self.top[2] += len(pt - ok)
            for s in gt:
                self.per[s][1] += 1
                self.per[s][0] += s in pt
            if gt - pt or pt - ok:
                self.misses.append(f"{where}  topics missed {sorted(gt - pt)} wrong {sorted(pt - ok)} got {sorted(pt)}  [{g.get('title')}]")

    def row(self):
        r = lambda t: t[0] / (t[0] + t[1]) if t[0] + t[1] else float("nan")
        p = lambda t: t[0] / (t[0] + t[2]) if t[0] + t[2] else float("nan")
        cells = [r(self.reg), p(self.reg), r(self.top), p(self.top)]
        six = []
        for s in SIX:
            hit, n = self.per.get(s, [0, 0])
            six.append(f"{hit / n:.2f}/{n:<3d}" if n else "   -    ")
        return " ".join(f"{c:7.3f}" for c in cells) + "  " + " ".join(f"{x:>9}" for x in six)


def tag_split(items, env):
    """Tags gold articles as split: one output row per item."""
    lines = []
    for _, _, a, gold in items:
        body = list(a.get("body") or [])
        lines.append(json.dumps({
            "title": a.get("title"), "subtitle": a.get("subtitle"), "kicker": a.get("kicker"),
            "dateline": a.get("dateline"), "body": body,
            "paper": (gold or {}).get("paper"), "home_region": (gold or {}).get("home_region"),
        }, ensure_ascii=False))
    exe = os.path.join(ROOT, "target/release/examples/tag_articles")
    r = subprocess.run([exe], input="\n".join(lines), capture_output=True, text=True, env=env, check=True)
    return [json.loads(x) for x in r.stdout.splitlines()]


def parse_pages(gold_dir, pages_dir, env):
    out = tempfile.mkdtemp(prefix="measure-tags-")
    exe = os.path.join(ROOT, "target/release/examples/parse_many")
    subprocess.run([exe, gold_dir, pages_dir, out], env=env, check=True, stdout=subprocess.DEVNULL)
    return out


def e2e(gold_dir, pages_dir, env, relabel=None):
    """End to end over one gold directory; relabel: {(stem, index): article} to score instead."""
    parsed = parse_pages(gold_dir, pages_dir, env)
    t = Tally()
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".json"):
            continue
        stem = name[:-5]
        if relabel is not None and not any(k[0] == stem for k in relabel):
            continue
        gold = json.load(open(os.path.join(gold_dir, name), encoding="utf-8"))
        page = gold.get("page") or stem + ".txt"
        pred = json.load(open(os.path.join(parsed, os.path.splitext(os.path.basename(page))[0] + ".json"), encoding="utf-8"))
        arts = gold["articles"]
        if relabel is not None:
            arts = [relabel.get((stem, i), dict(a, topics=None, regions=None)) for i, a in enumerate(arts)]
        m = score.align(arts, pred)
        for gi, g in enumerate(arts):
            t.add(g, pred[m[gi]] if gi in m else None, f"{stem}#{gi}")
    return t


def split_mode(items, env):
    t = Tally()
    for (source, index, a, _), pred in zip(items, tag_split(items, env)):
        t.add(a, pred, f"{source}#{index}")
    return t


def main():
    global score
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--extra", default=os.path.join(ROOT, "..", "extra_corpus"))
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--variants", type=int, default=2)
    ap.add_argument("sets", nargs="*", default=["dev", "dev-nometa", "labels-tune", "labels-measure", "pdf-dev"])
    a = ap.parse_args()
    shared = a.shared
    # ../shared/eval/score.py's alignment and counting, imported once.
    sys.path.insert(0, os.path.join(shared, "eval"))
    import score  # noqa: E402
    env = dict(os.environ)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "tag_articles", "--example", "parse_many"],
                   cwd=ROOT, check=True)
    extra = load_extra(a.extra)
    print(f"{'set':<16}{'mode':<6}{'reg_r':>7} {'reg_p':>7} {'top_r':>7} {'top_p':>7}  " +
          " ".join(f"{s[:9]:>9}" for s in SIX))
    report = []
    for s in a.sets:
        rows = []
        if s == "dev":
            gold_dir = os.path.join(shared, "gold")
            items = []
            for name in sorted(os.listdir(gold_dir)):
                g = json.load(open(os.path.join(gold_dir, name), encoding="utf-8"))
                items += [(name[:-5], i, art, g) for i, art in enumerate(g["articles"])]
            rows.append(("split", split_mode(items, env)))
            rows.append(("e2e", e2e(gold_dir, os.path.join(shared, "pages"), env)))
        elif s.startswith("labels-"):
            items = labelled_articles(load_labels(os.path.join(ROOT, "eval/topic_labels", s[7:] + ".tsv")), shared, extra)
            rows.append(("split", split_mode(items, env)))
            for folder in ["tune", "check"]:
                relabel = {(src.rsplit("/", 1)[1], i): art for src, i, art, _ in items if src.startswith(f"corpus/{folder}/")}
                if relabel:
                    cdir = os.path.join(shared, "corpus", folder)
                    rows.append((f"e2e", e2e(os.path.join(cdir, "gold"), os.path.join(cdir, "pages"), env, relabel)))
        elif s == "dev-nometa":
            bare = tempfile.mkdtemp(prefix="measure-tags-nometa-")
            gold_dir = os.path.join(shared, "gold")
            for name in os.listdir(gold_dir):
                g = json.load(open(os.path.join(gold_dir, name), encoding="utf-8"))
                g.pop("paper", None); g.pop("home_region", None)
                json.dump(g, open(os.path.join(bare, name), "w", encoding="utf-8"), ensure_ascii=False)
            rows.append(("e2e", e2e(bare, os.path.join(shared, "pages"), env)))
        elif s == "pdf-dev":
            out = os.path.join(ROOT, "target/measure/tags-pdf-dev")
            if not os.path.isdir(os.path.join(out, "gold")):
                subprocess.run(["python3", os.path.join(shared, "tools/pdfrender.py"), os.path.join(shared, "gold"),
                                os.path.join(shared, "pages"), out, "measure-tags-pdf-dev", "--variants", str(a.variants)],
                               check=True, stdout=subprocess.DEVNULL)
            rows.append(("e2e", e2e(os.path.join(out, "gold"), os.path.join(out, "pages"), env)))
        else:
            sys.exit(f"unknown set {s}")
        for mode, t in rows:
            print(f"{s:<16}{mode:<6}{t.row()}")
            report += [f"[{s} {mode}] {m}" for m in t.misses]
    if a.misses:
        print("\n".join(report))


if __name__ == "__main__":
    main()
