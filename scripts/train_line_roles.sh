#!/usr/bin/env bash
# Trains the splitter's line labeler and writes config/line_roles.model.
#
#   scripts/train_line_roles.sh [SHARED_DIR]     (default: ../shared)
#
# Needs the evaluation material beside the repository (SHARED_DIR with
# gold/, pages/, corpus/tune/ and tools/), reportlab and pdftotext
# (pip install reportlab; apt-get install poppler-utils poppler-data).
# Training data, never check/: the hand-labelled pages and the corpus's
# tune/ pages as they are, typeset as multi-column PDF pages and extracted
# with pdftotext (several layouts each), and rendered as noisy text dumps;
# pages of news-in-brief blocks and photo items made from tune/'s articles
# (scripts/augment_golds.py), likewise; every line is labelled with its role
# by scripts/align_line_roles.py. The
# renderings go to target/line-roles/ (not the repository). Same inputs,
# same seeds: the same model. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${1:-../shared}"
OUT="${OUT:-target/line-roles}"
# Where the model goes (another path for experiments).
MODEL_OUT="${MODEL_OUT:-config/line_roles.model}"
EPOCHS="${EPOCHS:-10}"
# Layout variants per page: PDF typesettings and noisy text renderings.
PDF_VARIANTS="${PDF_VARIANTS:-12}"
NOISY_VARIANTS="${NOISY_VARIANTS:-6}"
# Made-up pages of rare layouts, and layouts of each.
AUGMENT_PAGES="${AUGMENT_PAGES:-60}"
AUGMENT_VARIANTS="${AUGMENT_VARIANTS:-3}"

for f in "$SHARED/gold" "$SHARED/pages" "$SHARED/corpus/tune/gold" "$SHARED/corpus/tune/pages" "$SHARED/tools/pdfrender.py"; do
  [ -e "$f" ] || { echo "missing $f: give the shared directory as the first argument" >&2; exit 2; }
done
# RENDER=0 keeps the renderings of an earlier run (when only the labels or
# the features changed).
if [ "${RENDER:-1}" != 0 ]; then
  rm -rf "$OUT"
  mkdir -p "$OUT"
  render() { # tool gold pages out seed variants
    python3 "$SHARED/tools/$1" "$2" "$3" "$OUT/$4" "$5" --variants "$6" 2>&1 | sed "s|^|$4: |" >&2
  }
  render pdfrender.py "$SHARED/corpus/tune/gold" "$SHARED/corpus/tune/pages" pdf-tune train-pdf-tune "$PDF_VARIANTS"
  render pdfrender.py "$SHARED/gold" "$SHARED/pages" pdf-pages train-pdf-pages "$PDF_VARIANTS"
  render render.py "$SHARED/corpus/tune/gold" "$SHARED/corpus/tune/pages" noisy-tune train-noisy-tune "$NOISY_VARIANTS"
  render render.py "$SHARED/gold" "$SHARED/pages" noisy-pages train-noisy-pages "$NOISY_VARIANTS"
  # Pages of the layouts the labelled pages hold few of (news-in-brief
  # blocks, photo items), made from tune/'s articles, and their renderings.
  python3 scripts/augment_golds.py "$SHARED/corpus/tune/gold" "$OUT/augment" train-augment --pages "$AUGMENT_PAGES"
  render pdfrender.py "$OUT/augment/gold" "$OUT/augment/pages" pdf-augment train-pdf-augment "$AUGMENT_VARIANTS"
  # The pages as they are, without their blank lines.
  python3 scripts/tighten_pages.py "$SHARED/gold" "$SHARED/pages" "$OUT/tight"
  python3 scripts/tighten_pages.py "$SHARED/corpus/tune/gold" "$SHARED/corpus/tune/pages" "$OUT/tight"
  python3 scripts/tighten_pages.py "$OUT/augment/gold" "$OUT/augment/pages" "$OUT/tight"
  render render.py "$OUT/augment/gold" "$OUT/augment/pages" noisy-augment train-noisy-augment "$AUGMENT_VARIANTS"
fi

align() { python3 scripts/align_line_roles.py "$@" 2>> "$OUT/align.log"; }
: > "$OUT/align.log"
align "$SHARED/gold" "$SHARED/pages" "$SHARED/corpus/tune/gold" "$SHARED/corpus/tune/pages" \
  "$OUT/tight/gold" "$OUT/tight/pages" > "$OUT/lines-clean.jsonl"
align "$OUT/pdf-tune/gold" "$OUT/pdf-tune/pages" "$OUT/pdf-pages/gold" "$OUT/pdf-pages/pages" > "$OUT/lines-pdf.jsonl"
align "$OUT/noisy-tune/gold" "$OUT/noisy-tune/pages" "$OUT/noisy-pages/gold" "$OUT/noisy-pages/pages" > "$OUT/lines-noisy.jsonl"
align "$OUT/augment/gold" "$OUT/augment/pages" "$OUT/pdf-augment/gold" "$OUT/pdf-augment/pages" \
  "$OUT/noisy-augment/gold" "$OUT/noisy-augment/pages" > "$OUT/lines-augment.jsonl"

# The PDF renderings outnumber the other kinds of page many times over: the
# pages as they are and their noisy renderings count several times each, so
# that the labeler learns all three kinds of dump.
CLEAN_REPEAT="${CLEAN_REPEAT:-12}"
NOISY_REPEAT="${NOISY_REPEAT:-3}"
# A conditional random field (the default; --method perceptron for the
# averaged perceptron), AdaGrad with an L2 penalty.
cargo run --release --example train_line_roles -- \
  --out "$MODEL_OUT" --epochs "$EPOCHS" \
  --about "Data: ../shared/gold + pages and corpus/tune, as they are and without blank lines (counted $CLEAN_REPEAT times), as PDF pages (pdfrender.py, seed train-pdf-*, $PDF_VARIANTS layouts a page) and as noisy dumps (render.py, seed train-noisy-*, $NOISY_VARIANTS a page, counted $NOISY_REPEAT times); $AUGMENT_PAGES pages of news-in-brief blocks and photo items made from tune/'s articles (augment_golds.py), as they are and in $AUGMENT_VARIANTS PDF and noisy renderings each; never corpus/check." \
  --repeat "$OUT/lines-clean.jsonl=$CLEAN_REPEAT" --repeat "$OUT/lines-noisy.jsonl=$NOISY_REPEAT" \
  "$OUT/lines-clean.jsonl" "$OUT/lines-pdf.jsonl" "$OUT/lines-noisy.jsonl" "$OUT/lines-augment.jsonl"
