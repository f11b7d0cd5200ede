#!/usr/bin/env python3
"""Calibrates the topic thresholds of src/core/tag/topics.rs on labelled articles.

    python3 scripts/calibrate_topics.py [--shared ../shared] [--extra DIR] [--top 15]

Scores every article we tune on (the dev pages' gold and
eval/topic_labels/tune.tsv; never the measuring labels) with the taxonomy
(examples/tag_articles --scores: each topic's score before any threshold),
then replays the selection of `Taxonomy::select` for a grid of MIN_SCORE,
RELATIVE_CUT, CLEAR_MIN_SCORE and CLEAR_LEAD and prints the settings with
the best F1 of topic recall and precision (counted as ../shared/eval/score.py
counts them: a predicted topic that is neither must nor may is wrong), the
current constants first. The constants are then set by hand, with the
measured row in their comment.
"""
import argparse
import itertools
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import measure_tags  # noqa: E402
import mine_topic_terms  # noqa: E402


def select(scores, min_score, cut, clear_min, clear_lead, max_topics):
    order = sorted(scores, key=lambda s: -scores[s])
    best = scores[order[0]]
    kept = [s for s in order if scores[s] >= min_score and scores[s] >= best * cut][:max_topics]
    if not kept:
        second = max(scores[order[1]], 0.0) if len(order) > 1 else 0.0
        if best >= clear_min and best >= second * clear_lead:
            kept = [order[0]]
    return set(kept)


def constants():
    src = open(os.path.join(ROOT, "src/core/tag/topics.rs"), encoding="utf-8").read()
    get = lambda name: float(re.search(rf"pub const {name}: \w+ = ([0-9.]+);", src).group(1))
    return get("MIN_SCORE"), get("RELATIVE_CUT"), get("CLEAR_MIN_SCORE"), get("CLEAR_LEAD"), int(get("MAX_TOPICS"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--extra", default=os.path.join(ROOT, "..", "extra_corpus"))
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "tag_articles"], cwd=ROOT, check=True)
    items = mine_topic_terms.articles(a.shared, a.extra)
    lines = [json.dumps({"title": art.get("title"), "subtitle": art.get("subtitle"), "kicker": art.get("kicker"),
                         "body": list(art.get("body") or [])}, ensure_ascii=False) for _, art, _ in items]
    exe = os.path.join(ROOT, "target/release/examples/tag_articles")
    r = subprocess.run([exe, "--scores"], input="\n".join(lines), capture_output=True, text=True, check=True)
    scored = [(art["topics"], json.loads(x)["scores"]) for (_, art, _), x in zip(items, r.stdout.splitlines())]

    def evaluate(params):
        tp = fn = fp = 0
        for t, scores in scored:
            must, ok = set(t["must"]), set(t["must"]) | set(t["may"])
            pred = select(scores, *params)
            tp += len(pred & must); fn += len(must - pred); fp += len(pred - ok)
        rec, prec = tp / max(tp + fn, 1), tp / max(tp + fp, 1)
        return 2 * rec * prec / max(rec + prec, 1e-9), rec, prec

    current = constants()
    print(f"# {len(scored)} articles; MIN_SCORE RELATIVE_CUT CLEAR_MIN_SCORE CLEAR_LEAD MAX_TOPICS -> F1 recall precision")
    print("current  " + " ".join(f"{x:5}" for x in current) + "  -> %.3f %.3f %.3f" % evaluate(current))
    grid = itertools.product([2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0], [0.3, 0.4, 0.5, 0.6, 0.7],
                             [1.0, 1.5, 2.0, 2.5, 3.0], [1.5, 2.0, 3.0], [2, 3])
    rows = sorted(((evaluate(p), p) for p in grid), reverse=True)
    for (f, rec, prec), p in rows[: a.top]:
        print("         " + " ".join(f"{x:5}" for x in p) + f"  -> {f:.3f} {rec:.3f} {prec:.3f}")


if __name__ == "__main__":
    main()
