#!/usr/bin/env python3
"""Mines candidate terms per topic from labelled articles, for review into config/topics.toml.

    python3 scripts/mine_topic_terms.py [--shared ../shared] [--extra DIR] [--top 30] [--topic SLUG]

Articles: the dev pages' gold (../shared/gold, their own topic labels) and the
hand labels we tune on (eval/topic_labels/tune.tsv: corpus/tune and the extra
articles). Never the measuring labels. Each article is segmented as the tagger
segments it (examples/tag_articles --tokens: jieba with the user dictionary,
the gazetteer's names and the taxonomy's terms).

For every topic, words are ranked by the log-odds ratio with an informative
Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words"): the
articles that must have the topic against those that have it neither as must
nor as may, the prior being the word's share of all the articles (ALPHA0
pseudo-counts), so a word is not ranked up because it is rare. The z-score
(log-odds over its standard deviation) is printed with how many of the
topic's articles hold the word, and whether the taxonomy has it already
(`=slug` when another topic has it). Place names, person names, numbers and
stop words are left out. A candidate is a suggestion: read the articles it
comes from before you add it, and give it a weight on the taxonomy's scale.
"""
import argparse
import collections
import json
import math
import os
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import measure_tags  # noqa: E402

# Prior strength: the prior counts as this many words spread by background share.
ALPHA0 = 500.0
# A word counts at most this many times an article, so one article that
# repeats a word does not make it a topic's word.
PER_DOC_CAP = 3
# Candidates need to appear in at least this many of the topic's articles.
MIN_DOCS = 2
# Parts of speech never proposed: place and person names, numbers, punctuation, function words.
SKIP_POS = {"ns", "nr", "nrt", "nrfg", "m", "mq", "x", "uj", "ul", "p", "c", "r", "d", "q", "f", "t", "eng"}


def articles(shared, extra_dir):
    out = []
    gold_dir = os.path.join(shared, "gold")
    for name in sorted(os.listdir(gold_dir)):
        g = json.load(open(os.path.join(gold_dir, name), encoding="utf-8"))
        for i, a in enumerate(g["articles"]):
            if a.get("topics") is not None:
                out.append((f"{name[:-5]}#{i}", a, g))
    labels = measure_tags.load_labels(os.path.join(ROOT, "eval/topic_labels/tune.tsv"))
    for source, index, art, gold in measure_tags.labelled_articles(labels, shared, measure_tags.load_extra(extra_dir)):
        out.append((f"{source}#{index}", art, gold))
    return out


def tokens(items):
    lines = [json.dumps({"title": a.get("title"), "subtitle": a.get("subtitle"), "kicker": a.get("kicker"),
                         "body": list(a.get("body") or [])}, ensure_ascii=False) for _, a, _ in items]
    exe = os.path.join(ROOT, "target/release/examples/tag_articles")
    r = subprocess.run([exe, "--tokens"], input="\n".join(lines), capture_output=True, text=True, check=True)
    return [json.loads(x)["tokens"] for x in r.stdout.splitlines()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--extra", default=os.path.join(ROOT, "..", "extra_corpus"))
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--topic")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "tag_articles"], cwd=ROOT, check=True)
    stop = {l.strip() for l in open(os.path.join(ROOT, "config/stopwords.txt"), encoding="utf-8")
            if l.strip() and not l.startswith("#")}
    taxonomy = tomllib.load(open(os.environ.get("NEWSDESK_TOPICS_PATH", os.path.join(ROOT, "config/topics.toml")), "rb"))
    has = {t["slug"]: set(t["terms"]) for t in taxonomy["topic"]}
    items = articles(a.shared, a.extra)
    docs = []
    for (_, art, _), toks in zip(items, tokens(items)):
        c = collections.Counter(w for w, pos in toks
                                if pos not in SKIP_POS and len(w) >= 2 and w not in stop and not w.isascii())
        docs.append((art["topics"], {w: min(n, PER_DOC_CAP) for w, n in c.items()}))
    background = collections.Counter()
    for _, c in docs:
        background.update(c)
    total = sum(background.values())
    print(f"# {len(docs)} labelled articles, {len(background)} words", file=sys.stderr)
    for slug in has:
        if a.topic and slug != a.topic:
            continue
        pos, neg, pos_docs = collections.Counter(), collections.Counter(), collections.Counter()
        n_pos = 0
        for t, c in docs:
            if slug in t["must"]:
                pos.update(c); pos_docs.update(c.keys()); n_pos += 1
            elif slug not in t["may"]:
                neg.update(c)
        if n_pos == 0:
            print(f"\n[{slug}] no labelled article")
            continue
        sp, sn = sum(pos.values()), sum(neg.values())
        scored = []
        for w, bg in background.items():
            if pos_docs[w] < MIN_DOCS:
                continue
            aw = ALPHA0 * bg / total
            yk, yr = pos[w], neg[w]
            delta = math.log((yk + aw) / (sp + ALPHA0 - yk - aw)) - math.log((yr + aw) / (sn + ALPHA0 - yr - aw))
            z = delta / math.sqrt(1 / (yk + aw) + 1 / (yr + aw))
            scored.append((z, w))
        scored.sort(reverse=True)
        print(f"\n[{slug}] {n_pos} articles")
        for z, w in scored[: a.top]:
            mark = "in" if w in has[slug] else ",".join("=" + s for s, ts in has.items() if w in ts)
            print(f"  {z:6.2f}  {w:<10} {pos_docs[w]:>3}/{n_pos:<3} {mark}")


if __name__ == "__main__":
    main()
